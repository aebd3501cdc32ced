"""A Google Sheet as settings.yaml names it: its address in the browser, or its bare id."""

from __future__ import annotations

import re

_URL = re.compile(r"^https?://docs\.google\.com/spreadsheets/(?:u/\d+/)?d/([A-Za-z0-9_-]{20,})")
_ID = re.compile(r"^[A-Za-z0-9_-]{30,}$")  # Google's ids are 44 characters; no file has none


def spreadsheet_id(text: str, *, bare_ids: bool) -> str | None:
    """The spreadsheet id in `text` (a docs.google.com address; a bare id when `bare_ids`,
    which settings allow once a `google:` block says the workbook is a Google Sheet)."""
    text = text.strip()
    m = _URL.match(text)
    if m is not None:
        return m.group(1)
    if bare_ids and _ID.match(text):
        return text
    return None
