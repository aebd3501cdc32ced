"""The one pipeline: read → validate → tiers and plans → send what is due → write.

`run()` is what `sheetcrm sync` does and `check()` what `sheetcrm check` does; both resolve
everything that comes from outside (settings, the workbook, today, the time for quiet hours)
once, here at the edge, and hand plain data to the pure rules.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from fractions import Fraction
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sheetcrm import clock
from sheetcrm.backend import Backend, Snapshot, WriteResult
from sheetcrm.computed import Computed
from sheetcrm.dry_run import PlannedCell, planned_cells
from sheetcrm.errors import ConfigError
from sheetcrm.forked import Apart
from sheetcrm.freed_memory import return_freed_memory
from sheetcrm.locks import lock_path, workbook_lock
from sheetcrm.outbound import DeliveryStatus, Message, RecipientKind
from sheetcrm.outbox_ticks import ticked_keys
from sheetcrm.plan import WritePlan
from sheetcrm.problems import Problem, Severity
from sheetcrm.progress import QUIET, Progress
from sheetcrm.records import Contact
from sheetcrm.rules.contact_log import ContactLog, contact_log
from sheetcrm.rules.layout import guess_language
from sheetcrm.rules.plan_report import owner_problems
from sheetcrm.rules.plan_settings import PlanParams, plan_params
from sheetcrm.rules.plans import PlanResult, plan_logged, unowned_customers
from sheetcrm.rules.rows import ParseOptions
from sheetcrm.rules.tier_report import TierParams, TierRow, override_problems
from sheetcrm.rules.tiers import Shares, Weights
from sheetcrm.rules.unread import unread_columns, unread_sheets
from sheetcrm.rules.validate import Validated
from sheetcrm.schema import (
    OUTBOX_SHEET,
    TIERS_SETTINGS_SHEET,
    SheetKind,
    header_text,
)
from sheetcrm.settings import Settings, TierSettings
from sheetcrm.sheets import generated_names, sheet_inputs
from sheetcrm.tier_sheet import SheetSettings, apply_tier_sheet
from sheetcrm.validation_apart import problems_on_both_cores, validated_and_ranked
from sheetcrm.write_plan import layout_plan, tier_history_rows, with_plans_of, write_plan

if TYPE_CHECKING:
    from sheetcrm.delivery import DeliveryReport
    from sheetcrm.reminders import Due

log = logging.getLogger(__name__)

# The job's own sent greetings count as contacts for the plans: a year and a bit back covers
# the longest default cadence (a home visit a year).
SENT_LOOKBACK = dt.timedelta(days=400)


@dataclass(frozen=True)
class SyncReport:
    """What one run saw and did; the CLI renders it."""

    workbook: Path
    today: dt.date
    language: str
    report_language: str
    sheets: Mapping[SheetKind, str]
    rows_read: Mapping[str, int]
    problems: tuple[Problem, ...]
    plan: WritePlan
    result: WriteResult | None
    created_demo: bool = False
    messages: tuple[Message, ...] = ()  # due today, rendered
    delivery: DeliveryReport | None = None  # what became of them (None: nothing sent)
    dry_run: bool = False
    would_change: tuple[PlannedCell, ...] = ()  # a dry run's cells, as a sync would write them
    # (sheet, header read, header not read): amounts read before tax beside a total with tax.
    amounts_before_tax: tuple[tuple[str, str, str], ...] = ()
    # The workbook as read, kept with the report: freeing its two million cells (10,000
    # customers) takes 0.03 s, which a command that ends with its run need not spend.
    snapshot: Snapshot | None = field(default=None, repr=False, compare=False)

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p.severity is Severity.WARNING)


def open_backend(settings: Settings) -> Backend:
    """The backend for the configured workbook: a Google Sheet, or an Excel file."""
    if settings.google is not None and settings.google.spreadsheet is not None:
        from sheetcrm.google.backend import GoogleBackend

        return GoogleBackend(settings.google)
    from sheetcrm.excel import ExcelBackend

    path = settings.workbook
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise ConfigError(f"workbook: {path} is not an .xlsx or .xlsm file")
    if not path.exists():
        raise ConfigError(f"workbook: {path} does not exist")
    return ExcelBackend(path, backups=settings.backups)


def ensure_demo(settings: Settings, today: dt.date) -> bool:
    """Create the demo workbook on the first run of the embedded default. True if created."""
    if settings.demo is None or settings.workbook.exists():
        return False
    from sheetcrm.demo import generate_demo

    settings.workbook.parent.mkdir(parents=True, exist_ok=True)
    generate_demo(
        settings.workbook,
        customers=settings.demo.customers,
        seed=settings.demo.seed,
        language=settings.demo.language,
        today=today,
    )
    log.info("created demo workbook %s", settings.workbook)
    return True


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector while a run builds millions of small objects.

    Each collection would walk the whole snapshot (two million cells for 10,000 customers)
    again and again: that doubled the time of a sync. A run makes no reference cycles worth
    collecting early; the collector runs again as soon as the run ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def check(settings: Settings, *, today: dt.date, backend: Backend | None = None) -> SyncReport:
    """Read and validate only; writes nothing."""
    with _no_cycle_collection():
        return _check(settings, today, backend)


def _check(settings: Settings, today: dt.date, backend: Backend | None) -> SyncReport:
    # A newcomer's first command may be check: the demo workbook is there to be checked.
    created = ensure_demo(settings, today) if backend is None else False
    backend = backend or open_backend(settings)
    snapshot = backend.read()
    computed = compute(settings, snapshot, today, problems_only=True)
    # What sync would refuse to write (an owned column inside a table), check refuses too.
    backend.check_layout(layout_plan(settings, computed), snapshot)
    report = _report(settings, today, computed, WritePlan(), None)
    return replace(report, created_demo=created, snapshot=snapshot)


def run(
    settings: Settings,
    *,
    today: dt.date,
    dry_run: bool = False,
    backend: Backend | None = None,
    now: dt.datetime | None = None,
    progress: Progress = QUIET,
) -> SyncReport:
    """One sync: read every sheet once, validate, compute tiers and plans, send what is due
    (each message at most once), and write the owned cells and sheets once.

    `now` (with its timezone) decides quiet hours; by default the clock in
    schedule.timezone. A dry run sends nothing and writes nothing.
    """
    moment = now or local_now(settings, today)
    if dry_run:
        with _no_cycle_collection():
            return _run(settings, today, dry_run, backend, moment, progress)
    # One sync at a time per workbook: a second waits, then says who holds it.
    lock = lock_path(settings.state_dir, str(settings.workbook))
    with workbook_lock(lock, settings.workbook.name), _no_cycle_collection():
        return _run(settings, today, dry_run, backend, moment, progress)


def quiet_hours_wake(
    settings: Settings, report: SyncReport, now: dt.datetime
) -> dt.datetime | None:
    """When the customer messages this run held back for quiet hours may go: the next start
    of the window, today or (after it closed) tomorrow; None when nothing was held back."""
    from sheetcrm.delivery import QUIET_HOURS

    delivery = report.delivery
    held = delivery is not None and any(
        o.new and o.status is DeliveryStatus.QUEUED and o.reason.startswith(QUIET_HOURS)
        for o in delivery.outcomes
    )
    if not held:
        return None
    window = settings.messages.quiet_hours.start
    start = now.replace(hour=window.hour, minute=window.minute, second=0, microsecond=0)
    return start if start > now else start + dt.timedelta(days=1)


def team_now(settings: Settings) -> dt.datetime:
    """The time now in the team's zone (schedule.timezone), whatever the machine's zone."""
    return clock.now_in(ZoneInfo(settings.schedule.timezone))


def local_now(settings: Settings, today: dt.date) -> dt.datetime:
    """The team's time now, on `today` (which --today may have moved)."""
    return team_now(settings).replace(year=today.year, month=today.month, day=today.day)


