"""Message templates: every kind renders in every language; every failure names file and line."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest

from sheetcrm.errors import ConfigError, TemplateError
from sheetcrm.message_context import (
    CONTEXT_TYPES,
    SAMPLE_TODAY,
    CustomerContext,
    TouchContext,
    as_context,
    sample_context,
)
from sheetcrm.outbound import CUSTOMER_KINDS, MessageKind
from sheetcrm.templating import (
    EMBEDDED_TEMPLATES,
    MAX_CHARS,
    TemplateLibrary,
    resolve_language,
    template_name,
)
from sheetcrm.vocabulary import LANGUAGES

KINDS = list(MessageKind)
EMBEDDED = TemplateLibrary()


def sample(kind: MessageKind) -> dict[str, object]:
    return as_context(sample_context(kind))


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def render_override(
    tmp_path: Path, text: str, context: dict[str, object], language: str = "en", **kwargs: str
) -> str:
    """Render `text` as the user's touch template; the subject and body joined."""
    write(tmp_path, template_name(MessageKind.TOUCH, language), text)
    rendered = TemplateLibrary(tmp_path, **kwargs).render(MessageKind.TOUCH, language, context)
    return f"{rendered.subject}|{rendered.body}"


def test_every_template_file_exists_and_is_installed_with_the_package() -> None:
    # sheetcrm/data/templates is a symlink to templates/ at the root: both must show all 20.
    expected = {template_name(kind, lang) for kind in MessageKind for lang in LANGUAGES}
    assert {p.name for p in EMBEDDED_TEMPLATES.glob("*.j2")} == expected
    root = Path(__file__).parent.parent / "templates"
    assert {p.name for p in root.glob("*.j2")} == expected


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_every_template_renders_with_a_sample(kind: MessageKind, language: str) -> None:
    rendered = EMBEDDED.render(kind, language, sample(kind))
    assert rendered.subject.strip()
    assert "\n" not in rendered.subject
    assert rendered.body.strip()
    assert len(rendered.body) <= MAX_CHARS[kind]
    # Chinese names survive every language's template, whatever the encoding on disk.
    assert "李明" in rendered.body or "张经理" in rendered.body
    if kind in CUSTOMER_KINDS:
        assert "王女士" in rendered.body  # the salutation, not the bare name
        assert "明华家电" in rendered.body  # signed with the company
        assert "李明" in rendered.body  # and the staff member


def test_check_all_passes_on_the_embedded_templates() -> None:
    assert EMBEDDED.check_all() == []


@pytest.mark.parametrize("kind", KINDS)
def test_sample_context_has_the_kinds_context_type(kind: MessageKind) -> None:
    assert isinstance(sample_context(kind), CONTEXT_TYPES[kind])


ADVERTISING = (
    "discount",
    "offer",
    "sale",
    "优惠",
    "促销",
    "折扣",
    "優惠",
    "促銷",
    "descuento",
    "oferta",
)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", sorted(CUSTOMER_KINDS))
def test_customer_messages_read_as_care_not_advertising(kind: MessageKind, language: str) -> None:
    # [003]: a greeting that sells is spam to the customer.
    text = EMBEDDED.render(kind, language, sample(kind))
    words = f"{text.subject} {text.body}".lower()
    assert not [word for word in ADVERTISING if word in words]


# Characters that exist only in one of the two scripts: a template in the wrong one slips in
# easily when one is converted from the other.
SIMPLIFIED_ONLY = "们这说时发过还为会对请问户员联电话访节乐录级类变负责无长购买简讯"
TRADITIONAL_ONLY = "們這說時發過還為會對請問戶員聯電話訪節樂錄級類變負責無長購買簡訊"


@pytest.mark.parametrize("kind", KINDS)
def test_chinese_templates_stay_in_their_script(kind: MessageKind) -> None:
    hans = (EMBEDDED_TEMPLATES / template_name(kind, "zh-Hans")).read_text(encoding="utf-8")
    hant = (EMBEDDED_TEMPLATES / template_name(kind, "zh-Hant")).read_text(encoding="utf-8")
    assert not [c for c in TRADITIONAL_ONLY if c in hans]
    assert not [c for c in SIMPLIFIED_ONLY if c in hant]


