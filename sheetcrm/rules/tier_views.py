"""What managers look at by tier [issue 3]: one sheet per tier, and the Tier history.

Pure: records, the computed tiers and `today` in, generated and appended sheets out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal

from sheetcrm.backend import RawSheet
from sheetcrm.cells import CellValue, as_text, is_blank
from sheetcrm.messages import text
from sheetcrm.plan import AppendedSheet, GeneratedSheet
from sheetcrm.records import Customer
from sheetcrm.rules.tier_report import TierRow
from sheetcrm.rules.value import ZERO
from sheetcrm.schema import (
    FIELDS,
    SCORE_COLUMN,
    TIER_HISTORY_SHEET,
    TIER_SHEET,
    VALUE_COLUMNS,
    VIP_COLUMN,
    SheetKind,
    header_text,
)
from sheetcrm.vocabulary import YES_NO_WORDS, Tier, YesNo

_CUSTOMER_FIELDS = {f.name: f for f in FIELDS[SheetKind.CUSTOMERS]}
# Tier history columns: where the customer id and the new tier are, in a sheet we wrote.
HISTORY_ID, HISTORY_TO = 1, 4


def tier_sheet_name(tier: Tier, language: str) -> str:
    return header_text(TIER_SHEET, language).format(tier=tier.value)


def tier_sheet_names() -> set[str]:
    """Every name a tier sheet has in any language (they are never read as staff sheets)."""
    return {w.format(tier=t.value) for words in TIER_SHEET.values() for w in words for t in Tier}


def tier_sheets(
    customers: Sequence[Customer], tiers: Mapping[str, TierRow], language: str
) -> tuple[GeneratedSheet, ...]:
    """One sheet per tier listing its customers, best first: by score (the ranking methods),
    then by recent amount, then by id."""
    header = (
        *(header_text(_CUSTOMER_FIELDS[n].aliases, language) for n in ("id", "name", "phone")),
        header_text(_CUSTOMER_FIELDS["owner"].aliases, language),
        header_text(SCORE_COLUMN, language),
        header_text(VALUE_COLUMNS["amount"], language),
        header_text(VALUE_COLUMNS["profit"], language),
        header_text(VIP_COLUMN, language),
        header_text(VALUE_COLUMNS["last_purchase"], language),
    )
    yes = YES_NO_WORDS[YesNo.YES][language][0]
    by_tier: dict[Tier, list[tuple[Customer, TierRow]]] = {t: [] for t in Tier}
    for c in customers:
        row = tiers[c.id]
        if row.tier is not None:
            by_tier[row.tier].append((c, row))
    sheets = []
    for tier, members in by_tier.items():
        members.sort(key=_best_first)
        rows = tuple(_listing(c, row, yes) for c, row in members)
        sheets.append(
            GeneratedSheet(
                name=tier_sheet_name(tier, language),
                header=header,
                rows=rows,
                kinds=("text", "text", "text", "text", "", "money", "money", "text", "date"),
                widths=(12, 14, 16, 10, 8, 12, 12, 6, 12),
            )
        )
    return tuple(sheets)


def _best_first(member: tuple[Customer, TierRow]) -> tuple[Decimal, Decimal, str]:
    c, row = member
    amount = row.value.amount if row.value else ZERO
    return (-(row.score or ZERO), -amount, c.id)


def _listing(c: Customer, row: TierRow, yes: str) -> tuple[CellValue, ...]:
    value = row.value
    return (
        c.id,
        c.name,
        c.phone or "",
        c.owner or "",
        row.score if row.score is not None else "",
        value.amount if value and value.frequency else "",
        value.profit if value and value.frequency else "",
        yes if row.vip else "",
        (value.last_purchase if value else None) or "",
    )


def tier_history_name(existing: Sequence[str], language: str) -> tuple[str, str]:
    """The history sheet already in the workbook and its language (its header stays in it),
    else a new name in `language`."""
    for lang, words in TIER_HISTORY_SHEET.items():
        for name in existing:
            if name in words:
                return name, lang
    return header_text(TIER_HISTORY_SHEET, language), language


def last_recorded(history: RawSheet | None) -> dict[str, str]:
    """The tier each customer last changed to, by the rows already in the Tier history."""
    if history is None:
        return {}
    last: dict[str, str] = {}
    for row in history.rows[1:]:
        if len(row) > HISTORY_ID and not is_blank(row[HISTORY_ID]):
            to = row[HISTORY_TO] if len(row) > HISTORY_TO else ""
            last[as_text(row[HISTORY_ID]).strip()] = as_text(to).strip()
    return last


def tier_history(
    name: str,
    customers: Sequence[Customer],
    tiers: Mapping[str, TierRow],
    recorded: Mapping[str, str],
    today: dt.date,
    language: str,
) -> AppendedSheet:
    """A row for every customer whose tier differs from the last one recorded (a first
    tier included): a rerun the same day with the same data appends nothing."""
    header = (
        text("col.date", language),
        header_text(_CUSTOMER_FIELDS["id"].aliases, language),
        header_text(_CUSTOMER_FIELDS["name"].aliases, language),
        text("col.from", language),
        text("col.to", language),
        header_text(SCORE_COLUMN, language),
        text("col.reason", language),
    )
    rows = []
    for c in customers:
        row = tiers[c.id]
        now = row.tier.value if row.tier else ""
        before = recorded.get(c.id, "")
        if now == before:
            continue
        score: CellValue = row.score if row.score is not None else ""
        rows.append((today, c.id, c.name, before, now, score, _reason(row.reason, language)))
    return AppendedSheet(
        name=name,
        header=header,
        rows=tuple(rows),
        kinds=("date", "text", "text", "text", "text", "", "text"),
        widths=(12, 12, 14, 8, 8, 8, 28),
    )


def _reason(reason: str, language: str) -> str:
    if reason.startswith("override by "):
        return text("reason.override", language, approver=reason.removeprefix("override by "))
    return text(f"reason.{reason}", language)
