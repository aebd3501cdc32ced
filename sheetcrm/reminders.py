"""From due messages to delivered ones [issue 4]: pick a channel each recipient can be
reached on, render every message first (a template error stops the batch before anything
is sent), then claim each in the ledger and send it. Also: the Outbox sheet that mirrors the
ledger, and the job's own sent greetings read back as contacts.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from urllib.parse import quote

from sheetcrm.backend import Snapshot
from sheetcrm.cells import as_text
from sheetcrm.channels import ChannelSettings, build_channels
from sheetcrm.computed import Computed
from sheetcrm.delivery import DeliveryPolicy, DeliveryReport, RetryPolicy, deliver
from sheetcrm.digest_html import digest_html
from sheetcrm.forked import mapped_apart
from sheetcrm.ledger import LEDGER_FILE, Ledger, LedgerEntry
from sheetcrm.ledger_schema import SENT_BY_HAND, is_open
from sheetcrm.message_context import ByHandItem, UnknownSend, as_context
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
from sheetcrm.regional_words import regional
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
from sheetcrm.templating import TemplateLibrary, resolve_language
from sheetcrm.vocabulary import LANGUAGES, ContactType

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# What each kind of channel needs of a recipient (any one of them); chat robots post to
# their group. Staff message a customer by hand on their phone (WhatsApp) or WeChat id.
NEEDS = {
    "smtp": ("email",),
    "twilio": ("phone",),
    "http_sms": ("phone",),
    "manual": ("phone", "chat_id"),
}
OUTBOX_DAYS = 30  # the Outbox sheet shows the ledger's last month
OUTBOX_COLUMNS = (
    "time", "status", "done", "kind", "to", "contact", "link", "channel", "occasion", "subject",
    "text", "why", "note", "key",
)  # fmt: skip


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
    to_customers = render_all(
        customer_intents(customers, v.staff, computed.plans, holidays, today, params),
        settings,
        library,
        {cid: tier.value for cid, tier in tiers.items() if tier},
    )
    by_hand = by_hand_items(settings, computed, to_customers, recorded)
    intents = [
        *staff_intents(v.customers, v.staff, computed.plans, today, params, by_hand),
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
    to_staff = render_all(intents, settings, library)
    messages = to_customers.messages + to_staff.messages
    return Due(messages, to_customers.unreachable + to_staff.unreachable)


def by_hand_items(
    settings: Settings, computed: Computed, due: Due, recorded: Sequence[LedgerEntry]
) -> dict[str, list[ByHandItem]]:
    """Per acting owner, the customer messages they are to send by hand: those a `manual`
    channel hands out today (as delivery will: each customer's first message of the day
    while the daily limit allows) and those handed before and not ticked, within grace."""
    manual = {name for name, ch in settings.channels.items() if ch.kind == "manual"}
    if not manual:
        return {}
    today, language = computed.today, computed.language
    customers = {c.id: c for c in computed.validated.customers}
    grace = settings.messages.grace_days
    items: dict[str, list[ByHandItem]] = defaultdict(list)

    def add(cid: str, kind: MessageKind, body: str, occasion: dt.date) -> None:
        row, c = computed.plans.rows.get(cid), customers.get(cid)
        if row is not None and row.owner and c is not None:
            until = occasion + dt.timedelta(days=grace.get(kind.value, 0))
            kind_text = text(f"kind.{kind.value}", language)
            items[row.owner].append(
                ByHandItem(c.name, c.phone or "", c.wechat or "", kind_text, body, until)
            )

    known = {e.key: e for e in recorded}
    taken = Counter(
        e.recipient_id
        for e in recorded
        if e.recipient_kind is RecipientKind.CUSTOMER
        and e.updated.date() == today
        and e.status in (DeliveryStatus.SENT, DeliveryStatus.HANDED, DeliveryStatus.CLAIMED)
    )
    limit = settings.messages.per_customer_per_day
    for m in due.messages:
        entry = known.get(m.key)
        settled = entry is not None and not is_open(entry.status, entry.permanent)
        if m.recipient.kind is not RecipientKind.CUSTOMER or m.occasion > today or settled:
            continue
        if limit is not None and taken[m.recipient.id] >= limit:
            continue
        taken[m.recipient.id] += 1
        if m.channel in manual:
            add(m.recipient.id, m.kind, m.body, m.occasion)
    for e in recorded:
        if e.status is DeliveryStatus.HANDED:
            add(e.recipient_id, e.kind, e.excerpt, e.occasion)
    for found in items.values():
        found.sort(key=lambda item: (item.until, item.customer))
    return dict(items)


def unknown_sends(entries: Sequence[LedgerEntry], language: str) -> list[UnknownSend]:
    """The recorded messages that may or may not have arrived, in the manager's words."""
    return [
        UnknownSend(
            e.recipient_name, text(f"kind.{e.kind.value}", language), e.channel, e.updated.date()
        )
        for e in entries
        if e.unknown
    ]


