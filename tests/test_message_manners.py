"""Messages people would send [issue 13]: signed by someone who is there, no stray punctuation
where a field is empty, customers addressed as each language does (王女士, Sra. García, Ms
Johnson; a company as a company), usted or tú as the shop chooses."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from sheetcrm.message_context import CustomerContext, StaffContext, sample_context
from sheetcrm.outbound import CUSTOMER_KINDS, MessageKind
from sheetcrm.records import Customer
from sheetcrm.rules.addressing import is_company, salutation
from sheetcrm.templating import TemplateLibrary
from sheetcrm.vocabulary import LANGUAGES, Gender

LIBRARY = TemplateLibrary(None)
# Texts a message or a line always has: who it is about, what to do, what changed.
KEPT = {"name", "customer", "action", "new_tier", "recipient", "kind", "channel"}
KEPT_IN = {("QuietCustomer", "tier"), ("InactiveStaff", "staff")}

# What an empty field leaves behind when a template does not expect it.
ARTEFACTS = re.compile(
    r"，：|：，|，，|，。|（）|【】|\(\s*\)|\[\s*\]|,\s*,|\s,|\s\.|\s:|:\s*,|,\s*:|\S  |的。|是。"
    r"|^\s*[，。：,.:;!]|^\s*敬上|Soy ,|de \.|from \.|this is \s|\)-|）-",
    re.MULTILINE,
)


def emptied(value: Any) -> Any:
    """The context with every optional text empty (phones, products, salutations, reasons,
    summaries, the company's name); names stay: a message is always to someone."""
    if isinstance(value, tuple):
        return tuple(emptied(v) for v in value)
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        return value
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(value):
        v = getattr(value, f.name)
        if isinstance(v, str):
            kept = f.name in KEPT or (type(value).__name__, f.name) in KEPT_IN
            changes[f.name] = v if kept else ""
        else:
            changes[f.name] = emptied(v)
    return dataclasses.replace(value, **changes)


def variants(kind: MessageKind) -> list[Any]:
    """The sample, then with every optional field empty; customer messages also with no
    owner to sign, to a company, and in tú."""
    sample = sample_context(kind)
    if kind not in CUSTOMER_KINDS:
        return [sample, emptied(sample)]
    bare = dataclasses.replace(emptied(sample), staff=StaffContext(""))
    out = [sample, bare]
    for who in (
        CustomerContext("深圳市华强电子有限公司", company=True),
        CustomerContext("María", familiar=True),
        CustomerContext("María", familiar=True, product="lavadora"),
    ):
        out += [dataclasses.replace(sample, customer=who), dataclasses.replace(bare, customer=who)]
    return out


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", list(MessageKind))
def test_no_template_leaves_stray_punctuation_where_a_field_is_empty(
    kind: MessageKind, language: str
) -> None:
    for context in variants(kind):
        fields = {f.name: getattr(context, f.name) for f in dataclasses.fields(context)}
        text = LIBRARY.render(kind, language, fields, strict=True)
        for part in (text.subject, text.body):
            found = ARTEFACTS.search(part)
            assert found is None, f"{found.group()!r} in {part!r}"  # type: ignore[union-attr]


F, M = Gender.FEMALE, Gender.MALE


@pytest.mark.parametrize(
    ("language", "name", "gender", "extra", "expected"),
    [
        ("zh-Hans", "王秀英", F, {}, "王女士"),
        ("zh-Hans", "李建国", M, {}, "李先生"),
        ("zh-Hans", "欧阳娜娜", F, {}, "欧阳女士"),
        ("zh-Hans", "王秀英", None, {}, ""),  # gender unknown: the full name
        ("zh-Hans", "王秀英", F, {"salutation": "王姐"}, "王姐"),  # staff know better
        ("zh-Hans", "Mary Johnson", F, {}, ""),  # a Latin name in a Chinese register
        ("zh-Hant", "陳美玲", F, {}, "陳女士"),
        ("zh-Hant", "歐陽震華", M, {}, "歐陽先生"),
        ("es", "María García López", F, {}, "Sra. García"),
        ("es", "José Luis Martínez Pérez", M, {}, "Sr. Martínez"),
        ("es", "Juan de la Cruz", M, {}, "Sr. de la Cruz"),
        ("es", "Carmen Ruiz", F, {"salutation": "Doña Carmen"}, "Doña Carmen"),
        ("es", "Carmen Ruiz", F, {"salutation": "Dra."}, "Dra. Ruiz"),  # a bare title
        ("es", "Lucía Fernández", None, {}, ""),
        ("es", "Ana", F, {"family_name": "Torres Vidal"}, "Sra. Torres"),
        ("es", "María García López", F, {"familiar": True}, "María"),  # tú: first name
        ("en", "Mary Johnson", F, {}, "Ms Johnson"),
        ("en", "Tom Baker", M, {}, "Mr Baker"),
        ("en", "Mary Johnson", None, {"familiar": True}, "Mary"),
        ("en", "Acme Ltd", None, {}, ""),  # a company: its name
        ("es", "Construcciones Pérez S.L.", None, {"familiar": True}, ""),
    ],
)
def test_customers_are_addressed_as_each_language_does(
    language: str, name: str, gender: Gender | None, extra: dict[str, Any], expected: str
) -> None:
    familiar = extra.pop("familiar", False)
    customer = Customer(2, "C1", name, gender=gender, **extra)
    assert salutation(customer, language, familiar=familiar) == expected


@pytest.mark.parametrize(
    ("name", "company"),
    [
        ("深圳市华强电子有限公司", True),
        ("华强电子厂", True),
        ("Construcciones Pérez S.L.", True),
        ("Distribuidora Norte, S.A. de C.V.", True),
        ("Acme Ltd", True),
        ("Bright Home Inc.", True),
        ("王秀英", False),
        ("María García López", False),
        ("Mary Johnson", False),
    ],
)
def test_a_company_is_known_by_its_name(name: str, company: bool) -> None:
    assert is_company(name) is company


@pytest.mark.parametrize(
    ("owner", "reassign", "signed_by"),
    [
        ("李娜", False, "明华家电 李娜 敬上"),  # the owner, who is there
        ("何静", True, "明华家电 张经理 敬上"),  # left: her manager looks after her customers
        ("何静", False, "明华家电 敬上"),  # left, nobody took over: the shop signs
        ("", False, "明华家电 敬上"),  # no owner typed
    ],
)
def test_a_greeting_is_signed_by_someone_who_is_there(
    owner: str, reassign: bool, signed_by: str
) -> None:

    from sheetcrm.message_context import as_context
    from sheetcrm.records import StaffMember
    from sheetcrm.rules.plan_settings import PlanSettings, plan_params
    from sheetcrm.rules.plans import plan_customers
    from sheetcrm.rules.reminders import ReminderParams, customer_intents
    from sheetcrm.vocabulary import Tier

    today = dt.date(2027, 3, 8)
    staff = [
        StaffMember(2, "李娜", manager="张经理"),
        StaffMember(3, "何静", active=False, manager="张经理"),
        StaffMember(4, "张经理"),
    ]
    customer = Customer(2, "C1", "王秀英", gender=F, birthday=dt.date(1980, 3, 8), owner=owner)
    settings = plan_params(PlanSettings(reassign_inactive=reassign))
    plans = plan_customers([customer], [], [], staff, {"C1": Tier.A}, today, settings)
    intents = customer_intents(
        [customer], staff, plans, {}, today, ReminderParams("明华家电", "zh-Hans")
    )
    (intent,) = [i for i in intents if i.kind is MessageKind.BIRTHDAY]
    body = LIBRARY.render(intent.kind, "zh-Hans", as_context(intent.context)).body
    assert body.startswith("王女士您好！今天是您的生日") and body.endswith("\n" + signed_by), body


CJK = re.compile(r"[\u3400-\u9fff]")
SIMPLIFIED_ONLY = re.compile(
    r"[们这节问联经员会发时该对让东华为]"
)  # traditional: 們這節問聯經員...
LATIN_WORDS = re.compile(r"[A-Za-z]{3,}")
MOURNING = {
    dt.date(2027, 2, 28): "228 和平紀念日",
    dt.date(2027, 4, 5): "清明",
    dt.date(2027, 3, 26): "Viernes Santo / Good Friday",
    dt.date(2027, 11, 1): "Todos los Santos",
    dt.date(2027, 11, 2): "Día de Muertos",
}


@pytest.mark.parametrize(
    ("language", "country", "festivals", "foreign"),
    [
        ("es", None, {"Año Nuevo", "Reyes", "Navidad"}, CJK),
        ("es", "MX", {"Año Nuevo", "Navidad"}, CJK),
        ("zh-Hant", None, {"元旦", "春節", "端午節", "中秋節", "聖誕節"}, SIMPLIFIED_ONLY),
        ("zh-Hant", "HK", {"元旦", "農曆新年", "端午節", "中秋節", "聖誕節"}, SIMPLIFIED_ONLY),
    ],
    ids=["Spain", "Mexico", "Taiwan", "Hong Kong"],
)
def test_a_year_of_a_new_shop_stays_in_its_market(
    tmp_path: Path,
    language: str,
    country: str | None,
    festivals: set[str],
    foreign: re.Pattern[str],
) -> None:
    """`init` for a market, then every day of 2027 previewed: greetings only on its festive
    days, never on a day of mourning, every word in its language."""
    from sheetcrm.preview import preview
    from sheetcrm.settings import load_settings
    from sheetcrm.starter import create_starter

    new_year = dt.date(2027, 1, 1)
    shop = create_starter(
        tmp_path / "shop", language=language, customers=20, today=new_year, country=country
    )
    lines = preview(load_settings(shop.settings), today=new_year, days=365)
    holidays = [line.message for line in lines if line.message.kind is MessageKind.HOLIDAY]
    assert {m.reason for m in holidays} == festivals
    greetings = [line.message for line in lines if line.message.kind in CUSTOMER_KINDS]
    assert not [(m.occasion, MOURNING[m.occasion]) for m in greetings if m.occasion in MOURNING]
    for message in (line.message for line in lines):
        for part in (message.subject, message.body):
            assert not foreign.search(part), part
            if language.startswith("zh") and message.kind in CUSTOMER_KINDS:
                assert not LATIN_WORDS.search(part), part


@pytest.mark.parametrize(
    ("country", "words", "not_words"),
    [("HK", ("早晨",), ("早安", "簡訊", "客訴")), ("TW", ("早安",), ("早晨", "短訊"))],
)
def test_hong_kong_reads_its_own_words(
    tmp_path: Path, country: str, words: tuple[str, ...], not_words: tuple[str, ...]
) -> None:
    from sheetcrm.preview import preview
    from sheetcrm.settings import load_settings
    from sheetcrm.starter import create_starter

    day = dt.date(2027, 3, 8)
    shop = create_starter(
        tmp_path / "shop", language="zh-Hant", customers=30, today=day, country=country
    )
    texts = [
        line.message.subject + line.message.body
        for line in preview(load_settings(shop.settings), today=day, days=3)
    ]
    digests = [t for t in texts if "待辦" in t]
    assert digests and all(w in t for t in digests for w in words)
    assert not [t for t in texts for w in not_words if w in t]


def test_an_open_complaint_in_the_digest_says_what_went_wrong() -> None:
    from sheetcrm.message_context import as_context
    from sheetcrm.records import Contact, StaffMember
    from sheetcrm.rules.plan_settings import PlanSettings, plan_params
    from sheetcrm.rules.plans import plan_customers
    from sheetcrm.rules.reminders import ReminderParams, staff_intents
    from sheetcrm.vocabulary import ContactType, Tier

    today = dt.date(2027, 3, 8)
    staff = [StaffMember(2, "李娜")]
    customer = Customer(2, "C1", "黄丽", owner="李娜")
    complaint = Contact(
        3, dt.date(2027, 3, 6), ContactType.COMPLAINT, customer_id="C1", staff="李娜",
        summary="安装延误", resolved=False,
    )  # fmt: skip
    plans = plan_customers(
        [customer], [complaint], [], staff, {"C1": Tier.C}, today, plan_params(PlanSettings())
    )
    (intent,) = staff_intents(
        [customer], staff, plans, today, ReminderParams("明华家电", "zh-Hans")
    )
    body = LIBRARY.render(intent.kind, "zh-Hans", as_context(intent.context)).body
    assert "- 黄丽【C类】：安装延误，自2027年3月6日起已 2 天" in body, body
