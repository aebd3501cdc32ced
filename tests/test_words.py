"""The words staff really type, per language: each read as the member of the lifecycle [000]
[003], the contact log's channel or purpose [000][001], gender or yes/no it stands for."""

from __future__ import annotations

import pytest

from sheetcrm.messages import render
from sheetcrm.rules.parsers import parse_enum
from sheetcrm.rules.parsers.result import Invalid
from sheetcrm.rules.rows import ParseOptions, parsers_for
from sheetcrm.schema import FieldType
from sheetcrm.vocabulary import (
    CONTACT_TYPE_WORDS,
    GENDER_WORDS,
    STATUS_WORDS,
    YES_NO_WORDS,
    ContactType,
    Gender,
    Status,
    YesNo,
)

V, P, C, L = Status.VISITOR, Status.PROSPECT, Status.CUSTOMER, Status.LOST
STATUS_AS_TYPED = [
    # zh-Hans: a shop's own dropdown (潜在,成交,流失) and the common CRM states
    ("zh-Hans", "潜在", P), ("zh-Hans", "成交", C), ("zh-Hans", "流失", L),
    ("zh-Hans", "意向", P), ("zh-Hans", "跟进中", P), ("zh-Hans", "已成交", C),
    ("zh-Hans", "回头客", C), ("zh-Hans", "老客户", C), ("zh-Hans", "新客户", C),
    ("zh-Hans", "沉睡", L), ("zh-Hans", "沉睡客户", L), ("zh-Hans", "已流失", L),
    ("zh-Hans", "潜在客户", P), ("zh-Hans", "【成交】", C), ("zh-Hans", " 成交客户 ", C),
    # zh-Hant: Taiwan and Hong Kong
    ("zh-Hant", "潛在", P), ("zh-Hant", "意向", P), ("zh-Hant", "成交", C),
    ("zh-Hant", "舊客", C), ("zh-Hant", "舊客戶", C), ("zh-Hant", "熟客", C),
    ("zh-Hant", "新客", C), ("zh-Hant", "流失", L),
    # es: Spain and Latin America
    ("es", "potencial", P), ("es", "Interesado", P), ("es", "en seguimiento", P),
    ("es", "Cliente habitual", C), ("es", "habitual", C), ("es", "inactivo", L),
    ("es", "perdido", L), ("es", "baja", L), ("es", "CLIENTE", C),
    ("es", "cliente fiel", C), ("es", "clienta habitual", C), ("es", "Cliente recurrente", C),
    # en: HubSpot and Salesforce exports
    ("en", "lead", V), ("en", "subscriber", V), ("en", "marketingqualifiedlead", P),
    ("en", "salesqualifiedlead", P), ("en", "opportunity", P), ("en", "won", C),
    ("en", "evangelist", C), ("en", "Former Customer", L), ("en", "dormant", L),
    ("en", "churned", L), ("en", "ＷＯＮ", C),
]  # fmt: skip

T = ContactType
CONTACT_AS_TYPED = [
    ("zh-Hans", "到店", T.VISIT), ("zh-Hans", "售后", T.AFTER_SALES), ("zh-Hans", "报价", T.QUOTE),
    ("zh-Hans", "电话", T.CALL), ("zh-Hans", "短信", T.SMS), ("zh-Hans", "投诉", T.COMPLAINT),
    ("zh-Hans", "跟进", T.FOLLOW_UP), ("zh-Hans", "微信", T.CHAT), ("zh-Hans", "送货", T.DELIVERY),
    ("zh-Hant", "親訪", T.VISIT), ("zh-Hant", "來店", T.VISIT), ("zh-Hant", "電郵", T.EMAIL),
    ("zh-Hant", "售後服務", T.AFTER_SALES), ("zh-Hant", "客訴", T.COMPLAINT),
    ("zh-Hant", "簡訊", T.SMS), ("zh-Hant", "短訊", T.SMS),
    ("es", "Seguimiento", T.FOLLOW_UP), ("es", "Incidencia", T.COMPLAINT),
    ("es", "Presupuesto", T.QUOTE), ("es", "Postventa", T.AFTER_SALES),
    ("es", "WhatsApp", T.CHAT), ("es", "Llamada", T.CALL),
    ("en", "Follow-up", T.FOLLOW_UP), ("en", "follow up", T.FOLLOW_UP), ("en", "Quote", T.QUOTE),
    ("en", "Phone call", T.CALL), ("en", "E-mail", T.EMAIL), ("en", "Other", T.OTHER),
]  # fmt: skip

YES_NO_AS_TYPED = [
    ("zh-Hans", "√", YesNo.YES), ("zh-Hans", "×", YesNo.NO), ("zh-Hans", "已解决", YesNo.YES),
    ("zh-Hans", "未解决", YesNo.NO), ("zh-Hans", "处理中", YesNo.NO),
    ("zh-Hans", "在职", YesNo.YES),
    ("zh-Hant", "已解決", YesNo.YES), ("zh-Hant", "處理中", YesNo.NO),
    ("es", "Resuelto", YesNo.YES), ("es", "Pendiente", YesNo.NO), ("es", "Activo", YesNo.YES),
    ("es", "De baja", YesNo.NO), ("en", "Active", YesNo.YES), ("en", "Inactive", YesNo.NO),
    ("en", "✓", YesNo.YES), ("en", "Open", YesNo.NO),
]  # fmt: skip

