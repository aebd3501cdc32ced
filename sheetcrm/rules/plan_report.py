"""The register's maintenance-plan columns, and a flag on customers of staff who left.

Pure: plan results in, a write plan and problems out. Columns [issue 4]: last contact, next
contact, next action (what and why), the plan in words, days overdue, and the acting owner
when the owner typed has left and `plans.reassign_inactive` handed the customer on [002].
"""

from __future__ import annotations

from collections.abc import Sequence

from sheetcrm.backend import RawSheet
from sheetcrm.cells import CellValue, a1, as_text
from sheetcrm.plan import CellWrite, OwnedColumn, cell_write
from sheetcrm.problems import Problem, Severity
from sheetcrm.records import Customer
from sheetcrm.rules.layout import SheetLayout
from sheetcrm.rules.plan_settings import Plan
from sheetcrm.rules.plan_texts import describe, describe_plan
from sheetcrm.rules.plans import Due, OwnerStatus, PlanResult, Unowned
from sheetcrm.rules.problem_report import owned_header, row_key
from sheetcrm.schema import PLAN_COLUMNS, header_text

KINDS = {
    "last_contact": "date",
    "next_contact": "date",
    "next_action": "text",
    "plan": "text",
    "days_overdue": "integer",
    "effective_owner": "text",
}


def plan_columns(
    sheet: RawSheet,
    layout: SheetLayout,
    customers: Sequence[Customer],
    plans: PlanResult,
    language: str,
) -> tuple[tuple[OwnedColumn, ...], tuple[CellWrite, ...]]:
    headers = {
        name: owned_header(layout, name, header_text(aliases, language))
        for name, aliases in PLAN_COLUMNS.items()
    }
    acting = {u.customer_id: u.reassigned_to for u in plans.unowned if u.reassigned_to}
    texts: dict[Plan, str] = {}  # most customers share their tier's plan: word it once
    said: dict[Due, str] = {}  # and many an item due, from the same day's contact
    cells: list[CellWrite] = []
    for customer in customers:
        key = row_key(sheet, layout, customer.row)
        row = plans.rows.get(customer.id)
        if key is None or row is None:
            continue
        due = row.dues[0] if row.dues else None
        if row.plan not in texts:
            texts[row.plan] = describe_plan(row.plan, language)
        if due is not None and due not in said:
            said[due] = describe(due, language)
        values: dict[str, CellValue] = {
            "last_contact": row.last_contact or "",
            "next_contact": due.date if due else "",
            "next_action": said[due] if due else "",
            "plan": texts[row.plan],
            "days_overdue": row.days_overdue or "",
            "effective_owner": acting.get(customer.id, ""),
        }
        cells += [cell_write(key, headers[name], value) for name, value in values.items()]
    owned = tuple(OwnedColumn(headers[name], KINDS[name]) for name in PLAN_COLUMNS)
    return owned, tuple(cells)


def owner_problems(
    sheet: RawSheet, layout: SheetLayout, customers: Sequence[Customer], unowned: Sequence[Unowned]
) -> list[Problem]:
    """A warning on the owner cell of each customer whose owner is marked inactive [002]."""
    col = layout.columns.get("owner")
    if col is None:
        return []
    rows = {c.id: c.row for c in customers}
    problems = []
    for u in unowned:
        if u.status is not OwnerStatus.INACTIVE or u.customer_id not in rows:
            continue
        row = rows[u.customer_id]
        code = "plan.owner_reassigned" if u.reassigned_to else "plan.owner_inactive"
        params = (("manager", u.reassigned_to),) if u.reassigned_to else ()
        problems.append(
            Problem(
                sheet=sheet.name,
                cell=a1(row, col),
                value=as_text(sheet.value(row, col)),
                code=code,
                params=params,
                severity=Severity.WARNING,
                header=layout.headers.get(col, ""),
                row=row,
            )
        )
    return problems