def _run(
    settings: Settings,
    today: dt.date,
    dry_run: bool,
    backend: Backend | None,
    now: dt.datetime,
    progress: Progress,
) -> SyncReport:
    # Here, not at the top: check never sends, and the messages' modules (Jinja2, Babel,
    # the ledger) are 0.05 s of its start.
    from sheetcrm.reminders import (
        OUTBOX_DAYS,
        Due,
        WhatsApp,
        due_messages,
        ledger_entries,
        logged_changes,
        outbox_sheet,
        recipient_contacts,
        record_ticks,
        send,
        sent_contacts,
    )
    from sheetcrm.rules.reminders import orders_still_needed
    from sheetcrm.templating import TemplateLibrary

    created = ensure_demo(settings, today) if backend is None else False
    backend = backend or open_backend(settings)
    progress.language = next(
        (lang for lang in (settings.report_language, settings.language) if lang != "auto"),
        progress.language,
    )
    with progress.step("read") as counts:
        snapshot = backend.read()
        counts.update(sheets=len(snapshot.sheets), rows=_rows(snapshot))
    if not dry_run:
        # Messages staff sent by hand and ticked: sent, and contacts for the plans, before
        # the Outbox is written anew.
        record_ticks(settings, ticked_keys(snapshot), now=now)
    entries = ledger_entries(settings, today - SENT_LOOKBACK)
    with progress.step("validate") as counts:
        computed = compute(settings, snapshot, today, sent_contacts(entries), log_records=False)
        progress.language = computed.report_language
        counts.update(customers=len(computed.validated.customers), problems=len(computed.problems))
    # Ranked: of the orders, the plans and messages read each customer's latest and the
    # past week's only. The rest let go now, the write plan made below reuses their memory
    # (at 100,000 customers the run's peak was 1,502 MB with them, 1,425 MB without).
    orders = orders_still_needed(computed.validated.orders, today)
    computed = replace(computed, validated=replace(computed.validated, orders=orders))
    history = tier_history_rows(snapshot, computed)
    delivery = None
    due = Due((), ())
    ahead: WritePlan | None = None  # the write plan made beside the messages
    greeted: set[str] = set()
    if not dry_run:
        library = TemplateLibrary(
            settings.messages.templates,
            default_language=computed.language,
            currency=settings.messages.currency,
        )
        changes = logged_changes(snapshot, history, today)
        # The messages are rendered in a copy of the process while this one makes the
        # write plan as it stands before any greeting: one a message reaches now is
        # planned again after sending, and only the plan columns are made again below.
        with Apart(partial(due_messages, settings, computed, changes, library, entries)) as copy:
            ahead = write_plan(settings, snapshot, computed, history)
            # Nothing leaves before the write is known to be possible: the workbook open in
            # Excel or changed since the read, or an owned column that would fall inside a
            # table, refuses here, having sent nothing (and the copy is stopped). Asked
            # while the copy renders: on a festival's first run it is the longer of the two.
            language = computed.language
            outbox_layout = outbox_sheet(header_text(OUTBOX_SHEET, language), [], language)
            layout = layout_plan(settings, computed, history, (outbox_layout,))
            backend.check_writable(layout, snapshot)
            due = copy.result()
        with progress.step("send") as counts:
            delivery = send(settings, due, now=now)
            counts.update(messages=len(due.messages))
        entries = ledger_entries(settings, today - SENT_LOOKBACK)  # with what just went out
        greeted = _greeted(due, delivery)
        computed = _replan_greeted(computed, greeted, sent_contacts(entries))
    computed = _without_orders(computed)
    shown = today - dt.timedelta(days=OUTBOX_DAYS)
    outbox = outbox_sheet(
        header_text(OUTBOX_SHEET, computed.language),
        [e for e in entries if e.updated.date() >= shown],
        computed.language,
        recipient_contacts(computed),
        WhatsApp.of(settings, computed),
    )
    if ahead is None:  # a dry run
        plan = write_plan(settings, snapshot, computed, history, (outbox,))
    else:
        # Customers greeted now have new plans: only their plan columns change.
        done = with_plans_of(ahead, computed) if greeted else ahead
        plan = replace(done, generated=(*done.generated, outbox))
    report = _report(settings, today, computed, plan, None)
    report = replace(
        report, created_demo=created, messages=due.messages, delivery=delivery, snapshot=snapshot
    )
    # The records and the ledger's rows (10,000 on a day everyone is greeted) are in the
    # plan now: let them go before the write's peak.
    del computed, entries
    return_freed_memory()
    if dry_run:
        return replace(report, dry_run=True, would_change=planned_cells(snapshot, plan))
    with progress.step("write") as counts:
        result = backend.write(plan, snapshot)
        counts.update(cells=result.cells_written)
    return replace(report, result=result)


