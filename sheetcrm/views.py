"""Plain-text views of a sync report and a write plan, for the terminal."""

from __future__ import annotations

from collections.abc import Sequence

from sheetcrm.channels.masking import describe
from sheetcrm.plan import WritePlan
from sheetcrm.preview import PreviewLine
from sheetcrm.sync import SyncReport


def render_report(report: SyncReport, *, limit: int = 20) -> str:
    lang = report.report_language
    lines = []
    if report.created_demo:
        lines.append(f"Created the demo workbook {report.workbook}.")
    lines.append(f"Workbook: {report.workbook} (headers: {report.language}, today: {report.today})")
    read = ", ".join(f"{sheet} {n}" for sheet, n in report.rows_read.items())
    lines.append(f"Rows read: {read}")
    if report.problems:
        lines.append(f"Problems: {report.errors} errors, {report.warnings} warnings")
        for p in report.problems[:limit]:
            value = f" {p.value!r}" if p.value else ""
            column = f" [{p.header}]" if p.header else ""
            lines.append(f"  {p.sheet}!{p.cell}{column}{value}: {p.message(lang)}")
        if len(report.problems) > limit:
            lines.append(f"  … {len(report.problems) - limit} more (see the Problems sheet)")
    else:
        lines.append("Problems: none")
    delivery = report.delivery
    if delivery is not None:
        lines.append(
            f"Messages: {delivery.sent} sent, {delivery.queued} queued, "
            f"{delivery.skipped} skipped, {delivery.failed} failed"
            + (f"; {delivery.already} sent before" if delivery.already else "")
        )
        for entry in delivery.interrupted:
            lines.append(f"  interrupted earlier, not resent: {entry.key}")
    result = report.result
    if result is not None:
        if result.changed:
            lines.append(
                f"Wrote {result.cells_written} cells; sheets: {', '.join(result.sheets_written)}"
            )
            if result.backup:
                lines.append(f"Backup: {result.backup}")
        else:
            lines.append("Nothing changed; the workbook was not rewritten.")
    return "\n".join(lines)


def render_plan(plan: WritePlan, *, limit: int = 20) -> str:
    lines = ["Plan (dry run, nothing written):"]
    for sheet in plan.sheets:
        filled = sum(1 for c in sheet.cells if c.value not in ("", None))
        lines.append(
            f"  {sheet.sheet}: {len(sheet.cells)} cells in "
            f"{', '.join(c.header for c in sheet.owned)} ({filled} with a value, "
            f"{len(sheet.cells) - filled} empty), rows matched by "
            f"{sheet.key_header or 'row content'}"
        )
        for cell in sheet.cells[:limit]:
            lines.append(f"    {cell.key} · {cell.header} = {cell.value!r}")
    for generated in plan.generated:
        lines.append(f"  sheet {generated.name}: regenerated with {len(generated.rows)} rows")
    return "\n".join(lines)


def render_preview(lines: Sequence[PreviewLine]) -> str:
    if not lines:
        return "Nothing to send."
    out = []
    for line in lines:
        m = line.message
        out.append(
            f"{line.day}  {m.kind.value:<15} → {describe(m.recipient)} via {m.channel} "
            f"[{line.status}]  why: {m.reason}"
        )
        out.append(f"    {m.subject}")
    return "\n".join(out)
