"""settings.yaml → validated, frozen settings. Errors name the key and the line.

Secrets never live in the file: a value like `${SMTP_PASSWORD}` is read from the environment,
and a secret-looking key holding a literal value is refused.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

import phonenumbers
import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from sheetcrm.channels import ChannelSettings, ManualChannelSettings, OutboxChannelSettings
from sheetcrm.errors import ConfigError
from sheetcrm.google.address import spreadsheet_id
from sheetcrm.reminder_settings import CalendarSettings, MessageSettings
from sheetcrm.rules.plan_settings import PlanSettings
from sheetcrm.schema import FIELDS, SheetKind
from sheetcrm.settings_file import DEFAULT_SETTINGS, ENV_REF
from sheetcrm.timetable import ScheduleSettings
from sheetcrm.vocabulary import VOCABULARIES

Language = Literal["en", "zh-Hans", "zh-Hant", "es"]
LanguageOrAuto = Literal["auto", "en", "zh-Hans", "zh-Hant", "es"]

_SECRET_KEY = re.compile(r"(password|secret|token|api_key|apikey)$", re.IGNORECASE)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DateSettings(_Model):
    # How 05/03/1980 is read: true = 5 March 1980, false = May 3. null: such dates are problems.
    day_first: bool | None = None


class AmountSettings(_Model):
    # true: "1.234,56"; false: "1,234.56"; null: decided per value, ambiguous ones are problems.
    decimal_comma: bool | None = None


class SheetNames(_Model):
    customers: str | None = None
    visits: str | None = None
    orders: str | None = None
    staff: str | None = None
    problems: str | None = None

    def for_kind(self, kind: SheetKind) -> str | None:
        name: str | None = getattr(self, kind.value)
        return name


class DemoSettings(_Model):
    customers: int = Field(default=200, ge=1, le=100_000)
    seed: int = 7
    language: Language = "zh-Hans"


Percent = Annotated[Decimal, Field(ge=0, le=100)]


class TierShares(_Model):
    """Share of the ranked customers per tier, in percent; A + B = 20% in [002]."""

    A: Percent = Decimal(5)
    B: Percent = Decimal(15)
    C: Percent = Decimal(50)
    D: Percent = Decimal(30)

    @model_validator(mode="after")
    def _whole(self) -> TierShares:
        total = self.A + self.B + self.C + self.D
        if total != 100:
            raise ValueError(f"the four shares must add up to 100, got {total}")
        return self


class TierWeights(_Model):
    """Weights of the ranking score [002], in percent."""

    amount: Percent = Decimal(40)
    profit: Percent = Decimal(40)
    frequency: Percent = Decimal(20)

    @model_validator(mode="after")
    def _whole(self) -> TierWeights:
        total = self.amount + self.profit + self.frequency
        if total != 100:
            raise ValueError(f"the three weights must add up to 100, got {total}")
        return self


class TierThresholds(_Model):
    """Spend thresholds [003]."""

    A: Decimal = Field(default=Decimal(80_000), ge=0)
    B: Decimal = Field(default=Decimal(50_000), ge=0)
    basis: Literal["lifetime", "window"] = "lifetime"

    @model_validator(mode="after")
    def _ordered(self) -> TierThresholds:
        if self.B > self.A:
            raise ValueError(f"tier B's threshold ({self.B}) cannot be above A's ({self.A})")
        return self


class VipSettings(_Model):
    """[000]: one purchase of `single_order`, or `monthly` accumulated in a calendar month."""

    single_order: Decimal = Field(default=Decimal(10_000), gt=0)
    monthly: Decimal = Field(default=Decimal(20_000), gt=0)


class TierSettings(_Model):
    method: Literal["weighted_rank", "thresholds", "profit_rank"] = "weighted_rank"
    window_days: int = Field(default=365, ge=1, le=3660)
    shares: TierShares = TierShares()
    weights: TierWeights = TierWeights()
    thresholds: TierThresholds = TierThresholds()
    vip: VipSettings = VipSettings()


class GoogleSettings(_Model):
    """A workbook kept as a Google Sheet, shared with a service account."""

    # The key file of the service account (relative to settings.yaml); None: the file named
    # by $GOOGLE_APPLICATION_CREDENTIALS.
    credentials: Path | None = None
    endpoint: str = "https://sheets.googleapis.com"  # an emulator or a proxy
    timeout: float = Field(default=60.0, gt=0, le=600)  # seconds per request
    spreadsheet: str | None = None  # set from `workbook:` when it names a Google Sheet


def _built_in() -> dict[str, ChannelSettings]:
    """Channels that need no settings, always there: customer messages wait in the Outbox
    for staff to send from their own WeChat or WhatsApp (`manual`), staff digests are kept
    there (`outbox`). Nothing leaves the machine."""
    return {
        "outbox": OutboxChannelSettings(kind="outbox"),
        "manual": ManualChannelSettings(kind="manual"),
    }


class Settings(_Model):
    workbook: Path
    # When set and the workbook does not exist yet, the first run creates a demo workbook there.
    demo: DemoSettings | None = None
    language: LanguageOrAuto = "auto"
    report_language: LanguageOrAuto = "auto"
    phone_region: str = "CN"
    dates: DateSettings = DateSettings()
    amounts: AmountSettings = AmountSettings()
    sheets: SheetNames = SheetNames()
    # Extra headers per sheet and field, e.g. {customers: {phone: [Handy]}}.
    headers: dict[SheetKind, dict[str, list[str]]] = Field(default_factory=dict)
    # The shop's own words per enumeration and member, e.g. {status: {customer: [合作中]}}.
    vocabulary: dict[str, dict[str, list[str]]] = Field(default_factory=dict)
    backups: int = Field(default=5, ge=0, le=1000)
    state_dir: Path = Path(".sheetcrm")
    max_problems_listed: int = Field(default=10_000, ge=1)
    tiers: TierSettings = TierSettings()
    plans: PlanSettings = PlanSettings()
    calendar: CalendarSettings = CalendarSettings()
    messages: MessageSettings = MessageSettings()
    # Named channels; messages name theirs in messages.customer_channels / staff_channels.
    # `outbox` and `manual` are always there unless settings give those names other kinds.
    channels: dict[str, ChannelSettings] = Field(default_factory=_built_in)
    schedule: ScheduleSettings = ScheduleSettings()
    google: GoogleSettings | None = None

    @field_validator("channels")
    @classmethod
    def _with_built_in(cls, value: dict[str, ChannelSettings]) -> dict[str, ChannelSettings]:
        return {**_built_in(), **value}

    @model_validator(mode="after")
    def _channels_exist(self) -> Settings:
        m = self.messages
        lists = {
            "customer_channels": m.customer_channels,
            "staff_channels": m.staff_channels,
            **{f"channels_by_tier.{k}": v for k, v in m.channels_by_tier.items()},
            **{f"channels_by_language.{k}": v for k, v in m.channels_by_language.items()},
        }
        for key, names in lists.items():
            for name in names:
                if name not in self.channels:
                    raise ValueError(
                        f"messages.{key} names the channel {name!r}, which is not under "
                        f"channels: (configured: {', '.join(self.channels) or 'none'})"
                    )
        return self

    @field_validator("phone_region")
    @classmethod
    def _known_region(cls, value: str) -> str:
        region = value.upper()
        if region not in phonenumbers.SUPPORTED_REGIONS:
            raise ValueError(
                f"must be a country code such as CN, ES, US, MX, TW, HK; got {value!r}"
            )
        return region


def load_settings(
    path: Path | None = None, *, environ: Mapping[str, str] | None = None
) -> Settings:
    """Read settings.yaml (the embedded default when `path` is None) into frozen settings.

    Relative paths in the file are relative to the file's folder; for the embedded default,
    relative to the working directory (so `sheetcrm sync` creates the demo where you are).
    """
    env = os.environ if environ is None else environ
    source = path or DEFAULT_SETTINGS
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"settings file not found: {source}") from None
    except UnicodeDecodeError:
        raise ConfigError(
            f"{source} is not a settings file (not UTF-8 text): give -c the settings.yaml "
            "that names the workbook, not the workbook itself"
        ) from None
    except OSError as exc:
        raise ConfigError(f"cannot read settings file {source}: {exc.strerror}") from None
    label = source.name if path is None else str(path)
    data, lines = _parse_yaml(text, label)
    data = _expand_env(data, (), lines, env, label)
    data = _google_sheet(data)
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_explain(exc, lines, label)) from None
    _check_header_fields(settings, lines, label)
    _check_vocabulary(settings, lines, label)
    base = Path.cwd() if path is None else source.resolve().parent
    google = settings.google
    if google is not None:
        credentials = google.credentials or (
            Path(env["GOOGLE_APPLICATION_CREDENTIALS"])
            if env.get("GOOGLE_APPLICATION_CREDENTIALS")
            else None
        )
        google = google.model_copy(
            update={"credentials": _resolve(base, credentials) if credentials else None}
        )
    on_google = google is not None and google.spreadsheet is not None
    return settings.model_copy(
        update={
            "google": google,
            # A Google Sheet is named by its id (for locks and reports), not a local path.
            "workbook": settings.workbook if on_google else _resolve(base, settings.workbook),
            "state_dir": _resolve(base, settings.state_dir),
            "messages": settings.messages.model_copy(
                update={
                    "templates": _resolve(base, settings.messages.templates)
                    if settings.messages.templates
                    else None
                }
            ),
        }
    )


def _google_sheet(data: Any) -> Any:
    """`workbook:` naming a Google Sheet (its address, or its bare id beside a `google:`
    block) becomes google.spreadsheet, before the address is read as a path."""
    if not isinstance(data, dict) or not isinstance(data.get("workbook"), str):
        return data
    google = data.get("google")
    found = spreadsheet_id(data["workbook"], bare_ids=isinstance(google, dict))
    if found is None:
        return data
    block = dict(google) if isinstance(google, dict) else {}
    block["spreadsheet"] = found
    return {**data, "workbook": found, "google": block}


def _resolve(base: Path, p: Path) -> Path:
    p = p.expanduser()
    return p if p.is_absolute() else base / p


Lines = dict[tuple[str | int, ...], int]


def _parse_yaml(text: str, label: str) -> tuple[Any, Lines]:
    """YAML → plain data, remembering the line of every key and item for error messages."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{label}{where}: not valid YAML ({problem})") from None
    lines: Lines = {}
    if node is None:
        return {}, lines
    loader = yaml.SafeLoader("")
    return _construct(node, (), lines, loader), lines


