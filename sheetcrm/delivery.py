"""Hand planned messages to their channels, each key at most once: claim → send → mark.

`deliver` applies a list of rendered messages (the plan) against the ledger. It decides per
message whether it may go now (quiet hours, grace days, one message per customer per day),
claims it in the ledger before the channel sees it, and records what happened. It never
reads the clock: `now` is the caller's local, tz-aware time, used for every decision and
timestamp of the run. Messages are tried in the order given, so the caller puts the one that
should win a customer's daily slot first.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sheetcrm.channels.retry import retry_delay
from sheetcrm.errors import DeliveryError
from sheetcrm.ledger import Claim, Ledger, LedgerEntry
from sheetcrm.ledger_schema import HANDED, UNKNOWN, is_open
from sheetcrm.outbound import GRACE_DAYS, DeliveryStatus, Message, MessageKind, RecipientKind

if TYPE_CHECKING:
    # The protocol only: the channels themselves (HTTP, TLS, SMTP) load where they are built.
    from sheetcrm.channels.base import Channel

log = logging.getLogger(__name__)

QUIET_HOURS = "quiet hours"  # how a message held back for them is recorded: its reason's start


@dataclass(frozen=True)
class RetryPolicy:
    """Retries of transient failures within one run; the ledger caps attempts across runs."""

    attempts: int = 3  # tries per message per run
    base_delay: float = 2.0  # seconds before the first retry, doubled for each further one
    sleep: Callable[[float], None] = time.sleep  # injectable, so tests do not wait
    jitter: Callable[[], float] = random.random  # see channels.retry.retry_delay

    def __post_init__(self) -> None:
        if self.attempts < 1 or self.base_delay < 0:
            raise ValueError("retry needs attempts >= 1 and base_delay >= 0")


@dataclass(frozen=True)
class DeliveryPolicy:
    # Customers get messages only from `send_from` to `send_until`, local time; the rest
    # stay queued for the next run. If send_from > send_until the window spans midnight.
    send_from: dt.time = dt.time(8, 0)
    send_until: dt.time = dt.time(21, 0)
    grace_days: Mapping[MessageKind, int] = field(default_factory=lambda: GRACE_DAYS)
    per_customer_per_day: int | None = 1  # None: no limit
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    # Channels staff send from by hand (`manual`): their messages are handed to the Outbox at
    # once, quiet hours or not (staff send them in their working day), and wait for a tick.
    by_hand: frozenset[str] = frozenset()

    def in_quiet_hours(self, now: dt.datetime) -> bool:
        t = now.time()
        if self.send_from <= self.send_until:
            return not self.send_from <= t < self.send_until
        return self.send_until <= t < self.send_from


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one message, for the preview and the Outbox sheet."""

    key: str
    status: DeliveryStatus
    reason: str
    # False when this run changed nothing: the ledger had settled the key before, or the key
    # came twice in the plan. Counts in DeliveryReport count new outcomes only.
    new: bool = True


@dataclass(frozen=True)
class DeliveryReport:
    outcomes: tuple[Outcome, ...]
    # Claims a crashed run left behind, found and marked by this run; never resent.
    interrupted: tuple[Outcome, ...] = ()

    def count(self, status: DeliveryStatus) -> int:
        return sum(1 for o in self.outcomes if o.new and o.status is status)

    @property
    def sent(self) -> int:
        return self.count(DeliveryStatus.SENT)

    @property
    def failed(self) -> int:
        return self.count(DeliveryStatus.FAILED)

    @property
    def skipped(self) -> int:
        return self.count(DeliveryStatus.SKIPPED)

    @property
    def handed(self) -> int:
        """Messages put in the Outbox for staff to send by hand."""
        return self.count(DeliveryStatus.HANDED)

    @property
    def queued(self) -> int:
        return self.count(DeliveryStatus.QUEUED)

    @property
    def already(self) -> int:
        """Messages left alone: settled by an earlier run, or repeated in the plan."""
        return sum(1 for o in self.outcomes if not o.new)

    @property
    def handed_before(self) -> int:
        """Messages an earlier run handed to staff, not ticked as sent yet."""
        return sum(1 for o in self.outcomes if not o.new and o.status is DeliveryStatus.HANDED)

    @property
    def sent_before(self) -> int:
        """Messages an earlier run sent (and this one left alone)."""
        return sum(1 for o in self.outcomes if not o.new and o.status is DeliveryStatus.SENT)


