"""Phone numbers as staff type them, to E.164 (+8613800138000)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import phonenumbers

from sheetcrm.cells import CellValue
from sheetcrm.rules.parsers.result import Invalid, invalid

_NOISE = re.compile(r"[\s\-.()（）/]+")
_LETTERS = re.compile(r"[^\d+]")


def parse_phone(value: CellValue, region: str) -> str | Invalid:
    if isinstance(value, str):
        return _parse_text(value, region)
    if isinstance(value, bool):
        return invalid("phone.not_a_number")
    if isinstance(value, float):
        if not value.is_integer():
            return invalid("phone.not_a_number")
        return _parse_text(str(int(value)), region)  # 13800138000.0, never 1.38e10
    return _parse_text(str(value), region)


@lru_cache(maxsize=65_536)
def _parse_text(typed: str, region: str) -> str | Invalid:
    """Cached: the contact log repeats each customer's number about ten times."""
    text = unicodedata.normalize("NFKC", typed).strip()
    digits = _NOISE.sub("", text)
    if digits.startswith("00"):
        digits = "+" + digits[2:]  # 0086 138… is the international prefix
    if not digits or _LETTERS.search(digits) or "+" in digits[1:]:
        return invalid("phone.not_a_number")
    if digits[0] != "+" and _is_mobile(digits, region):
        # A national mobile number, the bulk of a register: phonenumbers would take 40 µs
        # to say what the region's own mobile pattern says at once.
        return f"+{phonenumbers.country_code_for_region(region)}{digits}"
    if digits[0] == "+" and _international_mobile(digits):
        return digits  # +34612345678: already what E.164 writes
    try:
        number = phonenumbers.parse(digits, region)
    except phonenumbers.NumberParseException:
        return invalid("phone.not_a_number")
    if not phonenumbers.is_valid_number(number):
        return invalid("phone.invalid", region=region)
    elsewhere = guessed_elsewhere(digits, number, region)
    if elsewhere is not None:
        return invalid("phone.other_region", region=region, other=elsewhere)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def guessed_elsewhere(digits: str, number: phonenumbers.PhoneNumber, region: str) -> str | None:
    """The other region a nationally typed number was read into by taking its first digits
    for a trunk prefix, else None. `158 1965 7762` in a US register reads as +1 581… in
    Canada only by dropping its 1: far more likely a Chinese mobile, so it is not guessed."""
    if digits.startswith("+"):
        return None
    if len(digits) <= len(phonenumbers.national_significant_number(number)):
        return None  # nothing was dropped: (787) 555-1234 in a US register is Puerto Rico's
    other = phonenumbers.region_code_for_number(number)
    return other if other and other != region else None


def _is_mobile(national: str, region: str) -> bool:
    """A mobile number of `region` as its own pattern reads it, with no trunk prefix for
    phonenumbers to strip first."""
    mobile, trunk = _mobile_patterns(region)
    return (
        mobile is not None
        and mobile.fullmatch(national) is not None
        and not (trunk and trunk.match(national))
    )


def _international_mobile(digits: str) -> bool:
    """+, a country code, then a mobile number of the code's main region (the one
    phonenumbers tries first, Spain for 34, the US for 1): valid as phonenumbers would
    find it. False: leave it to the full parse. The country code is read as phonenumbers
    reads it, the shortest known one."""
    if len(digits) < 2 or digits[1] == "0":
        return False
    for size in range(1, 4):
        code = int(digits[1 : 1 + size]) if len(digits) > size else 0
        regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(code)
        if regions:
            return regions[0] != "001" and _is_mobile(digits[1 + size :], regions[0])
    return False


@lru_cache(maxsize=64)
def _mobile_patterns(region: str) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """The region's mobile numbers (national form) from phonenumbers' own metadata, and the
    trunk prefix parsing would strip: a number starting with it takes the full parse."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    if metadata is None or metadata.mobile is None or not metadata.mobile.national_number_pattern:
        return None, None
    trunk = metadata.national_prefix_for_parsing
    return re.compile(metadata.mobile.national_number_pattern), re.compile(trunk) if trunk else None
