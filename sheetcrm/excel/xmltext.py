"""Text in XML markup: escaped for an element or an attribute, and read back.

What xml.sax.saxutils does, here because importing it imports urllib.request and with it
HTTP, TLS and the e-mail parser (with the channels' modules, 11–18 ms of every run's
start) for three string replacements.
"""

from __future__ import annotations

from collections.abc import Mapping

_ATTRIBUTE_WHITESPACE = {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}


def escape(text: str, entities: Mapping[str, str] | None = None) -> str:
    """&, < and > as entities (and each key of `entities` as its value)."""
    text = text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
    for raw, entity in (entities or {}).items():
        text = text.replace(raw, entity)
    return text


def unescape(text: str, entities: Mapping[str, str] | None = None) -> str:
    """The text escape() made, &lt; &gt; and `entities` read back; &amp; last, so that
    "&amp;lt;" reads "&lt;"."""
    text = text.replace("&lt;", "<").replace("&gt;", ">")
    for entity, raw in (entities or {}).items():
        text = text.replace(entity, raw)
    return text.replace("&amp;", "&")


def quoteattr(text: str) -> str:
    """An attribute's value with its quotes: double ones, single ones when the text holds a
    double quote only, double ones and &quot; when it holds both."""
    text = escape(text, _ATTRIBUTE_WHITESPACE)
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"{}"'.format(text.replace('"', "&quot;"))
