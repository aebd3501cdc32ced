"""Message templates: the words of every message, per kind and language, rendered safely.

Templates are files named `<kind>.<language>.j2` (e.g. `birthday.zh-Hans.j2`). The embedded
ones live in `templates/` at the repository root (installed as `sheetcrm/data/templates`); a
user directory may override any of them one file at a time. Each file holds two blocks:

    {% block subject %}Happy birthday, {{ customer.addressed }}{% endblock %}
    {% block body %}
    Dear {{ customer.addressed }}, ...
    {% endblock %}

Text outside the two blocks is not sent, so a file may start with a `{# comment #}`; `set`,
`macro`, `import` and `extends` outside them apply to both. Shared pieces (a signature macro)
go in files whose name starts with `_`, e.g. `_signature.j2`. The subject is joined into one
line; the body keeps its lines, without leading or trailing blank lines. Filters: `date`
(long date in the message's locale), `weekday`, `money` (the configured currency, or
`money("EUR")`).

Templates are written by staff, so they run in Jinja's immutable sandbox, every undefined name
is an error (a message must never say "Dear ,"), and every failure is a TemplateError naming
the file and line. Render every message of a batch before sending any: a template error is
then never a half-sent batch. `check_all()` renders every template with sample data, so a
broken override is found before the first message.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, is_dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from sheetcrm import message_context
from sheetcrm.errors import ConfigError, TemplateError
from sheetcrm.message_context import as_context, sample_context
from sheetcrm.outbound import CUSTOMER_KINDS, MessageKind
from sheetcrm.rules.parsers.words import parse_language
from sheetcrm.template_filters import locale_filters, refuse_none
from sheetcrm.vocabulary import LANGUAGES

log = logging.getLogger(__name__)

EMBEDDED_TEMPLATES = Path(__file__).parent / "data" / "templates"

# Babel locales: Taiwan usage for Traditional Chinese (the seeds' zh-Hant documents are Taiwanese).
DEFAULT_LOCALES: Mapping[str, str] = {
    "en": "en",
    "zh-Hans": "zh_Hans_CN",
    "zh-Hant": "zh_Hant_TW",
    "es": "es",
}

# Customer messages go out as SMS or chat: a long one is a template gone wrong, not a message.
SMS_MAX_CHARS = 500
DIGEST_MAX_CHARS = 20_000
SUBJECT_MAX_CHARS = 200
MAX_CHARS: Mapping[MessageKind, int] = {
    kind: SMS_MAX_CHARS if kind in CUSTOMER_KINDS else DIGEST_MAX_CHARS for kind in MessageKind
}


@dataclass(frozen=True, slots=True)
class RenderedText:
    subject: str
    body: str


def template_name(kind: MessageKind, language: str) -> str:
    return f"{kind.value}.{language}.j2"


@lru_cache(maxsize=256)  # a workbook's customers read a language or two; a message asks twice
def normalize_language(language: str | None) -> str | None:
    """One of LANGUAGES for a tag or name that clearly means it ("zh-TW", "中文"), else None:
    the register's own reading of a language cell."""
    if not language or not language.strip():
        return None
    parsed = parse_language(language)
    return parsed if isinstance(parsed, str) else None


def resolve_language(language: str | None, default: str | None) -> str:
    """Customer language → workbook default → "en"; an unknown language is no error."""
    return normalize_language(language) or normalize_language(default) or "en"


