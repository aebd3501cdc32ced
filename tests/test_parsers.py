"""Cells as staff really type them, read the way the documents' users mean them."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sheetcrm.rules.parsers import (
    Invalid,
    amount_or_float,
    excel_serial_to_date,
    parse_amount,
    parse_date,
    parse_email,
    parse_enum,
    parse_id,
    parse_integer,
    parse_language,
    parse_percent,
    parse_phone,
    to_excel_serial,
)
from sheetcrm.rules.parsers.amounts import finite_floats
from sheetcrm.rules.parsers.dates import iso_day
from sheetcrm.rules.parsers.ids import plain_ids
from sheetcrm.rules.parsers.lunar_dates import parse_birthday
from sheetcrm.rules.parsers.phones import guessed_elsewhere
from sheetcrm.vocabulary import (
    CONTACT_TYPE_WORDS,
    STATUS_WORDS,
    YES_NO_WORDS,
    ContactType,
    Status,
    YesNo,
)

D = dt.date


def code(result: object) -> str:
    assert isinstance(result, Invalid), result
    return result.code


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("138 0013 8000", "+8613800138000"),
        ("１３８００１３８０００", "+8613800138000"),
        ("0086 138 0013 8000", "+8613800138000"),
        ("(+86) 138-0013-8000", "+8613800138000"),
        ("+86 138.0013.8000", "+8613800138000"),
        (13800138000.0, "+8613800138000"),
        ("+34 612 345 678", "+34612345678"),
        ("0034 612345678", "+34612345678"),
        ("010-6552 9988", "+861065529988"),
    ],
    ids=[
        "spaced mobile",
        "full-width digits",
        "0086 prefix",
        "(+86) with dashes",
        "dots",
        "number cell",
        "Spanish mobile",
        "00 34 prefix",
        "Beijing landline",
    ],
)
def test_phones_as_typed(typed: object, expected: str) -> None:
    assert parse_phone(typed, "CN") == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("typed", "region", "expected"),
    [
        ("158 1965 7762", "US", "phone.other_region"),  # a Chinese mobile, not Quebec's 581
        ("1 581 965 7762", "US", "phone.other_region"),  # Canada's, yet only with its +1
        ("+1 581 965 7762", "US", "+15819657762"),
        ("(787) 555-1234", "US", "+17875551234"),  # Puerto Rico: no digit was dropped
        ("(415) 555-2671", "US", "+14155552671"),
        ("158 1965 7762", "CN", "+8615819657762"),
        ("0755 8888 6666", "CN", "+8675588886666"),  # a trunk 0 that stays in China
        ("0912 345 678", "TW", "+886912345678"),
    ],
)
def test_a_number_read_only_by_guessing_another_region_is_a_problem(
    typed: str, region: str, expected: str
) -> None:
    got = parse_phone(typed, region)
    assert (code(got) if isinstance(got, Invalid) else got) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12345", "phone.invalid"),
        ("call me", "phone.not_a_number"),
        (True, "phone.not_a_number"),
        ("+86 138 0013 8000 +1", "phone.not_a_number"),
    ],
    ids=["too short", "words", "a checkbox", "two numbers"],
)
def test_bad_phones(typed: object, expected: str) -> None:
    assert code(parse_phone(typed, "CN")) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("li.fang@example.com", "li.fang@example.com"),
        ("ｌｉ＠ｅｘａｍｐｌｅ．ｃｏｍ", "li@example.com"),
        ("li@example。com", "li@example.com"),
        (" mailto:Ana@Example.ES ", "Ana@example.es"),
    ],
    ids=["plain", "full-width", "ideographic full stop", "mailto and case"],
)
def test_emails_as_typed(typed: str, expected: str) -> None:
    assert parse_email(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("not an email", "email.no_at"),
        ("li@fang@example.com", "email.no_at"),
        ("li@", "email.bad_domain"),
        ("li@example", "email.bad_domain"),
        ("li@exa mple.com", "email.bad_domain"),
        ("@example.com", "email.bad_name"),
        ("a b@example.com", "email.bad_name"),
        ("li..fang@example.com", "email.bad_name"),
    ],
)
def test_bad_emails(typed: str, expected: str) -> None:
    assert code(parse_email(typed)) == expected


@pytest.mark.parametrize(
    ("typed", "day_first", "expected"),
    [
        (D(1980, 3, 5), None, D(1980, 3, 5)),
        (dt.datetime(1980, 3, 5, 14, 30), None, D(1980, 3, 5)),
        (45000.0, None, D(2023, 3, 15)),
        (1.0, None, D(1900, 1, 1)),
        (59.0, None, D(1900, 2, 28)),
        (61.0, None, D(1900, 3, 1)),
        ("2024-03-05", None, D(2024, 3, 5)),
        ("2024/3/5", None, D(2024, 3, 5)),
        ("2024.3.5", None, D(2024, 3, 5)),
        ("20240305", None, D(2024, 3, 5)),
        ("2024年3月5日", None, D(2024, 3, 5)),
        ("2024年03月05号", None, D(2024, 3, 5)),
        ("２０２４年３月５日", None, D(2024, 3, 5)),
        ("二〇二四年三月五日", None, D(2024, 3, 5)),
        ("二〇二四年十二月二十五日", None, D(2024, 12, 25)),
        ("5 de marzo de 1980", None, D(1980, 3, 5)),
        ("5 Marzo 1980", None, D(1980, 3, 5)),
        ("5-mar-1980", None, D(1980, 3, 5)),
        ("1 de septiembre de 2024", None, D(2024, 9, 1)),
        ("March 5, 1980", None, D(1980, 3, 5)),
        ("5 Mar 1980", None, D(1980, 3, 5)),
        ("05/03/1980", True, D(1980, 3, 5)),
        ("05/03/1980", False, D(1980, 5, 3)),
        ("5-3-80", True, D(1980, 3, 5)),
        ("05.03.1980", True, D(1980, 3, 5)),
        ("25/03/1980", None, D(1980, 3, 25)),
        ("03/03/1980", None, D(1980, 3, 3)),
        ("1/2/05", True, D(2005, 2, 1)),
    ],
    ids=[
        "date cell",
        "date and time cell",
        "Excel serial",
        "serial 1 is 1900-01-01",
        "serial 59 before the phantom leap day",
        "serial 61 after it",
        "ISO",
        "slashes",
        "dots",
        "compact",
        "Chinese",
        "Chinese with 号",
        "full-width Chinese",
        "Chinese numerals",
        "Chinese numerals with tens",
        "Spanish long",
        "Spanish short",
        "Spanish abbreviated",
        "septiembre",
        "English",
        "English abbreviated",
        "day first as configured",
        "month first as configured",
        "two-digit year",
        "dotted day first",
        "unambiguous day over 12",
        "same day and month",
        "two-digit year 05 is 2005",
    ],
)
def test_dates_as_typed(typed: object, day_first: bool | None, expected: D) -> None:
    assert parse_date(typed, day_first=day_first) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("typed", "day_first", "expected"),
    [
        ("05/03/1980", None, "date.ambiguous"),
        ("25/03/1980", False, "date.contradicts_order"),
        ("03/25/1980", True, "date.contradicts_order"),
        ("31/02/2024", True, "date.impossible"),
        ("2023-02-29", None, "date.impossible"),
        (60.0, None, "date.impossible"),
        (1980.0, None, "date.year_only"),
        (-5.0, None, "date.serial_out_of_range"),
        ("next tuesday", None, "date.unreadable"),
        (True, None, "date.unreadable"),
    ],
    ids=[
        "ambiguous without a setting is never guessed",
        "contradicts month-first",
        "contradicts day-first",
        "31 February",
        "29 February of a common year",
        "Lotus's phantom 1900-02-29",
        "a bare year",
        "negative serial",
        "words",
        "checkbox",
    ],
)
def test_bad_dates(typed: object, day_first: bool | None, expected: str) -> None:
    assert code(parse_date(typed, day_first=day_first)) == expected  # type: ignore[arg-type]


def test_the_ambiguous_date_message_names_both_readings() -> None:
    result = parse_date("05/03/1980", day_first=None)
    assert isinstance(result, Invalid)
    assert dict(result.params) == {"day_first": "1980-03-05", "month_first": "1980-05-03"}


@given(
    st.dates(min_value=D(1, 1, 1), max_value=D(9999, 12, 31)),
    st.sampled_from(["-", "/", ".", "年"]),
    st.booleans(),
)
def test_a_date_typed_year_first_reads_the_same_in_the_iso_form_and_out_of_it(
    day: D, sep: str, birthday: bool
) -> None:
    # YYYY-MM-DD is read at C speed (iso_day); every other year-first form by the patterns.
    parse = parse_birthday if birthday else parse_date
    if sep == "年":
        typed = f"{day.year:04d}年{day.month:02d}月{day.day:02d}日"
    else:
        typed = f"{day.year:04d}{sep}{day.month:02d}{sep}{day.day:02d}"
    assert parse(typed, day_first=None) == day


@pytest.mark.parametrize(
    ("typed", "in_c", "read"),
    [
        ("2027-02-01", True, D(2027, 2, 1)),
        ("2027-02-30", False, "date.impossible"),  # no such day: the patterns say why
        ("2027-2-1", False, D(2027, 2, 1)),
        (" 2027-02-01", False, D(2027, 2, 1)),
        ("２０２７-０２-０１", False, D(2027, 2, 1)),  # full-width digits: NFKC first
        ("20270201", False, D(2027, 2, 1)),
        ("2027-W05-1", False, "date.unreadable"),  # ISO weeks are not a way staff type
        ("2027-02-01T00", False, "date.unreadable"),
    ],
)
def test_only_the_exact_iso_form_is_read_in_c(typed: str, in_c: bool, read: D | str) -> None:
    assert (iso_day(typed) is not None) is in_c
    parsed = parse_date(typed, day_first=None)
    assert (code(parsed) if isinstance(parsed, Invalid) else parsed) == read


@pytest.mark.parametrize(
    ("ids", "plain"),
    [
        (["C000123", "O0000456", "abc"], True),
        (["C000123", "C 000124"], False),  # a space: parse_id makes it single
        (["C000123", ""], False),
        (["C000123", 124.0], False),
        (["C000123", "Ｃ０００１２５"], False),  # full-width: NFKC first
        (["C-000123"], False),
        ([], False),
    ],
)
def test_a_column_of_plain_ids_is_each_its_own_id(ids: list[object], plain: bool) -> None:
    assert plain_ids(ids) is plain  # type: ignore[arg-type]
    if plain:
        assert [parse_id(v) for v in ids] == ids  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("cells", "as_they_are"),
    [
        ([1200.0, 0.5, -30.0, 0.0], True),
        ([1200.0, math.inf], False),  # a number no amount is
        ([1200.0, math.nan], False),
        ([1200.0, 1200], False),  # an int: made a Decimal
        ([1200.0, True], False),  # a tick box, not a number
        ([1200.0, "¥1,200"], False),
        ([1200.0, ""], False),  # blank
        ([], False),
    ],
)
def test_a_block_of_number_cells_is_each_its_own_amount_when_no_decimal_is_wanted(
    cells: list[object], as_they_are: bool
) -> None:
    assert finite_floats(cells) is as_they_are  # type: ignore[arg-type]
    if as_they_are:
        assert [amount_or_float(v, decimal_comma=False) for v in cells] == cells  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("serial", "date1904", "expected"),
    [
        (0.0 + 1, True, D(1904, 1, 2)),
        (45000.0, False, D(2023, 3, 15)),
        (43538.0, True, D(2023, 3, 15)),
    ],
    ids=["1904 serial 1", "1900 system", "1904 system: 1462 days less"],
)
def test_excel_serials(serial: float, date1904: bool, expected: D) -> None:
    assert excel_serial_to_date(serial, date1904) == expected
    assert to_excel_serial(expected, date1904) == serial


@given(st.dates(min_value=D(1900, 1, 1), max_value=D(9999, 12, 31)), st.booleans())
def test_serials_round_trip(day: D, date1904: bool) -> None:
    if date1904 and day < D(1904, 1, 2):
        return
    assert excel_serial_to_date(float(to_excel_serial(day, date1904)), date1904) == day


@pytest.mark.parametrize(
    ("typed", "decimal_comma", "expected"),
    [
        (80000.0, None, "80000.0"),
        (0.1, None, "0.1"),
        (1200, None, "1200"),
        ("¥80,000", False, "80000"),
        ("￥80000元", None, "80000"),
        ("RMB 80,000", False, "80000"),
        ("8万", None, "80000"),
        ("8.5万", None, "85000.0"),
        ("1.2k", None, "1200.0"),
        ("1.2K", None, "1200.0"),
        ("２万", None, "20000"),
        ("１．２万", None, "12000.0"),
        ("八万五千", None, "85000"),
        ("十二万三千四百五十六", None, "123456"),
        ("3亿", None, "300000000"),
        ("80 mil", True, "80000"),
        ("1,5 millones", True, "1500000.0"),
        ("80.000,50 €", True, "80000.50"),
        ("€ 1.234,56", True, "1234.56"),
        ("80.000,50 €", None, "80000.50"),
        ("$1,234.56", False, "1234.56"),
        ("USD 1,234.56", None, "1234.56"),
        ("-500", None, "-500"),
        ("(500)", None, "-500"),
        ("1 234,56", True, "1234.56"),
        ("1\u00a0234,56", True, "1234.56"),
        ("1.234", True, "1234"),
        ("1,5", None, "1.5"),
        ("1,234,567", False, "1234567"),
    ],
    ids=[
        "number cell",
        "float without binary noise",
        "whole number",
        "yuan with comma",
        "full-width yuan sign and 元",
        "RMB",
        "8万",
        "8.5万",
        "1.2k",
        "1.2K",
        "full-width 万",
        "full-width decimal 万",
        "Chinese numerals",
        "long Chinese numerals",
        "亿",
        "Spanish mil",
        "millones",
        "euro decimal comma",
        "euro sign first",
        "both separators decide",
        "dollars",
        "USD",
        "negative",
        "accounting negative",
        "space grouping",
        "no-break space grouping",
        "dot groups under decimal comma",
        "lone decimal comma",
        "several groups",
    ],
)
def test_amounts_as_typed(typed: object, decimal_comma: bool | None, expected: str) -> None:
    assert parse_amount(typed, decimal_comma=decimal_comma) == Decimal(expected)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("typed", "decimal_comma", "expected"),
    [
        ("80,000", None, "amount.ambiguous_separator"),
        ("1.234", None, "amount.ambiguous_separator"),
        ("80.000,50", False, "amount.bad_separators"),
        ("1,23,4", False, "amount.bad_separators"),
        ("lots", None, "amount.unreadable"),
        (True, None, "amount.unreadable"),
        ("1.2.3,4,5", None, "amount.bad_separators"),
        ("25%", None, "amount.percent"),
    ],
    ids=[
        "thousands or decimals?",
        "decimals or thousands?",
        "contradicts the setting",
        "Indian-style grouping",
        "words",
        "checkbox",
        "nonsense separators",
        "a margin typed as a percentage",
    ],
)
def test_bad_amounts(typed: object, decimal_comma: bool | None, expected: str) -> None:
    assert code(parse_amount(typed, decimal_comma=decimal_comma)) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("typed", "decimal_comma", "expected"),
    [
        (0.25, None, "0.25"),  # a cell formatted as a percentage
        ("25%", None, "0.25"),
        ("25 %", None, "0.25"),
        ("12,5 %", True, "0.125"),
        ("３０％", None, "0.3"),
        (25, None, "0.25"),  # typed in a column headed Margen %
        (1, None, "1"),
        (0, None, "0"),
    ],
)
def test_percentages_as_typed(typed: object, decimal_comma: bool | None, expected: str) -> None:
    assert parse_percent(typed, decimal_comma=decimal_comma) == Decimal(expected)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("mucho", "percent.unreadable"),
        (250, "percent.out_of_range"),
        ("-5%", "percent.out_of_range"),
    ],
)
def test_bad_percentages(typed: object, expected: str) -> None:
    assert code(parse_percent(typed, decimal_comma=None)) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("typed", "words", "expected"),
    [
        ("成交客户", STATUS_WORDS, Status.CUSTOMER),
        ("Prospecto", STATUS_WORDS, Status.PROSPECT),
        ("流失", STATUS_WORDS, Status.LOST),
        ("  Home  Visit ", CONTACT_TYPE_WORDS, ContactType.VISIT),
        ("投訴", CONTACT_TYPE_WORDS, ContactType.COMPLAINT),
        ("llamada", CONTACT_TYPE_WORDS, ContactType.CALL),
        ("telefono", CONTACT_TYPE_WORDS, ContactType.CALL),
        ("sí", YES_NO_WORDS, YesNo.YES),
        ("si", YES_NO_WORDS, YesNo.YES),
        ("否", YES_NO_WORDS, YesNo.NO),
        (True, YES_NO_WORDS, YesNo.YES),
        (0.0, YES_NO_WORDS, YesNo.NO),
    ],
    ids=[
        "completed customer",
        "Spanish prospect",
        "lost",
        "spaces and case",
        "Traditional complaint",
        "Spanish call",
        "accent omitted",
        "Spanish yes",
        "yes without accent",
        "Chinese no",
        "checkbox TRUE",
        "number 0",
    ],
)
def test_words_in_any_language(typed: object, words: object, expected: object) -> None:
    assert parse_enum(typed, words) == expected  # type: ignore[arg-type]


def test_an_unknown_word_lists_what_is_accepted() -> None:
    result = parse_enum("maybe", YES_NO_WORDS)
    assert isinstance(result, Invalid)
    assert dict(result.params)["expected"] == "yes / no"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("English", "en"),
        ("en-US", "en"),
        ("中文", "zh-Hans"),
        ("简体中文", "zh-Hans"),
        ("zh-CN", "zh-Hans"),
        ("繁體中文", "zh-Hant"),
        ("zh_TW", "zh-Hant"),
        ("zh-HK", "zh-Hant"),
        ("Español", "es"),
        ("es-MX", "es"),
        ("西班牙语", "es"),
    ],
)
def test_languages(typed: str, expected: str) -> None:
    assert parse_language(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("C001", "C001"), (1001.0, "1001"), (" C 001 ", "C 001"), ("Ｃ００１", "C001"), (7, "7")],
)
def test_ids(typed: object, expected: str) -> None:
    assert parse_id(typed) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [(1001.5, "id.fraction"), (True, "id.not_an_id"), (D(2024, 1, 1), "id.not_an_id")],
)
def test_bad_ids(typed: object, expected: str) -> None:
    assert code(parse_id(typed)) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("typed", "expected"), [(3.0, 3), ("３", 3), ("三", 3), ("十二", 12), ("1,200", 1200)]
)
def test_whole_numbers(typed: object, expected: int) -> None:
    assert parse_integer(typed) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("typed", "expected"), [(3.5, "integer.fraction"), ("many", "integer.unreadable")]
)
def test_bad_whole_numbers(typed: object, expected: str) -> None:
    assert code(parse_integer(typed)) == expected  # type: ignore[arg-type]


cells = st.one_of(
    st.text(max_size=40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(),
    st.booleans(),
    st.dates(),
    st.datetimes(),
)


@given(
    cells | st.floats() | st.sampled_from([-0.0, float("nan"), float("-inf")]),
    st.sampled_from([True, False, None]),
)
def test_a_check_without_records_reads_every_amount_as_the_exact_parser_does(
    value: object, flag: bool | None
) -> None:
    """check keeps an amount typed as a number a float: the same cells are bad, for the
    same reason, and the same ones are negative."""
    exact = parse_amount(value, decimal_comma=flag)  # type: ignore[arg-type]
    quick = amount_or_float(value, decimal_comma=flag)  # type: ignore[arg-type]
    if isinstance(exact, Invalid) or isinstance(quick, Invalid):
        assert code(quick) == code(exact)
    else:
        assert (quick < 0) == (exact < 0)
        assert quick == exact or type(value) is float


@given(cells, st.sampled_from([True, False, None]))
def test_no_cell_makes_a_parser_raise(value: object, flag: bool | None) -> None:
    v = value  # type: ignore[assignment]
    assert isinstance(parse_date(v, day_first=flag), D | Invalid)  # type: ignore[arg-type]
    assert isinstance(parse_amount(v, decimal_comma=flag), Decimal | Invalid)  # type: ignore[arg-type]
    assert isinstance(parse_phone(v, "ES"), str | Invalid)  # type: ignore[arg-type]
    assert isinstance(parse_email(str(v)), str | Invalid)
    assert isinstance(parse_id(v), str | Invalid)  # type: ignore[arg-type]
    assert isinstance(parse_integer(v), int | Invalid)  # type: ignore[arg-type]
    assert isinstance(parse_enum(v, STATUS_WORDS), Status | Invalid)  # type: ignore[arg-type]


@given(
    st.from_regex(r"[A-Za-z0-9._%+-]{1,20}", fullmatch=True),
    st.sampled_from(
        ["qq.com", "163.COM", "example.com", "mail.EXAMPLE.es", "bad..com", "x", "-a.com"]
    ),
)
def test_an_address_checked_half_by_half_reads_as_a_full_check_does(
    local: str, domain: str
) -> None:
    from email_validator import EmailNotValidError, validate_email

    text = f"{local}@{domain}"
    try:
        expected: object = validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError:
        expected = "invalid"
    got = parse_email(text)
    assert (got if isinstance(got, str) else "invalid") == expected


@given(
    st.sampled_from(["CN", "ES", "US", "MX", "TW", "HK"]),
    st.from_regex(r"1[0-9]{10}|[6-9][0-9]{7,8}|0[0-9]{9,10}", fullmatch=True),
)
def test_the_mobile_shortcut_reads_a_number_as_phonenumbers_does(region: str, digits: str) -> None:
    typed = "+" + digits[2:] if digits.startswith("00") else digits  # 00: international prefix
    expected = _read_by_phonenumbers(typed, region)
    got = parse_phone(digits, region)
    assert (got if isinstance(got, str) else None) == expected


def _read_by_phonenumbers(typed: str, region: str) -> str | None:
    """What phonenumbers makes of a number alone: its E.164 form, None when invalid."""
    import phonenumbers

    try:
        number = phonenumbers.parse(typed, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    if guessed_elsewhere(typed, number, region) is not None:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@pytest.mark.parametrize("serial", [2958465, 2957004, 2_958_465.0])
def test_a_1904_serial_past_the_year_9999_is_a_problem_not_a_crash(serial: float) -> None:
    assert code(parse_date(serial, day_first=None, date1904=True)) == "date.serial_out_of_range"


def _example_numbers() -> list[str]:
    """Every region's example mobile and fixed-line numbers, as +CC and digits."""
    import phonenumbers

    kinds = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE)
    found = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in kinds:
            number = phonenumbers.example_number_for_type(region, kind)
            if number is not None:
                found.append(
                    phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
                )
    return found


def test_the_international_mobile_shortcut_reads_every_region_s_examples_as_phonenumbers_does() -> (
    None
):
    examples = _example_numbers()
    assert len(examples) > 400
    for typed in examples:
        for spaced in (typed, typed[:3] + " " + typed[3:], "00" + typed[1:]):
            got = parse_phone(spaced, "ES")
            assert (got if isinstance(got, str) else None) == _read_by_phonenumbers(typed, "ES")


@given(
    st.sampled_from(["1", "7", "34", "39", "44", "52", "55", "61", "86", "262", "852", "886"]),
    st.from_regex(r"[0-9]{6,12}", fullmatch=True),
)
def test_the_international_mobile_shortcut_reads_a_number_as_phonenumbers_does(
    code: str, rest: str
) -> None:
    typed = f"+{code}{rest}"
    got = parse_phone(typed, "CN")
    assert (got if isinstance(got, str) else None) == _read_by_phonenumbers(typed, "CN")