# Messages rendered in a forked copy, every other one, from this many greetings' worth of
# work: a greeting takes about 0.1 ms, a staff digest ten times that (the demo's 191
# digests 0.16 s), forking and sending results back about 20 ms.
RENDERED_APART = 200
DIGEST_WORTH = 10


def render_all(
    intents: Sequence[Intent],
    settings: Settings,
    library: TemplateLibrary,
    tiers: Mapping[str, str] | None = None,
) -> Due:
    """Render every intent before any is sent; TemplateError names the file and line.
    `tiers`: customer id → tier letter, for channels chosen by tier. Many messages are
    rendered on both cores (rendering is pure: the same messages, in the same order)."""
    render = partial(_rendered, settings=settings, library=library, tiers=tiers or {})
    apart = worth_rendering_apart([i.kind for i in intents])
    messages = mapped_apart(render, intents, apart=apart)
    return Due(
        tuple(m for m, reachable in messages if reachable),
        tuple(m for m, reachable in messages if not reachable),
    )


def worth_rendering_apart(kinds: Sequence[MessageKind]) -> bool:
    """Whether messages of these kinds are worth rendering on both cores: a greeting's
    worth of work each, a digest's (to staff, to managers) ten."""
    work = sum(1 if kind in CUSTOMER_KINDS else DIGEST_WORTH for kind in kinds)
    return work >= RENDERED_APART


def _rendered(
    intent: Intent, *, settings: Settings, library: TemplateLibrary, tiers: Mapping[str, str]
) -> tuple[Message, bool]:
    """The message, and whether one of its channels can reach the recipient."""
    names = channels_for(intent, settings, tiers)
    channel = choose_channel(intent.recipient, names, settings.channels)
    rendered = library.render(
        intent.kind,
        intent.recipient.language,
        as_context(intent.context),
        variant=intent.template,
    )
    language = resolve_language(intent.recipient.language, library.default_language)
    country = settings.calendar.country
    body = regional(rendered.body, language, country)
    html = ""
    # Digests and summaries by e-mail: tables too. Only the mail channel sends them, and
    # made for every digest they were nearly half a festival's digests' rendering.
    if intent.kind not in CUSTOMER_KINDS and _by_email(channel, settings):
        greeting = body.split("\n", 1)[0]
        html = digest_html(intent.context, greeting, language, library.formatters(language))
    message = Message(
        intent.kind,
        intent.recipient,
        channel or names[0],
        intent.occasion,
        regional(rendered.subject, language, country),
        body,
        intent.reason,
        regional(html, language, country),
    )
    return message, bool(channel)


def _by_email(channel: str | None, settings: Settings) -> bool:
    return channel is not None and settings.channels[channel].kind == "smtp"


def channels_for(intent: Intent, settings: Settings, tiers: Mapping[str, str]) -> Sequence[str]:
    """The channels a message may go by, best first: staff's; a customer's by tier, else by
    language, else customer_channels."""
    m = settings.messages
    if intent.kind not in CUSTOMER_KINDS:
        return m.staff_channels
    tier = tiers.get(intent.recipient.id)
    if tier in m.channels_by_tier:
        return m.channels_by_tier[tier]
    language = intent.recipient.language
    if language in m.channels_by_language:
        return m.channels_by_language[language]
    return m.customer_channels


def choose_channel(
    recipient: Recipient, names: Sequence[str], channels: Mapping[str, ChannelSettings]
) -> str | None:
    """The first channel in `names` that can reach the recipient."""
    for name in names:
        needs = NEEDS.get(channels[name].kind)
        if needs is None or any(getattr(recipient, need) for need in needs):
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
        by_hand=frozenset(n for n, ch in settings.channels.items() if ch.kind == "manual"),
    )
    channels = build_channels(settings.channels)
    # Commits are made durable (fsync) whenever a message may leave the machine: not for
    # the Outbox, nor for what staff send by hand (a first run hands out thousands).
    kept = ("outbox", "manual")
    durable = any(settings.channels[m.channel].kind not in kept for m in due.messages)
    with (
        Ledger.in_state_dir(workbook_state(settings), durable=durable) as ledger,
        contextlib.nullcontext() if durable else ledger.batch(),
    ):
        for message in due.unreachable:
            needs = NEEDS.get(settings.channels[message.channel].kind, ("address",))
            reason = f"no {' or '.join(needs).replace('chat_id', 'WeChat id')} "
            ledger.skip(message, reason + "for any of its channels", now=now)
        settle_missed(ledger, policy, now)
        return deliver(due.messages, ledger, channels, now=now, policy=policy)


def settle_missed(ledger: Ledger, policy: DeliveryPolicy, now: dt.datetime) -> None:
    """Messages staff were to send by hand and did not tick within their grace: missed."""
    today = now.date()
    for e in ledger.entries(today - dt.timedelta(days=OUTBOX_DAYS)):
        last = e.occasion + dt.timedelta(days=policy.grace_days.get(e.kind, 0))
        if e.status is DeliveryStatus.HANDED and last < today:
            reason = f"missed: not ticked as sent by hand by {last.isoformat()}"
            ledger.mark_missed(e.key, reason, now=now)