def _construct(node: yaml.Node, path: tuple[str | int, ...], lines: Lines, loader: Any) -> Any:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            lines[(*path, key)] = key_node.start_mark.line + 1
            out[key] = _construct(value_node, (*path, key), lines, loader)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, (*path, i), lines, loader) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def _expand_env(
    data: Any, path: tuple[str | int, ...], lines: Lines, env: Mapping[str, str], label: str
) -> Any:
    if isinstance(data, dict):
        return {k: _expand_env(v, (*path, k), lines, env, label) for k, v in data.items()}
    if isinstance(data, list):
        return [_expand_env(v, (*path, i), lines, env, label) for i, v in enumerate(data)]
    if not isinstance(data, str):
        return data
    key = str(path[-1]) if path else ""
    if _SECRET_KEY.search(key) and data and not ENV_REF.fullmatch(data.strip()):
        raise ConfigError(
            f"{label} line {lines.get(path, 0)}: {_dotted(path)} holds a secret in the file; "
            f"put it in an environment variable and write ${{VARIABLE_NAME}} instead"
        )

    def substitute(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in env:
            raise ConfigError(
                f"{label} line {lines.get(path, 0)}: {_dotted(path)} needs the environment "
                f"variable {name}, which is not set"
            )
        return env[name]

    return ENV_REF.sub(substitute, data)


def _check_header_fields(settings: Settings, lines: Lines, label: str) -> None:
    """Extra headers must name a field the sheet has."""
    for kind, fields in settings.headers.items():
        known = {f.name for f in FIELDS[kind]}
        for name in fields:
            if name not in known:
                line = lines.get(("headers", kind.value, name), 0)
                raise ConfigError(
                    f"{label} line {line}: headers.{kind.value}.{name}: {kind.value} has no "
                    f"field {name!r}; known fields: {', '.join(sorted(known))}"
                )


def _check_vocabulary(settings: Settings, lines: Lines, label: str) -> None:
    """Each vocabulary key names an enumeration, each member one of its members."""
    for key, members in settings.vocabulary.items():
        if key not in VOCABULARIES:
            line = lines.get(("vocabulary", key), 0)
            raise ConfigError(
                f"{label} line {line}: vocabulary.{key}: no such list of words; known: "
                f"{', '.join(VOCABULARIES)}"
            )
        enum = VOCABULARIES[key][0]
        known = [m.value for m in enum]
        for member in members:
            if member not in known:
                line = lines.get(("vocabulary", key, member), 0)
                raise ConfigError(
                    f"{label} line {line}: vocabulary.{key}.{member}: expected one of "
                    f"{', '.join(known)}"
                )


def _dotted(path: tuple[str | int, ...]) -> str:
    return ".".join(str(p) for p in path) or "(top level)"


def _explain(exc: ValidationError, lines: Lines, label: str) -> str:
    messages = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        line = _line_for(loc, lines)
        if err["type"] == "extra_forbidden":
            messages.append(f"{label} line {line}: unknown setting {_dotted(loc)}")
            continue
        if err["type"] == "missing":
            messages.append(f"{label} line {line}: {_dotted(loc)} is required")
            continue
        msg = err["msg"].removeprefix("Value error, ")
        got = err.get("input")
        secret = any(_SECRET_KEY.search(str(part)) for part in loc)
        shown = "" if secret or isinstance(got, dict | list) else f", got {got!r}"
        messages.append(f"{label} line {line}: {_dotted(loc)}: {msg[0].lower()}{msg[1:]}{shown}")
    return "\n".join(messages)


def _line_for(loc: tuple[Any, ...], lines: Lines) -> int:
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return 1