def deliver(
    messages: Sequence[Message],
    ledger: Ledger,
    channels: Mapping[str, Channel],
    *,
    now: dt.datetime,
    policy: DeliveryPolicy | None = None,
) -> DeliveryReport:
    """Send what is due now, at most once per key, and say what became of every message."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("deliver() needs the local time with its timezone")
    policy = policy or DeliveryPolicy()
    interrupted = tuple(
        Outcome(entry.key, entry.status, entry.reason) for entry in ledger.recover(now=now)
    )
    known = ledger.entries_of([m.key for m in messages])
    outcomes: list[Outcome | None] = []
    first: dict[str, int] = {}  # a key's first place in the plan
    by_hand: list[tuple[int, Message]] = []  # waiting to be handed out together

    def hand_out() -> None:
        handed = [(m, _daily_limit(m, policy)) for _, m in by_hand]
        claims = ledger.hand_out_all(handed, now=now)
        for (i, _), (message, limit), claim in zip(by_hand, handed, claims, strict=True):
            outcomes[i] = _handed(message, claim, ledger, now, limit)
        by_hand.clear()

    for message in messages:
        if message.key in first:  # the same key twice in one plan: one message, one outcome
            outcomes.append(None)
            continue
        first[message.key] = len(outcomes)
        decided = _decide(message, known.get(message.key), ledger, channels, now, policy)
        if isinstance(decided, _ByHand):
            by_hand.append((len(outcomes), message))
            outcomes.append(None)
            continue
        if isinstance(decided, Outcome):
            outcomes.append(decided)
            continue
        # A send takes the customer's slot of the day: what is handed out before it, first.
        if by_hand:
            hand_out()
        limit = _daily_limit(message, policy)
        outcomes.append(_send(message, decided, ledger, now, policy.retry, limit))
    if by_hand:
        hand_out()
    report = DeliveryReport(_with_duplicates(messages, outcomes, first), interrupted)
    log.info(
        "delivery: %d sent, %d failed, %d skipped, %d queued, %d already done, %d interrupted",
        *(report.sent, report.failed, report.skipped, report.queued, report.already),
        len(interrupted),
    )
    return report


def _with_duplicates(
    messages: Sequence[Message], outcomes: Sequence[Outcome | None], first: Mapping[str, int]
) -> tuple[Outcome, ...]:
    """Each message's outcome; a key's repeats say "duplicate", with its first's status."""
    done: list[Outcome] = []
    for message, outcome in zip(messages, outcomes, strict=True):
        if outcome is None:
            original = outcomes[first[message.key]]
            assert original is not None
            outcome = Outcome(message.key, original.status, "duplicate", False)
        done.append(outcome)
    return tuple(done)


class _ByHand:
    """_decide's answer for a message to hand out to staff."""


_BY_HAND = _ByHand()


def _decide(
    message: Message,
    entry: LedgerEntry | None,
    ledger: Ledger,
    channels: Mapping[str, Channel],
    now: dt.datetime,
    policy: DeliveryPolicy,
) -> Outcome | Channel | _ByHand:
    """What becomes of a message: its outcome when it is not to go now (recorded), the
    channel to send it by, or _BY_HAND. `entry`: its row in the ledger as read before the
    run's first message, settled for good if it was settled then."""
    if entry is not None and _settled(entry):
        return _already(entry)
    today = now.date()
    grace = dt.timedelta(days=policy.grace_days.get(message.kind, 0))
    if message.occasion < today - grace:
        reason = f"missed: the job did not run on {message.occasion.isoformat()}"
        return _record(ledger.skip, message, DeliveryStatus.SKIPPED, reason, ledger, now)
    if message.occasion > today:
        reason = f"not due until {message.occasion.isoformat()}"
        return _record(ledger.queue, message, DeliveryStatus.QUEUED, reason, ledger, now)
    channel = channels.get(message.channel)
    if channel is None:
        known = ", ".join(sorted(channels)) or "none"
        reason = f"unknown channel {message.channel!r}; the configured channels are: {known}"
        return _record(ledger.refuse, message, DeliveryStatus.FAILED, reason, ledger, now)
    if message.channel in policy.by_hand:
        return _BY_HAND
    if _to_customer(message) and policy.in_quiet_hours(now):
        window = f"{policy.send_from:%H:%M}–{policy.send_until:%H:%M}"
        reason = f"{QUIET_HOURS}: customers get messages {window}; waits for the next run then"
        return _record(ledger.queue, message, DeliveryStatus.QUEUED, reason, ledger, now)
    return channel


