"""`sheetcrm preview`: what would be sent on the next days, to whom, and why. Sends nothing,
writes nothing, claims nothing; the ledger is only read, to say what went out already."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sheetcrm.backend import Backend
from sheetcrm.ledger import LedgerEntry
from sheetcrm.outbound import DeliveryStatus, Message
from sheetcrm.reminders import due_messages, ledger_entries, logged_changes, sent_contacts
from sheetcrm.settings import Settings
from sheetcrm.sync import SENT_LOOKBACK, compute, ensure_demo, open_backend
from sheetcrm.templating import TemplateLibrary
from sheetcrm.write_plan import tier_history_rows

TO_SEND = "to send"


@dataclass(frozen=True)
class PreviewLine:
    day: dt.date  # the first day it can go out
    message: Message
    status: str  # "to send", "already sent 2027-02-01", "no address: not sent"
    until: dt.date | None = None  # the last day it may go out late (its grace), when later


def preview(
    settings: Settings, *, today: dt.date, days: int = 1, backend: Backend | None = None
) -> list[PreviewLine]:
    """The messages due on each of `days` days from `today`, as the sync would send them."""
    if backend is None:
        ensure_demo(settings, today)
    backend = backend or open_backend(settings)
    snapshot = backend.read()
    recorded = ledger_entries(settings, None)  # read once: what went out, and what is known
    since = today - SENT_LOOKBACK
    sent = sent_contacts([e for e in recorded if e.updated.date() >= since])
    known = {e.key: e for e in recorded}
    lines: list[PreviewLine] = []
    listed: set[str] = set()
    library: TemplateLibrary | None = None
    for n in range(days):
        day = today + dt.timedelta(days=n)
        computed = compute(settings, snapshot, day, sent)
        library = library or TemplateLibrary(
            settings.messages.templates,
            default_language=computed.language,
            currency=settings.messages.currency,
        )
        changes = logged_changes(snapshot, tier_history_rows(snapshot, computed), day)
        due = due_messages(settings, computed, changes, library, recorded)
        unreachable = "no address for its channels: not sent"
        for message, status in (
            *((m, _status(known.get(m.key))) for m in due.messages),
            *((m, unreachable) for m in due.unreachable),
        ):
            # A message due today is due again tomorrow within its grace (the job may not
            # run today): one line, with the last day it may still go out.
            if message.key not in listed:
                listed.add(message.key)
                grace = settings.messages.grace_days.get(message.kind.value, 0)
                until = message.occasion + dt.timedelta(days=grace)
                late = until > day and status == TO_SEND
                lines.append(PreviewLine(day, message, status, until if late else None))
    return lines


def _status(entry: LedgerEntry | None) -> str:
    if entry is None or entry.status is DeliveryStatus.QUEUED:
        return TO_SEND
    return f"already {entry.status.value} {entry.updated.date().isoformat()}"
