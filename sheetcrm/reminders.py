"""From due messages to delivered ones [issue 4]: pick a channel each recipient can be
reached on, render every message first (a template error stops the batch before anything
is sent), then claim each in the ledger and send it. Also: the Outbox sheet that mirrors the
ledger, and the job's own sent greetings read back as contacts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sheetcrm.backend import Snapshot
from sheetcrm.cells import as_text
from sheetcrm.channels import ChannelSettings, build_channels
from sheetcrm.computed import Computed
from sheetcrm.delivery import DeliveryPolicy, DeliveryReport, RetryPolicy, deliver
from sheetcrm.ledger import LEDGER_FILE, Ledger, LedgerEntry
from sheetcrm.message_context import UnknownSend, as_context
from sheetcrm.messages import text
from sheetcrm.outbound import (
    CUSTOMER_KINDS,
    DeliveryStatus,
    Message,
    MessageKind,
    Recipient,
    RecipientKind,
)
from sheetcrm.plan import AppendedSheet, GeneratedSheet
from sheetcrm.records import Contact
from sheetcrm.rules.calendar import occasions_between
from sheetcrm.rules.reminders import (
    Intent,
    LoggedChange,
    ReminderParams,
    customer_intents,
    manager_intents,
    staff_intents,
)
from sheetcrm.settings import Settings
from sheetcrm.state import workbook_state
from sheetcrm.templating import TemplateLibrary
from sheetcrm.vocabulary import LANGUAGES, ContactType

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# What each kind of channel needs of a recipient; chat robots post to their group.
NEEDS = {"smtp": "email", "twilio": "phone", "http_sms": "phone"}
OUTBOX_DAYS = 30  # the Outbox sheet shows the ledger's last month


@dataclass(frozen=True)
class Due:
    """The messages due on a day, rendered, and those nobody can be reached for."""

    messages: tuple[Message, ...]
    unreachable: tuple[Message, ...]  # recorded as skipped, with the reason


def reminder_params(settings: Settings, language: str) -> ReminderParams:
    m = settings.messages
    return ReminderParams(
        company=m.company,
        language=language,
        birthday_reminder_days=settings.calendar.birthday_reminder_days,
        greet_customers=settings.calendar.greet_customers,
        greet_when_consent_unknown=m.greet_when_consent_unknown,
        grace_days=m.grace_days,
        summary_weekday=WEEKDAYS.index(m.summary_weekday),
        quiet_days=m.quiet_days,
        familiar=m.address == "familiar",
    )


def due_messages(
    settings: Settings,
    computed: Computed,
    changes: Sequence[LoggedChange],
    library: TemplateLibrary,
    recorded: Sequence[LedgerEntry] = (),
) -> Due:
    """Every message due on computed.today, rendered, with its channel chosen. `recorded`:
    the ledger's entries, whose unknown outcomes the managers' summary lists."""
    today = computed.today
    params = reminder_params(settings, computed.language)
    v = computed.validated
    customers = v.customers  # languages are one of the four, or None, as validation read them
    grace = max(settings.messages.grace_days.values(), default=0)
    cal = settings.calendar
    custom = [c.as_custom_date() for c in cal.custom]
    # Holiday names in each language a customer reads (most workbooks use one or two).
    languages = {computed.language, *(c.language for c in customers if c.language)}
    holidays = {
        lang: occasions_between(
            today - dt.timedelta(days=grace), today, cal.country, cal.festivals, custom, lang
        )
        for lang in languages
        if lang in LANGUAGES
    }
    tiers = {cid: row.tier for cid, row in computed.tiers.items()}
    problems = len(computed.problems)
    intents = [
        *customer_intents(customers, v.staff, computed.plans, holidays, today, params),
        *staff_intents(v.customers, v.staff, computed.plans, today, params),
        *manager_intents(
            v.customers,
            v.staff,
            v.orders,
            computed.plans,
            tiers,
            changes,
            problems,
            today,
            params,
            unknown_sends(recorded, computed.language),
        ),
    ]
    return render_all(intents, settings, library)


def unknown_sends(entries: Sequence[LedgerEntry], language: str) -> list[UnknownSend]:
    """The recorded messages that may or may not have arrived, in the manager's words."""
    return [
        UnknownSend(
            e.recipient_name, text(f"kind.{e.kind.value}", language), e.channel, e.updated.date()
        )
        for e in entries
        if e.unknown
    ]


