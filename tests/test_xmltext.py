"""Text escaped into workbook XML as the standard library escapes it, without loading it
(xml.sax.saxutils brings urllib.request, HTTP and TLS into every run's start)."""

from __future__ import annotations

from xml.sax import saxutils

import pytest

from sheetcrm.excel.xmltext import escape, quoteattr, unescape

TEXTS = [
    "",
    "Ana López",
    "张三 & 李四",
    "a < b > c",
    "&amp; typed by hand",
    'say "hi"',
    "it's",
    "both \" and '",
    "line\nbreak\tand\rreturn",
    "_x000D_ stays text",
    "&lt;&gt;&amp;&quot;&apos;",
]


@pytest.mark.parametrize("text", TEXTS)
def test_escaped_as_the_standard_library_escapes(text: str) -> None:
    assert escape(text) == saxutils.escape(text)
    assert quoteattr(text) == saxutils.quoteattr(text)


@pytest.mark.parametrize("text", TEXTS)
def test_read_back_as_the_standard_library_reads(text: str) -> None:
    entities = {"&quot;": '"', "&apos;": "'"}
    assert unescape(text) == saxutils.unescape(text)
    assert unescape(text, entities) == saxutils.unescape(text, entities)
    assert unescape(escape(text)) == text


def test_extra_entities_are_replaced_after_the_three() -> None:
    assert escape('a"b', {'"': "&quot;"}) == saxutils.escape('a"b', {'"': "&quot;"})
