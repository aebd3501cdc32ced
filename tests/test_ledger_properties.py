"""Invariant: a key is claimed again only after a failure known not to have reached anyone.

Hypothesis drives random interleavings of runs that open, claim, send, fail, queue, skip,
crash (close with claims open) and recover, against one ledger file, and checks every claim
result against a two-line model.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sheetcrm.ledger import Claim, Ledger
from sheetcrm.outbound import DeliveryStatus
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
