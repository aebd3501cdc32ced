"""Which sheet of the workbook is which, and where its columns are: the step between one
read and the rules. A missing sheet or column is a layout error that names what to add."""

from __future__ import annotations

from collections.abc import Mapping

from sheetcrm.backend import Snapshot
from sheetcrm.errors import ConfigError
from sheetcrm.rules.layout import SheetLayout, find_layout, find_sheet_name
from sheetcrm.rules.tier_views import tier_sheet_names
from sheetcrm.rules.validate import SheetInput
from sheetcrm.schema import (
    FIELDS,
    OUTBOX_SHEET,
    PROBLEMS_SHEET,
    SHEET_NAMES,
    TIER_HISTORY_SHEET,
    SheetKind,
)
from sheetcrm.settings import Settings

# Fields without which a sheet cannot be read at all (a missing column is a layout error).
REQUIRED_COLUMNS: Mapping[SheetKind, tuple[tuple[str, ...], ...]] = {
    SheetKind.CUSTOMERS: (("id",), ("name", "given_name", "family_name")),
    SheetKind.VISITS: (("date",), ("type", "channel"), ("customer_id", "phone")),
    SheetKind.ORDERS: (("date",), ("customer_id",), ("amount",)),
    SheetKind.STAFF: (("name",),),
}


def sheet_inputs(settings: Settings, snapshot: Snapshot) -> dict[SheetKind, SheetInput]:
    """Each staff sheet with its layout; the job's own sheets are never read as staff's."""
    names = [n for n in snapshot.sheets if n not in generated_names(settings)]
    inputs: dict[SheetKind, SheetInput] = {}
    for kind in SheetKind:
        configured = settings.sheets.for_kind(kind)
        name = find_sheet_name(names, kind, configured)
        if name is None:
            if configured is not None or kind is SheetKind.CUSTOMERS:
                raise ConfigError(_missing_sheet(kind, configured, names))
            continue
        sheet = snapshot.sheets[name]
        layout = _require_columns(kind, name, find_layout(sheet, kind, settings.headers.get(kind)))
        inputs[kind] = SheetInput(sheet, layout)
    return inputs


def generated_names(settings: Settings) -> set[str]:
    """Sheets the job writes itself: never read as staff sheets."""
    names = {w for words in PROBLEMS_SHEET.values() for w in words}
    names |= {w for words in OUTBOX_SHEET.values() for w in words}
    names |= tier_sheet_names()
    names |= {w for words in TIER_HISTORY_SHEET.values() for w in words}
    if settings.sheets.problems:
        names.add(settings.sheets.problems)
    return names


def _missing_sheet(kind: SheetKind, configured: str | None, names: list[str]) -> str:
    have = ", ".join(repr(n) for n in names) or "none"
    if configured is not None:
        return (
            f"sheets.{kind.value}: the workbook has no sheet named {configured!r} "
            f"(its sheets: {have})"
        )
    wanted = ", ".join(w for words in SHEET_NAMES[kind].values() for w in words[:1])
    return (
        f"the workbook has no {kind.value} sheet: expected a sheet named {wanted} "
        f"(or set sheets.{kind.value} in settings.yaml); its sheets: {have}"
    )


def _require_columns(kind: SheetKind, sheet: str, layout: SheetLayout | None) -> SheetLayout:
    """The layout, if it has every column the sheet cannot be read without."""
    found = layout.columns if layout is not None else {}
    fields = {f.name: f for f in FIELDS[kind]}
    for alternatives in REQUIRED_COLUMNS[kind]:
        if any(name in found for name in alternatives):
            continue
        expected = " or ".join(
            "/".join(dict.fromkeys(ws[0] for ws in fields[name].aliases.values()))
            for name in alternatives
        )
        raise ConfigError(
            f"sheet {sheet!r}: no column for {' or '.join(alternatives)}; expected a header "
            f"such as {expected} (or add one under headers.{kind.value} in settings.yaml)"
        )
    assert layout is not None  # a layout without columns fails the first check above
    return layout