def _without_orders(computed: Computed) -> Computed:
    """The orders are not written back (nor the contact log, whose records stayed in the
    copy that folded it): the plan does without them, and the write's peak too."""
    return replace(computed, validated=replace(computed.validated, orders=()))


def _rows(snapshot: Snapshot) -> int:
    return sum(len(sheet.rows) for sheet in snapshot.sheets.values())


def compute(
    settings: Settings,
    snapshot: Snapshot,
    today: dt.date,
    sent: Sequence[Contact] = (),
    *,
    problems_only: bool = False,
    log_records: bool = True,
) -> Computed:
    """Validate every sheet and compute the tiers and plans; the rules see plain records only.
    `sent`: greetings the job sent itself, which count as contacts for the plans.
    `problems_only`: every problem, without ranking the customers or planning their
    contacts (what `check` reports); the tiers and plans are then empty.
    `log_records=False`: Validated.contacts left empty (the plans need only the log's
    fold, which a copy of the process can make on the second core)."""
    inputs = sheet_inputs(settings, snapshot)
    language = (
        settings.language
        if settings.language != "auto"
        else guess_language([i.layout for i in inputs.values()])
    )
    language_known = settings.language != "auto" or any(
        i.layout.language_votes for i in inputs.values()
    )
    report_language = language if settings.report_language == "auto" else settings.report_language
    options = ParseOptions(
        phone_region=settings.phone_region,
        day_first=settings.dates.day_first,
        decimal_comma=settings.amounts.decimal_comma,
        date1904=snapshot.date1904,
        today=today,
        vocabulary={
            key: {member: tuple(words) for member, words in members.items()}
            for key, members in settings.vocabulary.items()
        },
        language=language if language_known else None,
    )
    register = inputs[SheetKind.CUSTOMERS]
    sheet = _sheet_settings(settings, snapshot)
    params = plan_params(sheet.plans)
    tiers: Mapping[str, TierRow]
    if problems_only:
        # check wants problems only: its validation runs on both cores (records left behind).
        validated = problems_on_both_cores(inputs, options)
        tiers, plans, log = {}, PlanResult({}, {}, (), ()), ContactLog({}, {}, {})
        unowned = unowned_customers(validated.customers, validated.staff, params)
    else:
        validated, log, tiers = validated_and_ranked(
            inputs, options, tier_params(sheet.tiers), log_records=log_records
        )
        plans = _plans(params, validated, log, tiers, today, sent)
        unowned = plans.unowned  # the same list, found while planning
    customers = validated.customers
    read = [i.sheet.name for i in inputs.values()]
    problems = (
        *schedule_problems(settings),
        *unread_sheets(snapshot.sheets, read, generated_names(settings) | _tiers_sheet_names()),
        *(p for i in inputs.values() for p in unread_columns(i.sheet, i.layout)),
        *validated.problems,
        *sheet.problems,
        *override_problems(register.sheet, register.layout, customers),
        *owner_problems(register.sheet, register.layout, customers, unowned),
    )
    return Computed(
        inputs,
        validated,
        language,
        report_language,
        tiers,
        problems,
        today,
        sheet.tiers.window_days,
        plans,
        params,
        log,
    )


