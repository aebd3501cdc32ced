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


def fold(text: str, *, punctuation: bool = False) -> str:
    """Compare words without case, width, accents, spaces and (unless `punctuation`) marks:
    'Teléfono' ~ 'telefono', '【成交】' ~ '成交', 'Follow-up' ~ 'follow up'. Symbols (√, ×)
    stay."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    plain = "".join(
        ch
        for ch in decomposed
        if not unicodedata.combining(ch)
        and (punctuation or not unicodedata.category(ch).startswith("P"))
    )
    return "".join(unicodedata.normalize("NFC", plain).split())


# Words a status or kind is written with or without: 成交 = 成交客户, habitual = cliente
# habitual. Longest first: "client" must not take the start of "cliente fiel".
_AFFIXES = tuple(
    sorted(
        (
            fold(w)
            for w in ("customer", "client", "cliente", "clienta", "客户", "客戶", "顾客", "顧客")
        ),
        key=len,
        reverse=True,
    )
)


def _bare(key: str) -> str:
    """A folded word without the affixes above, or '' when nothing is left or stripped."""
    for affix in _AFFIXES:
        if key.endswith(affix) and len(key) > len(affix):
            return key[: -len(affix)]
        if key.startswith(affix) and len(key) > len(affix):
            return key[len(affix) :]
    return ""


def _table(words: Words[E]) -> dict[str, E]:
    """word → member, built once per vocabulary; a word naming two members is a bug. The
    words without their affixes are keys too, unless two members would share one."""
    cached = _tables.get(id(words))
    if cached is not None and cached[0] is words:
        return cached[1]  # type: ignore[return-value]
    table: dict[str, E] = {}
    bare: dict[str, E | None] = {}
    for member, by_language in words.items():
        for language_words in by_language.values():
            for word in language_words:
                key = fold(word)
                if table.get(key, member) is not member:
                    raise ValueError(f"{word!r} names both {table[key]} and {member}")
                table[key] = member
                if short := _bare(key):
                    bare[short] = member if bare.get(short, member) is member else None
    for short, only in bare.items():
        if only is not None:
            table.setdefault(short, only)
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
    if member is None and (short := _bare(key)):
        member = table.get(short)
    if member is not None:
        return member
    return invalid("enum.unknown", **accepted(words))


def accepted(words: Words[E]) -> dict[str, str]:
    """The first word of each member in each language, for a message in that language."""
    first = {
        language: " / ".join(ws.get(language, ws["en"])[0] for ws in words.values())
        for language in ("en", "zh-Hans", "zh-Hant", "es")
    }
    members = "|".join(str(getattr(m, "value", m)) for m in words)
    return {"expected": first["en"], "members": members} | {
        f"expected_{language.replace('-', '_').lower()}": text for language, text in first.items()
    }


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
_LANGUAGE_TABLE = {fold(w, punctuation=True): code for code, ws in _LANGUAGES.items() for w in ws}


def parse_language(value: CellValue) -> str | Invalid:
    """en, zh-Hans, zh-Hant or es from a language name or tag ('中文', 'es-MX', 'zh-TW')."""
    key = fold(str(value), punctuation=True).replace("_", "-")
    if key in _LANGUAGE_TABLE:
        return _LANGUAGE_TABLE[key]
    base = key.split("-")[0]
    if base in ("en", "es"):
        return base
    return invalid("language.unknown")
