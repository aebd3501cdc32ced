"""Amounts and quantities written in Chinese numerals, read by their grammar (the parser
replaced cn2an, whose first call compiled regular expressions for a quarter of a second)."""

from __future__ import annotations

import random
from decimal import Decimal

import cn2an
import pytest

from sheetcrm.rules.parsers.chinese_numerals import chinese_number

WRITTEN = [
    ("零", 0),
    ("十", 10),
    ("十二", 12),
    ("二十", 20),
    ("一百零五", 105),
    ("一千零一十", 1010),
    ("两千", 2000),
    ("八万五千", 85000),
    ("三万五", 35000),  # the thousands left unsaid
    ("三百二", 320),
    ("三千三百二", 3320),
    ("两万零五十", 20050),
    ("十五万", 150000),
    ("二十万零三", 200003),
    ("一亿二千万", 120000000),
    ("一亿零五百万", 105000000),
    ("一亿二", 120000000),
    ("一九九八", 1998),  # digit by digit
    ("三点五", Decimal("3.5")),
    ("一点零五", Decimal("1.05")),
    ("〇", 0),
]

NOT_NUMBERS = ["", "点", "三点", "百", "万", "亿", "十零二", "零十", "百千", "五十百", "三零零万零",
               "一二三四五六七八九十", "三个", "五万万", "零万"]  # fmt: skip


@pytest.mark.parametrize(("written", "value"), WRITTEN, ids=[w for w, _ in WRITTEN])
def test_written_amounts_are_read(written: str, value: int | Decimal) -> None:
    assert chinese_number(written) == Decimal(value)


@pytest.mark.parametrize("written", NOT_NUMBERS)
def test_words_that_are_not_numbers_are_refused(written: str) -> None:
    assert chinese_number(written) is None


def test_every_number_cn2an_writes_reads_back() -> None:
    """cn2an (another library) writes the numbers; every one reads back as itself."""
    rng = random.Random(3)
    numbers = [*range(0, 20001), *(rng.randint(0, 10**12) for _ in range(5000))]
    wrong = [n for n in numbers if chinese_number(cn2an.an2cn(n)) != Decimal(n)]
    assert wrong == []