class TemplateLibrary:
    """All message templates, embedded or overridden from `user_dir`, ready to render."""

    def __init__(
        self,
        user_dir: Path | None = None,
        *,
        default_language: str = "en",
        currency: str = "CNY",
        locales: Mapping[str, str] = DEFAULT_LOCALES,
        embedded_dir: Path = EMBEDDED_TEMPLATES,
    ) -> None:
        if user_dir is not None and not user_dir.is_dir():
            # A mistyped path would otherwise silently send the embedded words.
            raise ConfigError(f"templates directory {user_dir} does not exist")
        self.user_dir = user_dir
        self.default_language = resolve_language(default_language, None)
        self.currency = currency
        self.locales = {**DEFAULT_LOCALES, **locales}
        # The user's directory first: a file there replaces the embedded one of the same name.
        searchpath = [str(embedded_dir)] if user_dir is None else [str(user_dir), str(embedded_dir)]
        self._loader = jinja2.FileSystemLoader(searchpath, encoding="utf-8")
        self._envs: dict[str, jinja2.Environment] = {}
        self._known: frozenset[str] | None = None
        self._acting: dict[jinja2.Template, bool] = {}

    def render(
        self,
        kind: MessageKind,
        language: str | None,
        context: Mapping[str, object],
        *,
        variant: str | None = None,
        strict: bool = False,
    ) -> RenderedText:
        """The subject and body of one message; TemplateError names the file and line.

        `variant` names a template of the same kind for one occasion (a custom date's
        "anniversary" → anniversary.zh-Hans.j2), used where such a file exists. A text over
        its length cap is a template's fault when `strict` (the sample data of check_all);
        otherwise it comes from the workbook (a 32,767-character name): the message is
        shortened to its cap and the day's job goes on.
        """
        lang = resolve_language(language, self.default_language)
        if language and lang != language:
            log.debug("no %s templates: %s message in %s", language, kind.value, lang)
        env = self._env(lang)
        name = template_name(kind, lang)
        if variant and f"{variant}.{lang}.j2" in self._names():
            name = f"{variant}.{lang}.j2"
        template = self._load(env, name)
        filename = template.filename or name
        subject, body = self._render_blocks(env, template, context, filename)
        subject = " ".join(subject.split())
        body = body.strip("\n").rstrip()
        if not subject:
            raise TemplateError(f"{filename}: the subject is empty")
        if len(subject) > SUBJECT_MAX_CHARS:
            if strict:
                raise TemplateError(
                    f"{filename}: the subject is {len(subject)} characters, "
                    f"more than the {SUBJECT_MAX_CHARS} allowed"
                )
            log.warning("%s: a %s-character subject shortened", filename, len(subject))
            subject = subject[: SUBJECT_MAX_CHARS - 1] + "…"
        if len(body) > MAX_CHARS[kind]:
            if strict:
                raise TemplateError(
                    f"{filename}: the body is {len(body)} characters, more than the "
                    f"{MAX_CHARS[kind]} allowed for a {kind.value} message"
                )
            log.warning("%s: a %s-character body shortened", filename, len(body))
            body = body[: MAX_CHARS[kind] - 1] + "…"
        return RenderedText(subject=subject, body=body)

    def formatters(self, language: str | None) -> Mapping[str, Callable[..., str]]:
        """The `date`, `weekday` and `money` filters of a language, for text made in code."""
        env = self._env(resolve_language(language, self.default_language))
        return {name: env.filters[name] for name in ("date", "weekday", "money")}

    def check_all(self) -> list[TemplateError]:
        """Render every kind in every language with sample data; the errors found, or [].

        Also flags files in the user directory that no message uses, such as a misspelt
        `birthday.zh-hans.j2`, since such an override would silently never apply; names
        starting with `_` are shared pieces for `import` and `include`, not flagged.
        """
        errors: list[TemplateError] = []
        for kind in MessageKind:
            for language in LANGUAGES:
                try:
                    self.render(kind, language, as_context(sample_context(kind)), strict=True)
                except TemplateError as exc:
                    errors.append(exc)
        if self.user_dir is not None:
            known = {template_name(k, lang) for k in MessageKind for lang in LANGUAGES}
            for path in sorted(self.user_dir.glob("*.j2")):
                if path.name not in known and not path.name.startswith("_"):
                    errors.append(
                        TemplateError(
                            f"{path}: not a template name sheetcrm uses; expected "
                            f"<kind>.<language>.j2, e.g. birthday.zh-Hans.j2"
                        )
                    )
        return errors

    def _names(self) -> frozenset[str]:
        if self._known is None:
            self._known = frozenset(self._loader.list_templates())
        return self._known

    def _env(self, language: str) -> jinja2.Environment:
        # One environment per language, so that the filters know their locale.
        if language not in self._envs:
            env = _Sandbox(
                loader=self._loader,
                undefined=_StrictUndefined,
                autoescape=False,  # plain text: SMS, chat and text e-mail, not HTML
                trim_blocks=True,
                lstrip_blocks=True,
                finalize=refuse_none,
                auto_reload=False,
            )
            locale = self.locales.get(language, language.replace("-", "_"))
            env.filters.update(locale_filters(locale, self.currency))
            self._envs[language] = env
        return self._envs[language]

    def _load(self, env: jinja2.Environment, name: str) -> jinja2.Template:
        try:
            return env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            where = exc.filename or name
            raise TemplateError(f"{where} line {exc.lineno}: {exc.message}") from exc
        except jinja2.TemplateNotFound as exc:
            raise TemplateError(f"no template {name} in {self._loader.searchpath}") from exc

    def _render_blocks(
        self,
        env: jinja2.Environment,
        template: jinja2.Template,
        context: Mapping[str, object],
        filename: str,
    ) -> tuple[str, str]:
        """The subject and body blocks, rendered; their text as written, not yet tidied."""
        ctx = template.new_context(dict(context))
        try:
            try:
                # The top level runs first, for its output is discarded but its `set`, `macro`,
                # `import` and `extends` define what the blocks can use.
                if self._top_level_acts(env, template):
                    for _ in template.root_render_func(ctx):
                        pass
                blocks = [ctx.blocks.get(name) for name in ("subject", "body")]
                if all(blocks):
                    subject, body = ("".join(b[0](ctx)) for b in blocks if b)
                    return subject, body
            except Exception:
                # Rewrites the traceback so that its frames point at template lines.
                env.handle_exception()
        except Exception as exc:
            where = _template_location(exc) or filename
            raise TemplateError(f"{where}: {_describe(exc)}") from exc
        missing = "subject" if not blocks[0] else "body"
        raise TemplateError(
            f"{filename}: no {{% block {missing} %}}; a template holds a subject and a body block"
        )

    def _top_level_acts(self, env: jinja2.Environment, template: jinja2.Template) -> bool:
        """Whether the top level of a template does anything the blocks could use: a file
        of comments, text and the two blocks does not, and running its top level would only
        render both blocks a second time (a festival's first run renders 7,000 messages)."""
        acts = self._acting.get(template)
        if acts is None:
            source, _, _ = self._loader.get_source(env, template.name or "")
            acts = not all(_inert(node) for node in env.parse(source).body)
            self._acting[template] = acts
        return acts