def _tiers_sheet_names() -> set[str]:
    return {w for words in TIERS_SETTINGS_SHEET.values() for w in words}


def schedule_problems(settings: Settings) -> tuple[Problem, ...]:
    """A daily run outside the hours customers may get messages never greets anyone on its
    own: the day's greetings wait for the next run, at the same hour. Said by `check`."""
    at = dt.time.fromisoformat(settings.schedule.at)
    quiet = settings.messages.quiet_hours
    if quiet.start <= at < quiet.end:
        return ()
    return (
        Problem(
            sheet="settings.yaml",
            cell="schedule.at",
            value=settings.schedule.at,
            code="schedule.outside_quiet_hours",
            params=(
                ("at", settings.schedule.at),
                ("start", quiet.start.strftime("%H:%M")),
                ("end", quiet.end.strftime("%H:%M")),
            ),
            severity=Severity.WARNING,
        ),
    )


def _plans(
    params: PlanParams,
    validated: Validated,
    log: ContactLog,
    tiers: Mapping[str, TierRow],
    today: dt.date,
    sent: Sequence[Contact],
) -> PlanResult:
    # The last purchases the ranking found: its values walked the orders already.
    bought = {
        cid: row.value.last_purchase
        for cid, row in tiers.items()
        if row.value is not None and row.value.last_purchase is not None
    }
    return plan_logged(
        validated.customers,
        log.then(contact_log(sent, today)) if sent else log,
        bought,
        validated.staff,
        {cid: row.tier for cid, row in tiers.items()},
        today,
        params,
    )