FORMATS = """{% block subject %}{{ day|date }}{% endblock %}
{% block body %}{{ day|weekday }} {{ amount|money }}{% endblock %}"""


@pytest.mark.parametrize(
    ("language", "currency", "date", "weekday", "money"),
    [
        ("zh-Hans", "CNY", "2026年11月23日", "星期一", "¥1,234.50"),
        ("zh-Hant", "TWD", "2026年11月23日", "星期一", "$1,234.50"),
        ("zh-Hant", "CNY", "2026年11月23日", "星期一", "CN¥1,234.50"),
        ("es", "EUR", "23 de noviembre de 2026", "lunes", "1.234,50\u00a0€"),
        ("en", "USD", "November 23, 2026", "Monday", "$1,234.50"),
        ("en", "CNY", "November 23, 2026", "Monday", "CN¥1,234.50"),
    ],
)
def test_dates_and_money_follow_the_locale(
    tmp_path: Path, language: str, currency: str, date: str, weekday: str, money: str
) -> None:
    context: dict[str, object] = {"day": SAMPLE_TODAY, "amount": Decimal("1234.5")}
    text = render_override(tmp_path, FORMATS, context, language, currency=currency)
    assert text == f"{date}|{weekday} {money}"


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("none|date", "the date filter needs a date, got None"),
        ("none|weekday", "the date filter needs a date, got None"),
        ("'12'|money", "the money filter needs a number, got '12'"),
    ],
)
def test_filters_refuse_missing_values(tmp_path: Path, expression: str, message: str) -> None:
    text = f"{{% block subject %}}x{{% endblock %}}\n{{% block body %}}{{{{ {expression} }}}}"
    with pytest.raises(TemplateError, match=rf"touch\.en\.j2 line 2: TypeError: {message}"):
        render_override(tmp_path, text + "{% endblock %}", {"none": None})


def test_money_takes_another_currency_as_argument(tmp_path: Path) -> None:
    text = "{% block subject %}x{% endblock %}{% block body %}{{ 5|money('EUR') }}{% endblock %}"
    assert render_override(tmp_path, text, {}, "es", currency="CNY") == "x|5,00\u00a0€"


@pytest.mark.parametrize(
    ("customer", "default", "expected"),
    [
        ("zh-Hans", "es", "zh-Hans"),
        ("zh-Hant", "en", "zh-Hant"),
        ("es", "zh-Hans", "es"),
        ("fr", "es", "es"),  # outside the four: the workbook's default
        ("fr", "de", "en"),  # neither known: English
        (None, "zh-Hant", "zh-Hant"),
        ("", None, "en"),
        ("zh-TW", "en", "zh-Hant"),  # region tags staff type mean one of the four
        ("zh_CN", "en", "zh-Hans"),
        ("zh", "en", "zh-Hans"),
        ("ZH-HANT", "en", "zh-Hant"),
        ("es-MX", "en", "es"),
        ("en-GB", "es", "en"),
    ],
)
def test_language_fallback(customer: str | None, default: str | None, expected: str) -> None:
    assert resolve_language(customer, default) == expected


def test_a_missing_user_directory_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        TemplateLibrary(tmp_path / "nowhere")
    assert str(caught.value) == f"templates directory {tmp_path / 'nowhere'} does not exist"


def test_unknown_language_renders_in_the_workbook_default() -> None:
    library = TemplateLibrary(default_language="es")
    rendered = library.render(MessageKind.BIRTHDAY, "fr", sample(MessageKind.BIRTHDAY))
    assert rendered.subject.startswith("¡Feliz cumpleaños")