def record_ticks(settings: Settings, keys: Sequence[str], *, now: dt.datetime) -> list[str]:
    """What staff ticked as sent by hand in the Outbox, into the ledger; the keys changed."""
    state = workbook_state(settings)
    if not keys or not (state / LEDGER_FILE).exists():
        return []
    with Ledger.in_state_dir(state) as ledger:
        return ledger.mark_sent_by_hand(keys, now=now)


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


def outbox_sheet(
    name: str,
    entries: Sequence[LedgerEntry],
    language: str,
    contacts: Mapping[tuple[RecipientKind, str], str] | None = None,
    whatsapp: WhatsApp | None = None,
) -> GeneratedSheet:
    """The Outbox sheet staff read: the ledger's last month, newest first. A message to send
    by hand has its whole text and the customer's phone or WeChat id to copy, a done column
    to tick (the ledger decides what it shows: ✓ once recorded), and, for WhatsApp, a link
    that opens the chat with the text typed."""
    header = tuple(text(f"outbox.{k}", language) for k in OUTBOX_COLUMNS)
    rows = []
    links = []
    for r, e in enumerate(entries):
        link = whatsapp.link(e) if whatsapp else ""
        if link:
            links.append((r, OUTBOX_COLUMNS.index("link"), link))
        rows.append(
            (
                e.updated.replace(tzinfo=None, microsecond=0),
                text(_status_label(e), language),
                "✓" if e.status is DeliveryStatus.SENT and e.reason == SENT_BY_HAND else "",
                text(f"kind.{e.kind.value}", language),
                e.recipient_name,
                (contacts or {}).get((e.recipient_kind, e.recipient_id), ""),
                "WhatsApp" if link else "",
                e.channel,
                e.occasion,
                e.subject,
                e.excerpt,  # the whole text, to copy into WeChat or WhatsApp
                e.purpose,
                e.reason,
                e.key,
            )
        )
    return GeneratedSheet(
        name=name,
        header=header,
        rows=tuple(rows),
        kinds=(
            "datetime", "text", "text", "text", "text", "text", "text", "text", "date", "text",
            "wrap", "text", "text", "text",
        ),
        widths=(17, 12, 6, 12, 14, 18, 10, 10, 12, 30, 60, 30, 40, 12),
        links=tuple(links),
    )  # fmt: skip


# Excel opens no link longer than this; a longer message's link opens the chat empty.
MAX_LINK = 2000


@dataclass(frozen=True)
class WhatsApp:
    """The manual channels staff send from with WhatsApp, and customers' mobile numbers."""

    channels: frozenset[str]
    phones: Mapping[str, str]  # customer id → E.164

    @classmethod
    def of(cls, settings: Settings, computed: Computed) -> WhatsApp:
        default = "wechat" if settings.phone_region == "CN" else "whatsapp"
        channels = frozenset(
            name
            for name, ch in settings.channels.items()
            if ch.kind == "manual" and (ch.app or default) == "whatsapp"
        )
        if not channels:
            return cls(channels, {})
        return cls(channels, {c.id: c.phone for c in computed.validated.customers if c.phone})

    def link(self, e: LedgerEntry) -> str:
        """https://wa.me/<digits>?text=<the message>: one click opens WhatsApp with the
        message typed, for a message still to send by hand to a known mobile number."""
        phone = self.phones.get(e.recipient_id, "")
        if e.status is not DeliveryStatus.HANDED or e.channel not in self.channels or not phone:
            return ""
        base = f"https://wa.me/{phone.lstrip('+')}"
        link = f"{base}?text={quote(e.excerpt, safe='')}"
        return link if len(link) <= MAX_LINK else base


def _status_label(e: LedgerEntry) -> str:
    # "unknown": it may have arrived (a crash mid-send, a lost answer): staff check.
    if e.unknown:
        return "status.unknown"
    if e.status is DeliveryStatus.SENT and e.reason == SENT_BY_HAND:
        return "status.sent_by_hand"
    return f"status.{e.status.value}"


def recipient_contacts(computed: Computed) -> dict[tuple[RecipientKind, str], str]:
    """How to reach each recipient, for the Outbox: a phone, else a WeChat id or e-mail."""
    v = computed.validated
    found: dict[tuple[RecipientKind, str], str] = {}
    for c in v.customers:
        wechat = f"WeChat {c.wechat}" if c.wechat else ""
        found[RecipientKind.CUSTOMER, c.id] = " / ".join(x for x in (c.phone, wechat, c.email) if x)
    for s in v.staff:
        found[RecipientKind.STAFF, s.name] = " / ".join(x for x in (s.email, s.phone) if x)
    return found


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
