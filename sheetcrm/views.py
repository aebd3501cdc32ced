"""Plain-text views of a sync report and a write plan, for the terminal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from sheetcrm.backend import WriteResult
from sheetcrm.cells import CellValue, as_text, is_blank
from sheetcrm.channels.masking import describe, mask_text
from sheetcrm.report_texts import text
from sheetcrm.schema import OUTBOX_SHEET, PROBLEMS_SHEET, header_text
from sheetcrm.sync import SyncReport

if TYPE_CHECKING:
    # Types only: check renders its report without the messages' modules (Jinja2, Babel).
    from sheetcrm.delivery import DeliveryReport
    from sheetcrm.preview import PreviewLine


def render_report(report: SyncReport, *, limit: int = 20) -> str:
    """The run in the report's language, ending with what to do next."""
    lang = report.report_language
    lines = []
    if report.created_demo:
        lines.append(text("created_demo", lang, path=report.workbook))
    lines.append(
        text("workbook", lang, path=report.workbook, language=report.language, today=report.today)
    )
    read = ", ".join(f"{sheet} {n}" for sheet, n in report.rows_read.items())
    lines.append(text("rows_read", lang, sheets=read))
    for sheet, used, other in report.amounts_before_tax:
        lines.append(text("amount_before_tax", lang, sheet=sheet, read=used, other=other))
    problems_sheet = header_text(PROBLEMS_SHEET, report.language)
    if report.problems:
        lines.append(text("problems", lang, errors=report.errors, warnings=report.warnings))
        for p in report.problems[:limit]:
            # Phones and e-mails masked, as in the log: cron appends this to a file.
            value = f" {_shown_value(p.code, p.value)!r}" if p.value else ""
            column = f" [{p.header}]" if p.header else ""
            lines.append(f"  {p.sheet}!{p.cell}{column}{value}: {mask_text(p.message(lang))}")
        if len(report.problems) > limit:
            more = len(report.problems) - limit
            lines.append(text("problems_more", lang, count=more, sheet=problems_sheet))
    else:
        lines.append(text("problems_none", lang))
    lines.extend(_delivery_lines(report.delivery, lang))
    lines.extend(_result_lines(report.result, lang))
    if report.dry_run:
        lines.append(_dry_run(report, limit))
    lines.append(_next_step(report, problems_sheet))
    return "\n".join(lines)


def _shown_value(code: str, value: str) -> str:
    """A cell's value for the screen: a phone or e-mail the job could not read is still
    someone's, so all but its ends are hidden; elsewhere numbers and addresses are masked."""
    if code.startswith(("phone.", "email.", "ref.unknown_phone")) and len(value) > 5:
        return value[:3] + "".join("*" if ch.isalnum() else ch for ch in value[3:-2]) + value[-2:]
    if len(value) > _SHOWN_CHARS:  # a whole document pasted into a cell: its start will do
        value = value[: _SHOWN_CHARS - 1] + "…"
    return mask_text(value)


_SHOWN_CHARS = 60


def _delivery_lines(delivery: DeliveryReport | None, lang: str) -> list[str]:
    if delivery is None:
        return []
    counts = text(
        "messages",
        lang,
        sent=delivery.sent,
        queued=delivery.queued,
        skipped=delivery.skipped,
        failed=delivery.failed,
    )
    if delivery.handed:
        counts += text("handed", lang, count=delivery.handed)
    # Only what truly went out counts as "sent before"; a message that failed for good, was
    # skipped or whose outcome is unknown is told as such.
    if delivery.sent_before:
        counts += text("sent_before", lang, count=delivery.sent_before)
    if delivery.handed_before:
        counts += text("handed_before", lang, count=delivery.handed_before)
    settled = delivery.already - delivery.sent_before - delivery.handed_before
    if settled:
        counts += text("settled_before", lang, count=settled)
    return [counts] + [text("interrupted", lang, key=e.key) for e in delivery.interrupted]


def _result_lines(result: WriteResult | None, lang: str) -> list[str]:
    if result is None:
        return []
    if not result.changed:
        return [text("unchanged", lang)]
    lines = [
        text("wrote", lang, cells=result.cells_written, sheets=", ".join(result.sheets_written))
    ]
    if result.backup:
        lines.append(text("backup", lang, path=result.backup))
    if result.kept:
        lines.append(text("kept", lang, count=len(result.kept), cells=", ".join(result.kept)))
    if result.deleted:
        keys = ", ".join(result.deleted)
        lines.append(text("deleted", lang, count=len(result.deleted), keys=keys))
    if result.moved:
        lines.append(text("moved", lang, count=result.moved))
    return lines


def _next_step(report: SyncReport, problems_sheet: str) -> str:
    lang = report.report_language
    if report.dry_run:
        return text("next_write", lang)
    if report.result is not None:  # a sync that wrote (or found nothing to change)
        outbox = header_text(OUTBOX_SHEET, report.language)
        return text("next_open", lang, path=report.workbook, problems=problems_sheet, outbox=outbox)
    if report.problems:
        return text("next_fix", lang, problems=problems_sheet)
    return text("next_sync", lang)


def _dry_run(report: SyncReport, limit: int) -> str:
    """What a sync would change: the cells by address, old → new, then the job's sheets."""
    lang = report.report_language
    cells = report.would_change
    lines = [text("dry_run", lang, count=len(cells))]
    for cell in cells[:limit]:
        old, new = shown(cell.old, lang), shown(cell.new, lang)
        lines.append(f"  {cell.sheet}!{cell.cell} [{cell.header}] {old} → {new}")
    if len(cells) > limit:
        lines.append(text("dry_run_more", lang, count=len(cells) - limit))
    plan = report.plan
    for generated in plan.generated:
        lines.append(text("dry_run_sheet", lang, sheet=generated.name, rows=len(generated.rows)))
    for appended in plan.appended:
        if appended.rows:
            lines.append(
                text("dry_run_appended", lang, sheet=appended.name, rows=len(appended.rows))
            )
    return "\n".join(lines)


def shown(value: CellValue, lang: str) -> str:
    """A cell's value as staff would read it: 86.3, 2027-02-01, 'A', never Decimal('86.3')."""
    if is_blank(value):
        return text("empty", lang)
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    return as_text(value)


def render_preview(lines: Sequence[PreviewLine], *, short: bool = False) -> str:
    """Each message as it would go out: its whole text, indented (`short`: its subject)."""
    if not lines:
        return "Nothing to send."
    out = []
    for line in lines:
        m = line.message
        late = f", or late until {line.until}" if line.until else ""
        out.append(
            f"{line.day}  {m.kind.value:<15} → {describe(m.recipient)} via {m.channel} "
            f"[{line.status}{late}]  why: {m.reason}"
        )
        out.append(f"    {m.subject}")
        if not short:
            out += [f"    {text}".rstrip() for text in m.body.strip("\n").splitlines()]
            out.append("")
    return "\n".join(out).rstrip("\n")