def test_user_directory_overrides_one_file_and_the_rest_fall_back(tmp_path: Path) -> None:
    write(
        tmp_path,
        "birthday.en.j2",
        "{% block subject %}Ours{% endblock %}{% block body %}Hi {{ customer.name }}{% endblock %}",
    )
    library = TemplateLibrary(tmp_path)
    context = sample(MessageKind.BIRTHDAY)
    assert library.render(MessageKind.BIRTHDAY, "en", context).body == "Hi 王秀英"
    assert library.render(MessageKind.BIRTHDAY, "es", context) == EMBEDDED.render(
        MessageKind.BIRTHDAY, "es", context
    )
    touch = sample(MessageKind.TOUCH)
    assert library.render(MessageKind.TOUCH, "en", touch) == EMBEDDED.render(
        MessageKind.TOUCH, "en", touch
    )
    assert library.check_all() == []


def test_undefined_attribute_names_file_line_and_the_known_attributes(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "birthday.es.j2",
        "{% block subject %}Hola{% endblock %}\n{% block body %}\nHola\n{{ customer.nmae }}\n"
        "{% endblock %}\n",
    )
    with pytest.raises(TemplateError) as caught:
        TemplateLibrary(tmp_path).render(MessageKind.BIRTHDAY, "es", sample(MessageKind.BIRTHDAY))
    assert str(caught.value) == (
        f"{path} line 4: CustomerContext has no attribute 'nmae'; "
        "it has: name, salutation, product, company, familiar, addressed"
    )


def test_undefined_name_in_an_embedded_template_names_its_file_and_line() -> None:
    context = sample(MessageKind.BIRTHDAY)
    del context["company"]
    with pytest.raises(TemplateError) as caught:
        EMBEDDED.render(MessageKind.BIRTHDAY, "en", context)
    assert str(caught.value) == (
        f"{EMBEDDED_TEMPLATES / 'birthday.en.j2'} line 10: 'company' is undefined"
    )


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "touch.zh-Hans.j2",
        "{% block subject %}你好{% endblock %}\n{% block body %}\n{% if %}\n{% endblock %}\n",
    )
    library = TemplateLibrary(tmp_path)
    with pytest.raises(
        TemplateError, match=rf"^{re.escape(str(path))} line 3: Expected an expression"
    ):
        library.render(MessageKind.TOUCH, "zh-Hans", sample(MessageKind.TOUCH))
    assert [str(e).split(":")[0] for e in library.check_all()] == [f"{path} line 3"]


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("''.__class__.__mro__", "access to attribute '__class__' of 'str' object is unsafe"),
        ("items.append(1)", "access to attribute 'append' of 'list' object is unsafe"),
        ("mapping.update(a=1)", "access to attribute 'update' of 'dict' object is unsafe"),
        ("customer.__init__", "access to attribute '__init__'"),
    ],
)
def test_the_sandbox_blocks_internals_and_mutation(
    tmp_path: Path, expression: str, message: str
) -> None:
    text = f"{{% block subject %}}x{{% endblock %}}\n{{% block body %}}\n{{{{ {expression} }}}}\n"
    text += "{% endblock %}"
    context: dict[str, object] = {
        "items": [],
        "mapping": {},
        "customer": CustomerContext(name="王秀英"),
    }
    with pytest.raises(TemplateError, match=rf"touch\.en\.j2 line 3: {message}"):
        render_override(tmp_path, text, context)
    assert context["items"] == [] and context["mapping"] == {}


@pytest.mark.parametrize(
    ("kind", "limit"), [(MessageKind.TOUCH, 500), (MessageKind.STAFF_DIGEST, 20_000)]
)
def test_output_longer_than_the_cap_is_an_error_in_a_check_and_shortened_in_a_run(
    tmp_path: Path, kind: MessageKind, limit: int
) -> None:
    """A template check (sample data) calls it the template's fault; in a run the length
    comes from a cell, and the day's job goes on with the message shortened."""
    body = "{% for i in range(n) %}x{% endfor %}"
    write(
        tmp_path,
        template_name(kind, "en"),
        f"{{% block subject %}}s{{% endblock %}}{{% block body %}}{body}{{% endblock %}}",
    )
    library = TemplateLibrary(tmp_path)
    assert len(library.render(kind, "en", {"n": limit}).body) == limit
    with pytest.raises(
        TemplateError, match=f"body is {limit + 1} characters, more than the {limit}"
    ):
        library.render(kind, "en", {"n": limit + 1}, strict=True)
    shortened = library.render(kind, "en", {"n": limit + 1}).body
    assert len(shortened) == limit and shortened.endswith("…")


