"""Invariant: a key is claimed again only after a failure known not to have reached anyone.

Hypothesis drives random interleavings of runs that open, claim, send, fail, queue, skip,
crash (close with claims open) and recover, against one ledger file, and checks every claim
result against a two-line model.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sheetcrm.ledger import Claim, Ledger
from sheetcrm.outbound import DeliveryStatus, Message, MessageKind
from tests.delivery_fixtures import NOON, message

KEYS = [message(f"C{i}") for i in range(3)]
MAX_ATTEMPTS = 3
OPS = ["claim", "sent", "transient", "permanent", "queue", "skip", "crash", "recover"]

operations = st.lists(
    st.tuples(st.sampled_from(OPS), st.integers(0, len(KEYS) - 1), st.integers(0, 2)),
    max_size=40,
)


@settings(max_examples=100, deadline=None)
@given(operations)
def test_no_key_is_claimed_while_it_may_have_reached_someone(
    ops: list[tuple[str, int, int]],
) -> None:
    with tempfile.TemporaryDirectory() as state:
        runs = [Ledger.in_state_dir(Path(state), max_attempts=MAX_ATTEMPTS) for _ in range(3)]
        claimable = [True] * len(KEYS)  # the model: may this key be claimed now?
        holder: dict[int, int] = {}  # key index -> run index holding its claim
        sends = [0] * len(KEYS)
        try:
            for op, k, r in ops:
                m, run = KEYS[k], runs[r]
                if op == "claim":
                    got = run.claim(m, now=NOON)
                    assert got is (Claim.CLAIMED if claimable[k] else Claim.TAKEN)
                    if got is Claim.CLAIMED:
                        claimable[k], holder[k] = False, r
                        sends[k] += 1
                elif op in ("sent", "transient", "permanent") and k in holder:
                    owner = runs[holder.pop(k)]
                    if op == "sent":
                        owner.mark_sent(m.key, now=NOON)
                    else:
                        again = owner.mark_failed(m.key, op, permanent=op == "permanent", now=NOON)
                        claimable[k] = again
                        assert again == (op == "transient" and sends[k] < MAX_ATTEMPTS)
                elif op == "queue":
                    assert run.queue(m, "quiet hours", now=NOON) is claimable[k]
                elif op == "skip":
                    assert run.skip(m, "no consent", now=NOON) is claimable[k]
                    claimable[k] = False
                elif op == "crash":  # the run dies; its claims stay, never to be resent
                    run.close()
                    holder = {key: h for key, h in holder.items() if h != r}
                    runs[r] = Ledger.in_state_dir(Path(state), max_attempts=MAX_ATTEMPTS)
                elif op == "recover":
                    for entry in run.recover(now=NOON):
                        assert entry.interrupted and entry.status is DeliveryStatus.FAILED
                        assert entry.key not in {KEYS[h].key for h in holder}
            assert all(n <= MAX_ATTEMPTS for n in sends)
        finally:
            for run in runs:
                run.close()


# -- handing out many at once ------------------------------------------------------------

# Messages of three customers, two kinds each: two messages compete for a customer's day.
HANDED_KEYS = [
    message(f"C{c}", kind=kind, channel="wechat")
    for c in range(3)
    for kind in (MessageKind.BIRTHDAY, MessageKind.HOLIDAY)
]
YESTERDAY = NOON - dt.timedelta(days=1)
# What a key's row holds before the hand-out, made through the ledger's own calls.
BEFORE = ["none", "sent today", "sent yesterday", "handed today", "queued", "skipped",
          "failed, worth retrying", "failed for good", "claimed, being sent"]  # fmt: skip


def _prepare(ledger: Ledger, m: Message, state: str) -> None:
    if state in ("sent today", "sent yesterday"):
        when = NOON if state == "sent today" else YESTERDAY
        ledger.claim(m, now=when)
        ledger.mark_sent(m.key, now=when)
    elif state == "handed today":
        ledger.hand_out(m, now=NOON)
    elif state == "queued":
        ledger.queue(m, "quiet hours", now=NOON)
    elif state == "skipped":
        ledger.skip(m, "no consent", now=NOON)
    elif state.startswith("failed"):
        ledger.claim(m, now=NOON)
        ledger.mark_failed(m.key, "busy", permanent=state == "failed for good", now=NOON)
    elif state == "claimed, being sent":
        ledger.claim(m, now=NOON)


def _rows(ledger: Ledger) -> list[tuple[object, ...]]:
    """The whole table, a claim's holder as held or not (each ledger has its own run id)."""
    columns = "key, status, reason, permanent, attempts, day, created, updated, excerpt,"
    columns += " owner IS NULL"
    return [tuple(r) for r in ledger._db.execute(f"SELECT {columns} FROM messages ORDER BY key")]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(BEFORE), min_size=len(HANDED_KEYS), max_size=len(HANDED_KEYS)),
    st.lists(st.integers(0, len(HANDED_KEYS) - 1), max_size=12),
    st.sampled_from([None, 1, 2]),
)
def test_handing_out_many_at_once_decides_as_one_at_a_time(
    before: list[str], order: list[int], limit: int | None
) -> None:
    """The festival's hand-out in one transaction gives every message the claim, and the
    ledger the rows, that handing them out one by one gives: settled keys taken, a
    customer's day full at the limit, repeats of a key taken by the first."""
    with (
        tempfile.TemporaryDirectory() as one,
        tempfile.TemporaryDirectory() as many,
        Ledger.in_state_dir(Path(one)) as a,
        Ledger.in_state_dir(Path(many)) as b,
    ):
        for ledger in (a, b):
            for m, state in zip(HANDED_KEYS, before, strict=True):
                _prepare(ledger, m, state)
        plan = [HANDED_KEYS[i] for i in order]
        singly = [a.hand_out(m, now=NOON, daily_limit=limit) for m in plan]
        together = b.hand_out_all([(m, limit) for m in plan], now=NOON)
        assert together == singly
        assert _rows(b) == _rows(a)