def _inert(node: nodes.Node) -> bool:
    """A top-level block, or text: nothing that sets, imports, extends or calls."""
    if isinstance(node, nodes.Output):
        return all(isinstance(part, nodes.TemplateData) for part in node.nodes)
    return isinstance(node, nodes.Block)


class _Sandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, with a fast path for the fields of the context dataclasses:
    plain, frozen data (a digest reads 100,000 of them). Anything else, properties and
    methods included, goes through the sandbox's full checks."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        # A field is read as it is: it holds data, never a str.format to wrap or a method;
        # the sandbox's general path checks both on each of a festival's 90,000 reads.
        if attribute in _DATA_FIELDS.get(type(obj), ()):
            return getattr(obj, attribute)
        return super().getattr(obj, attribute)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if attr in _DATA_FIELDS.get(type(obj), ()):
            return True
        return bool(super().is_safe_attribute(obj, attr, value))


_DATA_FIELDS: Mapping[type, frozenset[str]] = {
    cls: frozenset(f.name for f in fields(cls))
    for cls in vars(message_context).values()
    if isinstance(cls, type) and is_dataclass(cls)
}


class _StrictUndefined(jinja2.StrictUndefined):
    """StrictUndefined whose message lists what a context object does have.

    Staff editing a template see "CustomerContext has no attribute 'nmae'; it has: name, ..."
    instead of a Python module path, and can fix the spelling without reading our code.
    """

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        obj = self._undefined_obj
        name = self._undefined_name
        if self._undefined_hint or not isinstance(name, str) or not is_dataclass(obj):
            return str(super()._undefined_message)
        known = [f.name for f in fields(obj)]
        known += [n for n, v in vars(type(obj)).items() if isinstance(v, property)]
        return f"{type(obj).__name__} has no attribute {name!r}; it has: {', '.join(known)}"


def _template_location(exc: BaseException) -> str | None:
    """ "file line N" of the innermost template frame: the file may be an included one."""
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return f"{exc.filename} line {exc.lineno}"
    location = None
    tb = exc.__traceback__
    while tb is not None:
        # Jinja's rewritten frames carry the template's file and line, and this marker.
        if "__jinja_exception__" in tb.tb_frame.f_globals:
            location = f"{tb.tb_frame.f_code.co_filename} line {tb.tb_lineno}"
        tb = tb.tb_next
    return location


def _describe(exc: BaseException) -> str:
    if isinstance(exc, jinja2.TemplateError) and exc.message:
        return exc.message
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


__all__ = [
    "DIGEST_MAX_CHARS",
    "EMBEDDED_TEMPLATES",
    "MAX_CHARS",
    "SMS_MAX_CHARS",
    "RenderedText",
    "TemplateLibrary",
    "normalize_language",
    "resolve_language",
    "template_name",
]