def test_a_customer_message_stays_under_the_cap_with_long_names() -> None:
    customer = CustomerContext(name="María " * 10, product="lavadora " * 5)
    context = dataclasses.replace(sample_context(MessageKind.TOUCH), customer=customer)
    assert isinstance(context, TouchContext)
    for language in LANGUAGES:
        assert len(EMBEDDED.render(MessageKind.TOUCH, language, as_context(context)).body) <= 500


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{% block body %}x{% endblock %}", "no {% block subject %}"),
        (
            "{% block subject %} {% endblock %}{% block body %}x{% endblock %}",
            "the subject is empty",
        ),
        ("{% block subject %}s{% endblock %}{% block body %}{{ none }}{% endblock %}", "is None"),
    ],
)
def test_malformed_templates_are_errors(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(TemplateError, match=r"touch\.en\.j2") as caught:
        render_override(tmp_path, text, {"none": None})
    assert message in str(caught.value)


def test_shared_pieces_and_top_level_definitions_reach_both_blocks(tmp_path: Path) -> None:
    write(tmp_path, "_signature.j2", "{% macro sign(person) %}-- {{ person.name }}{% endmacro %}")
    text = """{% from "_signature.j2" import sign %}
{% set greeting = "Hi " ~ customer.addressed %}
{% block subject %}{{ greeting }}{% endblock %}
{% block body %}{{ greeting }}
{{ sign(staff) }}{% endblock %}"""
    context = sample(MessageKind.TOUCH)
    assert render_override(tmp_path, text, context) == "Hi 王女士|Hi 王女士\n-- 李明"
    assert TemplateLibrary(tmp_path).check_all() == []


def test_a_template_may_extend_a_shared_one_and_fill_one_block(tmp_path: Path) -> None:
    write(
        tmp_path,
        "_base.j2",
        "{% block subject %}Hello {{ customer.addressed }}{% endblock %}"
        "{% block body %}{% endblock %}",
    )
    text = """{# the subject comes from _base.j2 #}
{% extends "_base.j2" %}
{% block body %}We think of you.{% endblock %}"""
    context = sample(MessageKind.TOUCH)
    assert render_override(tmp_path, text, context) == "Hello 王女士|We think of you."


def test_an_error_in_a_shared_piece_names_that_file(tmp_path: Path) -> None:
    piece = write(
        tmp_path, "_signature.j2", "{% macro sign(person) %}\n{{ person.nmae }}{% endmacro %}"
    )
    text = """{% from "_signature.j2" import sign %}
{% block subject %}x{% endblock %}
{% block body %}{{ sign(staff) }}{% endblock %}"""
    with pytest.raises(TemplateError, match=rf"^{re.escape(str(piece))} line 2: StaffContext has"):
        render_override(tmp_path, text, sample(MessageKind.TOUCH))


def test_check_all_flags_a_misspelt_override(tmp_path: Path) -> None:
    path = write(tmp_path, "birthday.zh-hans.j2", "{% block subject %}x{% endblock %}")
    errors = TemplateLibrary(tmp_path).check_all()
    assert [str(e) for e in errors] == [
        f"{path}: not a template name sheetcrm uses; expected <kind>.<language>.j2, "
        "e.g. birthday.zh-Hans.j2"
    ]


def test_sample_digest_lists_key_complaints_first() -> None:
    body = EMBEDDED.render(MessageKind.STAFF_DIGEST, "en", sample(MessageKind.STAFF_DIGEST)).body
    assert body.index("★ 孙芳 [A]") < body.index("周杰 [C]")
    assert "3 days overdue" in body
    assert "tomorrow" in body and "prepare the card or gift" in body
    assert dt.date(2026, 11, 20).strftime("%B") in body  # the overdue item's due date
