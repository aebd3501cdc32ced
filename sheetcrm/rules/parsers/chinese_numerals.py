"""Numbers written in Chinese numerals, as staff type amounts and quantities: 八万五千,
一百零五, 两千, 十二, 一亿二千万, 三点五.

Read by their grammar rather than by a general converter: within each section (below 万,
between 万 and 亿, above 亿) the units 千 百 十 fall, each after at most one digit, and 零
stands for skipped units. Anything else (两个 digits in a row outside the decimals, units
out of order) is not a number, and the caller reports the cell.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9}  # fmt: skip
_ZEROS = frozenset("零〇")
_UNITS = {"十": 10, "百": 100, "千": 1000}
_SECTIONS = {"万": 10**4, "亿": 10**8}


def chinese_number(text: str) -> Decimal | None:
    whole, point, fraction = text.partition("点")
    value = _whole(whole)
    if value is None or (point and not fraction):
        return None
    if not point:
        return Decimal(value)
    if any(ch not in _DIGITS for ch in fraction):
        return None
    return Decimal(f"{value}.{''.join(str(_DIGITS[ch]) for ch in fraction)}")


def _whole(text: str) -> int | None:
    if text and all(ch in _DIGITS for ch in text):
        return int("".join(str(_DIGITS[ch]) for ch in text))  # 一九九八, 五零零三: digit by digit
    return _grouped(text, "亿", lambda part: _grouped(part, "万", _section))


def _grouped(text: str, mark: str, below: Callable[[str], int | None]) -> int | None:
    """`a亿b` or `a万b`: a times the mark's size, plus b (三万五: b is a single digit, the
    thousands left unsaid)."""
    size = _SECTIONS[mark]
    high, found, low = text.partition(mark)
    if not found:
        return below(text)
    upper = below(high)
    if upper is None or upper == 0:
        return None
    if not low:
        return upper * size
    if len(low) == 1 and low in _DIGITS and _DIGITS[low] != 0:
        return upper * size + _DIGITS[low] * size // 10
    zero = low[0] in _ZEROS
    lower = below(low[1:] if zero else low)
    if lower is None or lower >= size or (zero and lower == 0):
        return None
    return upper * size + lower


def _section(text: str) -> int | None:
    """A number below 10,000: 五千三百二十一, 十五, 三百零五, 三百二 (three hundred twenty)."""
    if not text:
        return None
    value, last, i = 0, 10**4, 0
    after_zero = False
    if text[0] == "十":  # 十, 十五: the one before ten goes unsaid
        value, last, i = 10, 10, 1
    while i < len(text):
        ch = text[i]
        if ch in _ZEROS:
            # A zero stands for a skipped unit: none below ten (十零二 is not a number).
            if after_zero or i == 0 or i == len(text) - 1 or last < 100:
                return None
            after_zero, i = True, i + 1
            continue
        digit = _DIGITS.get(ch)
        if not digit:
            return None
        i += 1
        if i < len(text):
            unit = _UNITS.get(text[i])
            if unit is None or unit >= last:
                return None
            value, last, i = value + digit * unit, unit, i + 1
        else:  # the last digit: ones after 零, else the unit below the last one (三百二)
            value += digit if after_zero or last == 10**4 else digit * last // 10
        after_zero = False
    return value
