"""The `outbox` channel: nothing leaves the machine.

It is the default and the safe choice for a first run or a demo: the ledger and the Outbox
sheet already record every message with its text, so "sending" is only accepting it. Staff
can read the Outbox sheet and send by hand, or switch the channel to a real one later.
"""

from __future__ import annotations

import logging

from sheetcrm.channels.masking import describe
from sheetcrm.outbound import Message

log = logging.getLogger(__name__)


class OutboxChannel:
    def __init__(self, name: str = "outbox") -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"OutboxChannel({self.name!r})"

    def send(self, message: Message) -> None:
        log.debug("outbox %r: kept %s for %s", self.name, message.kind, describe(message.recipient))