GENDER_AS_TYPED = [
    ("zh-Hans", "小姐", Gender.FEMALE), ("zh-Hant", "小姐", Gender.FEMALE),
    ("es", "Sr.", Gender.MALE), ("es", "Sra.", Gender.FEMALE),
    ("en", "Mrs", Gender.FEMALE), ("en", "Mr.", Gender.MALE),
]  # fmt: skip

# Satisfaction, as a survey or callback records it [001]: a score, or a word for one.
SATISFACTION_AS_TYPED = [
    ("zh-Hans", "满意", 4), ("zh-Hans", "一般", 3), ("zh-Hans", "不满意", 2),
    ("zh-Hans", "非常满意", 5), ("zh-Hans", "非常不满意", 1), ("zh-Hans", "5", 5),
    ("zh-Hant", "滿意", 4), ("zh-Hant", "普通", 3), ("zh-Hant", "不滿意", 2),
    ("es", "Satisfecho", 4), ("es", "Regular", 3), ("es", "Muy satisfecha", 5),
    ("es", "Insatisfecho", 2), ("es", "muy insatisfecho", 1),
    ("en", "Very satisfied", 5), ("en", "Neutral", 3), ("en", "Dissatisfied", 2),
    ("en", 4, 4), ("en", 1.0, 1),
]  # fmt: skip


@pytest.mark.parametrize(("language", "typed", "score"), SATISFACTION_AS_TYPED)
def test_satisfaction_words(language: str, typed: str | float, score: int) -> None:
    parse = parsers_for(ParseOptions(language=language))[FieldType.SATISFACTION]
    assert parse(typed) == score


def test_a_satisfaction_word_that_is_not_one_is_an_unknown_word() -> None:
    parse = parsers_for(ParseOptions(language="es"))[FieldType.SATISFACTION]
    parsed = parse("estupendo y tal")
    assert isinstance(parsed, Invalid) and parsed.code == "enum.unknown"


@pytest.mark.parametrize(("language", "typed", "member"), STATUS_AS_TYPED)
def test_status_words(language: str, typed: str, member: Status) -> None:
    assert parse_enum(typed, STATUS_WORDS) is member


@pytest.mark.parametrize(("language", "typed", "member"), CONTACT_AS_TYPED)
def test_contact_words(language: str, typed: str, member: ContactType) -> None:
    assert parse_enum(typed, CONTACT_TYPE_WORDS) is member


@pytest.mark.parametrize(("language", "typed", "member"), YES_NO_AS_TYPED)
def test_yes_no_words(language: str, typed: str, member: YesNo) -> None:
    assert parse_enum(typed, YES_NO_WORDS) is member


@pytest.mark.parametrize(("language", "typed", "member"), GENDER_AS_TYPED)
def test_gender_words(language: str, typed: str, member: Gender) -> None:
    assert parse_enum(typed, GENDER_WORDS) is member


@pytest.mark.parametrize(
    ("language", "accepted"),
    [
        ("en", "visitor / prospect / customer / lost"),
        ("zh-Hans", "访客 / 潜在客户 / 成交客户 / 流失"),
        ("zh-Hant", "訪客 / 潛在客戶 / 成交客戶 / 流失"),
        ("es", "visitante / prospecto / cliente / perdido"),
    ],
)
def test_an_unknown_word_is_told_in_the_reader_s_language(language: str, accepted: str) -> None:
    unknown = parse_enum("合作伙伴", STATUS_WORDS)
    assert isinstance(unknown, Invalid)
    assert accepted in render(unknown.code, dict(unknown.params), language)


def test_readme_lists_the_words_the_code_accepts() -> None:
    from pathlib import Path

    from sheetcrm.vocabulary import words_markdown

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    listed = readme.split("<!-- words:start -->\n")[1].split("\n<!-- words:end -->")[0]
    assert listed == words_markdown()


@pytest.mark.parametrize(
    ("language", "typed", "read"),
    [
        ("es", "M", "female"),  # mujer
        ("es", "H", "male"),  # hombre
        ("es", "V", "male"),  # varón
        ("es", "F", "female"),
        ("en", "M", "male"),
        ("en", "F", "female"),
        ("zh-Hans", "M", "male"),
        (None, "M", "gender.ambiguous"),  # nothing tells the workbook's language
        (None, "F", "female"),
        ("es", "mujer", "female"),
        ("en", "Male", "male"),
    ],
)
def test_gender_letters_follow_the_workbook_s_language(
    language: str | None, typed: str, read: str
) -> None:
    from sheetcrm.rules.rows import ParseOptions, parsers_for
    from sheetcrm.schema import FieldType

    parsed = parsers_for(ParseOptions(language=language))[FieldType.GENDER](typed)
    assert (parsed.code if isinstance(parsed, Invalid) else parsed.value) == read