def render_all(intents: Sequence[Intent], settings: Settings, library: TemplateLibrary) -> Due:
    """Render every intent before any is sent; TemplateError names the file and line."""
    ready: list[Message] = []
    unreachable: list[Message] = []
    for intent in intents:
        names = (
            settings.messages.customer_channels
            if intent.kind in CUSTOMER_KINDS
            else settings.messages.staff_channels
        )
        channel = choose_channel(intent.recipient, names, settings.channels)
        rendered = library.render(
            intent.kind,
            intent.recipient.language,
            as_context(intent.context),
            variant=intent.template,
        )
        message = Message(
            intent.kind,
            intent.recipient,
            channel or names[0],
            intent.occasion,
            rendered.subject,
            rendered.body,
            intent.reason,
        )
        (ready if channel else unreachable).append(message)
    return Due(tuple(ready), tuple(unreachable))


def choose_channel(
    recipient: Recipient, names: Sequence[str], channels: Mapping[str, ChannelSettings]
) -> str | None:
    """The first channel in `names` that can reach the recipient."""
    for name in names:
        needs = NEEDS.get(channels[name].kind)
        if needs is None or getattr(recipient, needs):
            return name
    return None


def send(settings: Settings, due: Due, *, now: dt.datetime) -> DeliveryReport:
    """Claim and send each message once; record the unreachable ones as skipped."""
    m = settings.messages
    policy = DeliveryPolicy(
        send_from=m.quiet_hours.start,
        send_until=m.quiet_hours.end,
        grace_days={MessageKind(k): v for k, v in m.grace_days.items()},
        per_customer_per_day=m.per_customer_per_day,
        retry=RetryPolicy(),
    )
    channels = build_channels(settings.channels)
    # Commits are made durable (fsync) whenever a message may leave the machine.
    durable = any(settings.channels[m.channel].kind != "outbox" for m in due.messages)
    with Ledger.in_state_dir(workbook_state(settings), durable=durable) as ledger:
        for message in due.unreachable:
            reason = f"no {NEEDS.get(settings.channels[message.channel].kind, 'address')} "
            ledger.skip(message, reason + "for any of its channels", now=now)
        return deliver(due.messages, ledger, channels, now=now, policy=policy)


def ledger_entries(settings: Settings, since: dt.date | None) -> list[LedgerEntry]:
    """What the ledger recorded since `since` (None: ever), newest first; [] before the first
    message."""
    state = workbook_state(settings)
    if not (state / LEDGER_FILE).exists():
        return []
    with Ledger.in_state_dir(state) as ledger:
        entries = ledger.entries(since)
    return sorted(entries, key=lambda e: (e.updated, e.key), reverse=True)


def sent_contacts(entries: Sequence[LedgerEntry]) -> list[Contact]:
    """Greetings the job sent, as contacts: a sent SMS greeting satisfies the plan's "SMS
    every quarter" just as one staff logged would."""
    return [
        Contact(
            row=-1, date=e.updated.date(), type=ContactType.GREETING, customer_id=e.recipient_id
        )
        for e in entries
        if e.status is DeliveryStatus.SENT and e.recipient_kind is RecipientKind.CUSTOMER
    ]


def outbox_sheet(name: str, entries: Sequence[LedgerEntry], language: str) -> GeneratedSheet:
    """The Outbox sheet staff read: the ledger's last month, newest first."""
    header = tuple(
        text(f"outbox.{k}", language)
        for k in (
            "time", "status", "kind", "to", "channel", "occasion", "subject", "text", "why",
            "note",
        )
    )  # fmt: skip
    rows = tuple(
        (
            e.updated.replace(tzinfo=None, microsecond=0),
            # "unknown": it may have arrived (a crash mid-send, a lost answer): staff check.
            text("status.unknown" if e.unknown else f"status.{e.status.value}", language),
            text(f"kind.{e.kind.value}", language),
            e.recipient_name,
            e.channel,
            e.occasion,
            e.subject,
            e.excerpt,  # the whole text, to copy into WeChat or WhatsApp
            e.purpose,
            e.reason,
        )
        for e in entries
    )
    return GeneratedSheet(
        name=name,
        header=header,
        rows=rows,
        kinds=("datetime", "text", "text", "text", "text", "date", "text", "wrap", "text", "text"),
        widths=(17, 10, 12, 14, 10, 12, 30, 60, 30, 40),
    )


def logged_changes(
    snapshot: Snapshot, history: AppendedSheet, today: dt.date
) -> list[LoggedChange]:
    """Tier changes of the past week: the Tier history's rows and this run's new ones."""
    sheet = snapshot.sheets.get(history.name)
    rows = [*(sheet.rows[1:] if sheet else []), *history.rows]
    since = today - dt.timedelta(days=7)
    changes = []
    for row in rows:
        if len(row) < 5:
            continue
        day = row[0].date() if isinstance(row[0], dt.datetime) else row[0]
        if isinstance(day, dt.date) and since <= day <= today:
            old, new = (as_text(v).strip() for v in row[3:5])
            changes.append(LoggedChange(day, as_text(row[1]).strip(), as_text(row[2]), old, new))
    return changes
