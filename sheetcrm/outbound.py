"""What the job sends: messages with their idempotency keys, as plain frozen data.

Rules decide *which* messages are due (pure, from the register and a date); templates give
them words; the ledger claims each key once; a channel hands it to the outside world. All
four meet here, so this module holds data only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from sheetcrm.pickled import pickled_by_values


class MessageKind(StrEnum):
    """What a message is for. Customer messages read as care, never as advertising [003]."""

    BIRTHDAY = "birthday"  # to the customer, on the day
    HOLIDAY = "holiday"  # to the customer, on a public or custom holiday
    TOUCH = "touch"  # the periodic greeting of the customer's plan ("SMS every quarter")
    STAFF_DIGEST = "staff_digest"  # daily task list of one staff member
    MANAGER_SUMMARY = "manager_summary"  # weekly summary for a manager


CUSTOMER_KINDS = frozenset({MessageKind.BIRTHDAY, MessageKind.HOLIDAY, MessageKind.TOUCH})

# Days a message may go out late when the job did not run on its day (settings.yaml's
# messages.grace_days): a greeting a day late still reads as care, a periodic one a week
# late too; yesterday's task list is noise.
GRACE_DAYS: Mapping[MessageKind, int] = MappingProxyType(
    {
        MessageKind.BIRTHDAY: 1,
        MessageKind.HOLIDAY: 1,
        MessageKind.TOUCH: 7,
        MessageKind.STAFF_DIGEST: 0,
        MessageKind.MANAGER_SUMMARY: 1,
    }
)


class RecipientKind(StrEnum):
    CUSTOMER = "customer"
    STAFF = "staff"


class DeliveryStatus(StrEnum):
    """States of a message in the ledger and in the Outbox sheet."""

    QUEUED = "queued"  # planned, not yet claimed (e.g. waiting for quiet hours to end)
    CLAIMED = "claimed"  # claimed for sending; if the job dies here it is never resent
    SENT = "sent"  # by a channel, or by hand: staff ticked it in the Outbox
    HANDED = "handed"  # a `manual` channel's: in the Outbox for staff to send, not ticked yet
    FAILED = "failed"
    SKIPPED = "skipped"


@pickled_by_values
@dataclass(frozen=True, slots=True)
class Recipient:
    kind: RecipientKind
    id: str  # customer id, or staff name
    name: str
    language: str  # en | zh-Hans | zh-Hant | es
    email: str | None = None
    phone: str | None = None  # E.164, e.g. +8613800138000
    chat_id: str | None = None  # a chat user id / mention for webhooks


@pickled_by_values  # the copy rendering half of a festival's greetings sends them back
@dataclass(frozen=True, slots=True)
class Message:
    """One message to one recipient over one channel, fully rendered."""

    kind: MessageKind
    recipient: Recipient
    channel: str  # the channel's name in settings, e.g. "email", "sms", "wecom"
    occasion: dt.date  # the day the message is for (birthday, holiday, due date)
    subject: str
    body: str
    reason: str  # why it is sent, for preview and the Outbox sheet
    html: str = ""  # digests and summaries by e-mail: the same in tables ("" by other channels)
    # Idempotency key: the same occasion never yields two messages [issue 4]. Made once:
    # the ledger asks for it eight times per message, thousands on a festival.
    key: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        key = message_key(self.kind, self.recipient, self.occasion, self.channel)
        object.__setattr__(self, "key", key)


def message_key(kind: MessageKind, recipient: Recipient, occasion: dt.date, channel: str) -> str:
    return f"{kind}|{recipient.kind}|{recipient.id}|{occasion.isoformat()}|{channel}"