def _greeted(due: Due, delivery: DeliveryReport) -> set[str]:
    """Customers a message went out to in this run."""
    keys = {o.key for o in delivery.outcomes if o.new and o.status is DeliveryStatus.SENT}
    return {
        m.recipient.id
        for m in due.messages
        if m.key in keys and m.recipient.kind is RecipientKind.CUSTOMER
    }


def _replan_greeted(computed: Computed, ids: set[str], sent: Sequence[Contact]) -> Computed:
    """The plans again for customers greeted just now: the register shows the greeting as
    their last contact at once, so a second run the same day has nothing new to write."""
    if not ids:
        return computed
    v = computed.validated
    subset = replace(v, customers=tuple(c for c in v.customers if c.id in ids))
    again = _plans(
        computed.plan_params,
        subset,
        computed.contact_log.only(ids),
        computed.tiers,
        computed.today,
        [c for c in sent if c.customer_id in ids],
    )
    plans = replace(computed.plans, rows={**computed.plans.rows, **again.rows})
    return replace(computed, plans=plans)


def _sheet_settings(settings: Settings, snapshot: Snapshot) -> SheetSettings:
    """settings.yaml's tier and plan settings, with what managers put in a Tiers sheet."""
    names = _tiers_sheet_names()
    sheet = next((s for name, s in snapshot.sheets.items() if name in names), None)
    if sheet is None:
        return SheetSettings(settings.tiers, settings.plans, [])
    return apply_tier_sheet(
        sheet, settings.tiers, settings.plans, decimal_comma=settings.amounts.decimal_comma
    )


def tier_params(t: TierSettings) -> TierParams:
    """Tier settings as the rules take them: percentages become exact fractions."""
    return TierParams(
        method=t.method,
        window_days=t.window_days,
        shares=Shares(
            *(Fraction(v) / 100 for v in (t.shares.A, t.shares.B, t.shares.C, t.shares.D))
        ),
        weights=Weights(
            *(Fraction(v) / 100 for v in (t.weights.amount, t.weights.profit, t.weights.frequency))
        ),
        threshold_a=t.thresholds.A,
        threshold_b=t.thresholds.B,
        basis=t.thresholds.basis,
        vip_single=t.vip.single_order,
        vip_monthly=t.vip.monthly,
    )


def _report(
    settings: Settings,
    today: dt.date,
    computed: Computed,
    plan: WritePlan,
    result: WriteResult | None,
) -> SyncReport:
    return SyncReport(
        workbook=settings.workbook,
        today=today,
        language=computed.language,
        report_language=computed.report_language,
        sheets={kind: i.sheet.name for kind, i in computed.inputs.items()},
        rows_read=computed.validated.rows_read,
        problems=computed.problems,
        plan=plan,
        result=result,
        amounts_before_tax=tuple(
            (i.sheet.name, i.layout.headers[read], i.layout.headers[other])
            for i in computed.inputs.values()
            for other, read, _ in i.layout.set_aside
        ),
    )
