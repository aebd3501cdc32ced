"""Enumerations typed as words in any of the four languages, and language names."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from enum import Enum
from typing import TypeVar

from sheetcrm.cells import CellValue
from sheetcrm.rules.parsers.result import Invalid, invalid

E = TypeVar("E", bound=Enum)
Words = Mapping[E, Mapping[str, tuple[str, ...]]]

_tables: dict[int, tuple[object, dict[str, object]]] = {}


def fold(text: str) -> str:
    """Compare words without case, width, accents or inner spaces: 'Teléfono' ~ 'telefono'."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return "".join(unicodedata.normalize("NFC", plain).split())


def _table(words: Words[E]) -> dict[str, E]:
    """word → member, built once per vocabulary; a word naming two members is a bug."""
    cached = _tables.get(id(words))
    if cached is not None and cached[0] is words:
        return cached[1]  # type: ignore[return-value]
    table: dict[str, E] = {}
    for member, by_language in words.items():
        for language_words in by_language.values():
            for word in language_words:
                key = fold(word)
                if table.get(key, member) is not member:
                    raise ValueError(f"{word!r} names both {table[key]} and {member}")
                table[key] = member
    _tables[id(words)] = (words, table)  # type: ignore[assignment]
    return table


def parse_enum(value: CellValue, words: Words[E]) -> E | Invalid:
    table = _table(words)
    if isinstance(value, bool):
        key = "true" if value else "false"
    elif isinstance(value, float) and value.is_integer():
        key = str(int(value))
    else:
        key = fold(str(value))
    member = table.get(key)
    if member is not None:
        return member
    examples = " / ".join(ws["en"][0] for ws in words.values())
    return invalid("enum.unknown", expected=examples)


_LANGUAGES = {
    "en": ("en", "eng", "english", "inglés", "ingles", "英语", "英文", "英語"),
    "zh-Hans": (
        "zh",
        "zh-hans",
        "zh-cn",
        "zh-sg",
        "chinese",
        "中文",
        "简体",
        "简体中文",
        "汉语",
        "普通话",
        "国语",
        "chino",
        "chino simplificado",
        "简中",
    ),
    "zh-Hant": (
        "zh-hant",
        "zh-tw",
        "zh-hk",
        "zh-mo",
        "traditional chinese",
        "繁体",
        "繁體",
        "繁體中文",
        "繁体中文",
        "粤语",
        "粵語",
        "chino tradicional",
    ),
    "es": (
        "es",
        "spa",
        "spanish",
        "español",
        "espanol",
        "castellano",
        "西班牙语",
        "西班牙語",
        "西语",
    ),
}
_LANGUAGE_TABLE = {fold(w): code for code, ws in _LANGUAGES.items() for w in ws}


def parse_language(value: CellValue) -> str | Invalid:
    """en, zh-Hans, zh-Hant or es from a language name or tag ('中文', 'es-MX', 'zh-TW')."""
    key = fold(str(value)).replace("_", "-")
    if key in _LANGUAGE_TABLE:
        return _LANGUAGE_TABLE[key]
    base = key.split("-")[0]
    if base in ("en", "es"):
        return base
    return invalid("language.unknown")
