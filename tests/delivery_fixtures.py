"""Messages, a fixed local clock and a recording channel for the ledger and delivery tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sheetcrm.errors import DeliveryError
from sheetcrm.outbound import Message, MessageKind, Recipient, RecipientKind

TZ = dt.timezone(dt.timedelta(hours=8), "CST")
TODAY = dt.date(2027, 2, 1)
NOON = dt.datetime(2027, 2, 1, 12, 0, tzinfo=TZ)


def at(hour: int, minute: int = 0, day: dt.date = TODAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)


def customer(cid: str = "C1", name: str = "Li Na") -> Recipient:
    return Recipient(RecipientKind.CUSTOMER, cid, name, "en", email=f"{cid.lower()}@example.com")


def staff(name: str = "Wang") -> Recipient:
    return Recipient(RecipientKind.STAFF, name, name, "en", email="wang@example.com")


def message(
    cid: str = "C1",
    *,
    kind: MessageKind = MessageKind.BIRTHDAY,
    occasion: dt.date = TODAY,
    channel: str = "email",
    recipient: Recipient | None = None,
) -> Message:
    return Message(
        kind=kind,
        recipient=recipient or customer(cid),
        channel=channel,
        occasion=occasion,
        subject=f"{kind} for {cid}",
        body=f"Dear {cid}, all the best. " * 10,
        reason=f"{kind} on {occasion.isoformat()}",
    )


class RecordingChannel:
    """Records every key handed to it; raises the scripted errors first, one per send."""

    def __init__(
        self, name: str = "email", errors: dict[str, Iterable[DeliveryError]] | None = None
    ):
        self.name = name
        self.sent: list[str] = []
        self.tries: list[str] = []
        self._errors = {key: list(errs) for key, errs in (errors or {}).items()}

    def send(self, message: Message) -> None:
        self.tries.append(message.key)
        pending = self._errors.get(message.key)
        if pending:
            raise pending.pop(0)
        self.sent.append(message.key)