def _to_customer(message: Message) -> bool:
    return message.recipient.kind is RecipientKind.CUSTOMER


def _daily_limit(message: Message, policy: DeliveryPolicy) -> int | None:
    """Customers get at most so many messages a day; staff as many as there are."""
    return policy.per_customer_per_day if _to_customer(message) else None


def _handed(
    message: Message, claim: Claim, ledger: Ledger, now: dt.datetime, limit: int | None
) -> Outcome:
    """A message staff send by hand, as the hand-out left it: claimed (it takes the
    customer's slot of the day) and handed to the Outbox, where a tick makes it sent."""
    if claim is Claim.LIMIT:
        return _over_limit(message, ledger, now, limit)
    if claim is Claim.TAKEN:
        return _already_key(ledger, message.key)
    return Outcome(message.key, DeliveryStatus.HANDED, HANDED)


def _send(
    message: Message,
    channel: Channel,
    ledger: Ledger,
    now: dt.datetime,
    retry: RetryPolicy,
    limit: int | None,
) -> Outcome:
    """Claim → send → mark, once per try, so a crash mid-retry never leaves a stale claim
    for a message we know did not go out."""
    outcome = Outcome(message.key, DeliveryStatus.FAILED, "not tried")  # attempts >= 1
    failure: DeliveryError | None = None
    for attempt in range(retry.attempts):
        if failure is not None:
            retry.sleep(
                retry_delay(attempt, failure, base_delay=retry.base_delay, jitter=retry.jitter)
            )
        claim = ledger.claim(message, now=now, daily_limit=limit)
        if claim is Claim.LIMIT:
            return _over_limit(message, ledger, now, limit)
        if claim is Claim.TAKEN:  # another process settled it since we looked
            return _already_key(ledger, message.key)
        try:
            channel.send(message)
        except DeliveryError as error:
            if error.unknown:
                reason = UNKNOWN.format(error=error)
                ledger.mark_failed(message.key, reason, permanent=True, now=now)
                log.warning("%s via %s: %s", message.key, channel.name, reason)
                return Outcome(message.key, DeliveryStatus.FAILED, reason)
            again = ledger.mark_failed(message.key, str(error), permanent=error.permanent, now=now)
            entry = ledger.get(message.key)
            reason = entry.reason if entry is not None else str(error)
            log.warning("%s via %s failed: %s", message.key, channel.name, reason)
            if not again:
                return Outcome(message.key, DeliveryStatus.FAILED, reason)
            outcome = Outcome(message.key, DeliveryStatus.FAILED, f"{reason}; will retry")
            failure = error
            continue
        # Anything else a channel raises is a bug: it propagates and leaves the claim, which
        # the next run reports as interrupted, since we cannot tell whether it went out.
        ledger.mark_sent(message.key, now=now)
        return Outcome(message.key, DeliveryStatus.SENT, f"sent via {channel.name}")
    return outcome


def _over_limit(message: Message, ledger: Ledger, now: dt.datetime, limit: int | None) -> Outcome:
    """Deferred, not dropped: a later run sends it while its grace lasts."""
    reason = (
        f"limit: {message.recipient.name} already has {limit} message(s)"
        f" on {now.date().isoformat()}; waits for a later day"
    )
    return _record(ledger.queue, message, DeliveryStatus.QUEUED, reason, ledger, now)


def _record(
    write: Callable[..., bool],
    message: Message,
    status: DeliveryStatus,
    reason: str,
    ledger: Ledger,
    now: dt.datetime,
) -> Outcome:
    """Write a decision not to send (now); if another run settled the key first, say so."""
    if write(message, reason, now=now):
        return Outcome(message.key, status, reason)
    return _already_key(ledger, message.key)


def _settled(entry: LedgerEntry) -> bool:
    """Settled keys are never touched again (the ledger would refuse them anyway)."""
    return not is_open(entry.status, entry.permanent)


def _already(entry: LedgerEntry) -> Outcome:
    reason = f"already {entry.status} on {entry.updated.date().isoformat()}"
    if entry.reason:
        reason += f": {entry.reason}"
    return Outcome(entry.key, entry.status, reason, new=False)


def _already_key(ledger: Ledger, key: str) -> Outcome:
    entry = ledger.get(key)
    if entry is None:  # cannot happen: the ledger refused the key because it holds it
        raise RuntimeError(f"the ledger refused {key} but does not hold it")
    return _already(entry)
