"""Every message exists in the four languages and uses the same placeholders in each."""

from __future__ import annotations

import string

import pytest

from sheetcrm.messages import CATALOG, SHEET_TEXT
from sheetcrm.vocabulary import LANGUAGES


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("code", sorted({**CATALOG, **SHEET_TEXT}))
def test_every_message_is_in_every_language(code: str) -> None:
    texts = {**CATALOG, **SHEET_TEXT}[code]
    assert set(texts) == set(LANGUAGES)
    assert all(text.strip() for text in texts.values())
    assert len({frozenset(placeholders(text)) for text in texts.values()}) == 1, texts
