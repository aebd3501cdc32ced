"""Traditional Chinese as Hong Kong and Macau write it [issue 13]. zh-Hant texts are in
Taiwan's everyday words; in Hong Kong an SMS is a 短訊 (not 簡訊), a complaint a 投訴 (not
客訴), and good morning is 早晨 (not 早安). A shop whose calendar.country is HK or MO gets
its messages in its own words."""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

HONG_KONG_WORDS: Mapping[str, str] = MappingProxyType(
    {"簡訊": "短訊", "客訴": "投訴", "早安": "早晨", "試算表": "工作表"}
)
COUNTRIES = frozenset({"HK", "MO"})
_PATTERN = re.compile("|".join(map(re.escape, HONG_KONG_WORDS)))


def regional(text: str, language: str, country: str) -> str:
    """`text` in the words of `country` when it is written in Traditional Chinese there."""
    if language != "zh-Hant" or country not in COUNTRIES:
        return text
    return _PATTERN.sub(lambda m: HONG_KONG_WORDS[m.group()], text)
