"""The Outbox's done column, read back [issue 13]: staff send a `manual` message from their
own WeChat or WhatsApp and tick it (✓, 是, sí, x, yes); the next sync records it as sent by
hand before it writes the sheet anew. The ledger stays the truth: a tick read once is kept
there, so a regenerated or restored sheet can neither lose it nor revive the message."""

from __future__ import annotations

from collections.abc import Iterator

from sheetcrm.backend import RawSheet, Snapshot
from sheetcrm.cells import CellValue, as_text
from sheetcrm.messages import text
from sheetcrm.schema import OUTBOX_SHEET
from sheetcrm.vocabulary import LANGUAGES, YES_NO_WORDS, YesNo

# A done column's ticks: yes in any of the four languages, ticks, and what staff write
# for "sent".
TICKS = frozenset(
    word.casefold()
    for words in (
        *YES_NO_WORDS[YesNo.YES].values(),
        ("x", "sent", "已发", "已發", "已发送", "已發送", "发了", "發了", "enviado", "hecho"),
    )
    for word in words
)


def is_tick(value: CellValue) -> bool:
    if value is True:
        return True
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value == 1
    return as_text(value).strip().casefold() in TICKS


def ticked_keys(snapshot: Snapshot) -> list[str]:
    """The keys of the Outbox rows staff ticked as done, in sheet order."""
    return [key for sheet in _outboxes(snapshot) for key in _ticked(sheet)]


def _outboxes(snapshot: Snapshot) -> Iterator[RawSheet]:
    """The Outbox sheet under any language's name (the workbook's language may change)."""
    for name in dict.fromkeys(w for words in OUTBOX_SHEET.values() for w in words):
        if (sheet := snapshot.sheets.get(name)) is not None:
            yield sheet


def _ticked(sheet: RawSheet) -> Iterator[str]:
    if not sheet.rows:
        return
    header = [as_text(v).strip() for v in sheet.rows[0]]
    done = _column(header, "outbox.done")
    key = _column(header, "outbox.key")
    if done is None or key is None:
        return
    for row in sheet.rows[1:]:
        if len(row) > max(done, key) and is_tick(row[done]) and as_text(row[key]).strip():
            yield as_text(row[key]).strip()


def _column(header: list[str], label: str) -> int | None:
    names = {text(label, language) for language in LANGUAGES}
    return next((i for i, h in enumerate(header) if h in names), None)
