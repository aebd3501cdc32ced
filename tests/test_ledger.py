"""The ledger's promise: a key that may have reached anyone is never claimed again."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sheetcrm.errors import BackendError
from sheetcrm.ledger import INTERRUPTED, Claim, Ledger
from sheetcrm.outbound import DeliveryStatus, Message, MessageKind
from tests.delivery_fixtures import NOON, TODAY, at, message


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    with Ledger.in_state_dir(tmp_path, max_attempts=3) as opened:
        yield opened


def _claim(led: Ledger, m: Message) -> None:
    assert led.claim(m, now=NOON) is Claim.CLAIMED


STEPS: dict[str, Callable[[Ledger, Message], object]] = {
    "claim": _claim,
    "sent": lambda led, m: led.mark_sent(m.key, now=NOON),
    "transient": lambda led, m: led.mark_failed(m.key, "timeout", permanent=False, now=NOON),
    "permanent": lambda led, m: led.mark_failed(m.key, "bad address", permanent=True, now=NOON),
    "queue": lambda led, m: led.queue(m, "quiet hours", now=NOON),
    "skip": lambda led, m: led.skip(m, "no consent", now=NOON),
    "refuse": lambda led, m: led.refuse(m, "unknown channel", now=NOON),
}


@pytest.mark.parametrize(
    ("history", "then"),
    [
        ([], Claim.CLAIMED),
        (["claim"], Claim.TAKEN),  # claimed twice: the second is refused
        (["claim", "sent"], Claim.TAKEN),  # sent is never reclaimed
        (["claim", "transient"], Claim.CLAIMED),  # a transient failure may be retried
        (["claim", "transient", "claim", "transient"], Claim.CLAIMED),  # 2 of 3 attempts
        (["claim", "transient"] * 3, Claim.TAKEN),  # max_attempts=3 used up
        (["claim", "permanent"], Claim.TAKEN),
        (["queue"], Claim.CLAIMED),  # queued for quiet hours: sendable later
        (["queue", "queue"], Claim.CLAIMED),
        (["skip"], Claim.TAKEN),
        (["refuse"], Claim.TAKEN),
        (["claim", "transient", "skip"], Claim.TAKEN),  # missed after a failure: final
    ],
)
def test_claim_after_history(ledger: Ledger, history: list[str], then: Claim) -> None:
    m = message()
    for step in history:
        STEPS[step](ledger, m)
    assert ledger.claim(m, now=NOON) is then


@pytest.mark.parametrize(
    ("history", "status", "reason", "permanent", "attempts"),
    [
        (["queue"], DeliveryStatus.QUEUED, "quiet hours", False, 0),
        (["claim"], DeliveryStatus.CLAIMED, "", False, 1),
        (["claim", "sent"], DeliveryStatus.SENT, "", False, 1),
        (["claim", "transient"], DeliveryStatus.FAILED, "timeout", False, 1),
        (
            ["claim", "transient"] * 3,
            DeliveryStatus.FAILED,
            "timeout (gave up after 3 attempts)",
            True,
            3,
        ),
        (["claim", "permanent"], DeliveryStatus.FAILED, "bad address", True, 1),
        (["refuse"], DeliveryStatus.FAILED, "unknown channel", True, 0),
        (["skip"], DeliveryStatus.SKIPPED, "no consent", False, 0),
        (["claim", "sent", "skip", "queue", "refuse"], DeliveryStatus.SENT, "", False, 1),
    ],
)
def test_entry_records_status_reason_and_attempts(
    ledger: Ledger,
    history: list[str],
    status: DeliveryStatus,
    reason: str,
    permanent: bool,
    attempts: int,
) -> None:
    m = message()
    for step in history:
        STEPS[step](ledger, m)
    [entry] = ledger.entries()
    assert (entry.status, entry.reason, entry.permanent, entry.attempts) == (
        status,
        reason,
        permanent,
        attempts,
    )
    assert (entry.key, entry.kind, entry.recipient_id, entry.recipient_name) == (
        m.key,
        m.kind,
        "C1",
        "Li Na",
    )
    assert (entry.channel, entry.occasion, entry.subject, entry.purpose) == (
        "email",
        TODAY,
        m.subject,
        m.reason,
    )
    assert entry.excerpt == m.body  # the whole text, for the Outbox sheet
    assert entry.created == entry.updated == NOON


def test_settled_keys_are_not_overwritten_by_queue_skip_or_refuse(ledger: Ledger) -> None:
    m = message()
    _claim(ledger, m)
    assert not ledger.queue(m, "quiet hours", now=NOON)
    assert not ledger.skip(m, "no consent", now=NOON)
    assert not ledger.refuse(m, "unknown channel", now=NOON)
    entry = ledger.get(m.key)
    assert entry is not None and entry.status is DeliveryStatus.CLAIMED


def test_marking_needs_this_runs_claim(ledger: Ledger, tmp_path: Path) -> None:
    m = message()
    with pytest.raises(ValueError, match="is not claimed by this run"):
        ledger.mark_sent(m.key, now=NOON)
    with Ledger.in_state_dir(tmp_path) as other:
        assert other.claim(m, now=NOON) is Claim.CLAIMED
        with pytest.raises(ValueError, match="is not claimed by this run"):
            ledger.mark_failed(m.key, "x", permanent=False, now=NOON)


def test_claim_of_a_dead_run_is_reported_interrupted_and_never_reclaimed(tmp_path: Path) -> None:
    m, other = message("C1"), message("C2")
    crashed = Ledger.in_state_dir(tmp_path)
    _claim(crashed, m)
    _claim(crashed, other)
    crashed.mark_sent(other.key, now=NOON)
    with Ledger.in_state_dir(tmp_path) as alive_meanwhile:
        # While the first run is alive its claim is in progress, not interrupted.
        assert alive_meanwhile.recover(now=at(13)) == []
    crashed.close()  # releases the run lock, as the death of its process would
    with Ledger.in_state_dir(tmp_path) as later:
        [entry] = later.recover(now=at(14))
        assert (entry.key, entry.status, entry.reason) == (
            m.key,
            DeliveryStatus.FAILED,
            INTERRUPTED,
        )
        assert entry.interrupted and entry.permanent and entry.updated == at(14)
        assert later.claim(m, now=at(14)) is Claim.TAKEN
        assert later.recover(now=at(15)) == []  # reported once
    assert list((tmp_path / "ledger.sqlite3.runs").iterdir()) == []


def test_lock_files_of_runs_that_died_without_claims_are_swept_after_a_day(
    tmp_path: Path,
) -> None:
    runs = tmp_path / "ledger.sqlite3.runs"
    runs.mkdir()
    dead = runs / "0123abcd.lock"
    dead.touch()
    with Ledger.in_state_dir(tmp_path) as led:
        os.utime(dead, (NOON.timestamp() - 3600,) * 2)
        led.recover(now=NOON)
        assert dead.exists()  # may be a run still starting up
        os.utime(dead, (NOON.timestamp() - 25 * 3600,) * 2)
        led.recover(now=NOON)
        assert [p.name for p in runs.iterdir()] == [f"{led.run_id}.lock"]


@pytest.mark.parametrize(
    ("sent_on", "limit", "expected"),
    [
        ([], 1, Claim.CLAIMED),
        ([TODAY], 1, Claim.LIMIT),
        ([TODAY], 2, Claim.CLAIMED),
        ([TODAY, TODAY], 2, Claim.LIMIT),
        ([TODAY], None, Claim.CLAIMED),
        ([TODAY.replace(day=2)], 1, Claim.CLAIMED),  # another day
    ],
)
def test_daily_limit_counts_what_the_recipient_got_that_day(
    ledger: Ledger, sent_on: list[dt.date], limit: int | None, expected: Claim
) -> None:
    for n, day in enumerate(sent_on):
        m = message(kind=MessageKind.HOLIDAY, occasion=TODAY.replace(day=10 + n))
        when = at(10, day=day)
        assert ledger.claim(m, now=when) is Claim.CLAIMED
        ledger.mark_sent(m.key, now=when)
    assert ledger.claim(message(), now=at(12), daily_limit=limit) is expected


@pytest.mark.parametrize(
    "history",
    [[], ["claim"], ["claim", "sent"], ["claim", "transient"], ["claim", "transient"] * 3,
     ["queue"], ["skip"], ["refuse"], ["claim", "transient", "skip"]],
)  # fmt: skip
@pytest.mark.parametrize("limit", [None, 1])
def test_handing_out_leaves_what_claiming_then_marking_handed_leaves(
    tmp_path: Path, history: list[str], limit: int | None
) -> None:
    """A message for staff to send by hand is handed out in one step: refused exactly when
    a claim would be, and otherwise recorded as a claim and mark_handed record it."""
    other = message(kind=MessageKind.HOLIDAY, occasion=TODAY.replace(day=20))
    results = []
    for two_steps in (True, False):
        with Ledger.in_state_dir(tmp_path / str(two_steps), max_attempts=3) as led:
            _claim(led, other)  # the recipient's first message of the day
            led.mark_sent(other.key, now=NOON)
            m = message()
            for step in history:
                STEPS[step](led, m)
            if two_steps:
                claim = led.claim(m, now=at(13), daily_limit=limit)
                if claim is Claim.CLAIMED:
                    led.mark_handed(m.key, now=at(13))
            else:
                claim = led.hand_out(m, now=at(13), daily_limit=limit)
            results.append((claim, led.entries()))
    assert results[0] == results[1]


def test_a_failed_send_does_not_count_towards_the_daily_limit(ledger: Ledger) -> None:
    first = message(kind=MessageKind.HOLIDAY)
    _claim(ledger, first)
    ledger.mark_failed(first.key, "bad address", permanent=True, now=NOON)
    assert ledger.claim(message(), now=NOON, daily_limit=1) is Claim.CLAIMED


def test_entries_since_a_day(ledger: Ledger) -> None:
    old, new = message("C1"), message("C2")
    ledger.queue(old, "quiet hours", now=at(22, day=TODAY.replace(day=1)))
    ledger.queue(new, "quiet hours", now=at(22, day=TODAY.replace(day=2)))
    assert [e.key for e in ledger.entries()] == [old.key, new.key]
    assert [e.key for e in ledger.entries(TODAY.replace(day=2))] == [new.key]


def test_naive_time_is_refused(ledger: Ledger) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        ledger.claim(message(), now=NOON.replace(tzinfo=None))


def test_ledger_survives_reopening(tmp_path: Path) -> None:
    m = message()
    with Ledger.in_state_dir(tmp_path) as first:
        _claim(first, m)
        first.mark_sent(m.key, now=NOON)
    with Ledger.in_state_dir(tmp_path) as second:
        assert second.claim(m, now=NOON) is Claim.TAKEN


def test_a_damaged_file_names_the_file_and_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(BackendError) as caught:
        Ledger(path)
    assert str(caught.value) == (
        f"the ledger {path} is damaged (file is not a database); move it aside and run"
        " again. A new ledger starts empty, so check the Outbox sheet first: messages the"
        " old one recorded could be sent again"
    )


def test_an_unusable_state_directory_names_the_fix(tmp_path: Path) -> None:
    (tmp_path / "state").write_text("a file where the directory should be")
    with pytest.raises(BackendError) as caught:
        Ledger.in_state_dir(tmp_path / "state")
    assert str(caught.value).startswith(
        f"the ledger {tmp_path / 'state' / 'ledger.sqlite3'} cannot"
    )
    assert str(caught.value).endswith(
        "check that the state directory exists and this user may write to it"
    )


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    sqlite3.connect(path).execute("PRAGMA user_version = 99").connection.close()
    with pytest.raises(BackendError, match=r"written by a newer sheetcrm \(schema 99"):
        Ledger(path)


def test_a_locked_file_says_so(tmp_path: Path) -> None:
    with Ledger.in_state_dir(tmp_path, busy_timeout=0.1) as led:
        blocker = sqlite3.connect(tmp_path / "ledger.sqlite3", isolation_level=None)
        blocker.execute("BEGIN EXCLUSIVE")
        try:
            with pytest.raises(BackendError, match="is locked by another sheetcrm run"):
                led.claim(message(), now=NOON)
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()


def _race(args: tuple[str, int, int]) -> list[str]:
    """One process: wait for the start signal, try to claim every key, return those it won."""
    state_dir, n, start = args
    go = Path(state_dir) / "go"
    with Ledger.in_state_dir(Path(state_dir)) as led:
        while not go.exists():
            time.sleep(0.001)
        won = []
        for i in [*range(start, n), *range(start)]:  # each worker starts elsewhere, then overlaps
            m = message(f"C{i}")
            if led.claim(m, now=NOON) is Claim.CLAIMED:
                won.append(m.key)
                time.sleep(0.002)  # the send: lets the other workers at the lock
                led.mark_sent(m.key, now=NOON)
        return won


def test_racing_processes_claim_each_key_exactly_once(tmp_path: Path) -> None:
    n, workers = 80, 4
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        pending = pool.map_async(_race, [(str(tmp_path), n, w * 7) for w in range(workers)])
        time.sleep(0.5)  # let every worker open the ledger and wait at the start line
        (tmp_path / "go").touch()
        results = pending.get(timeout=120)
    won = [key for keys in results for key in keys]
    assert sorted(won) == sorted(message(f"C{i}").key for i in range(n))
    assert sum(1 for keys in results if keys) > 1  # they did race


def test_a_message_still_waiting_for_the_same_reason_keeps_its_time(ledger: Ledger) -> None:
    """The Outbox sheet shows when a message was queued: a rerun at night that finds it still
    in quiet hours must not change that (or every rerun would rewrite the workbook)."""
    m = message()
    ledger.queue(m, "quiet hours", now=at(22))
    ledger.queue(m, "quiet hours", now=at(23))
    entry = ledger.get(m.key)
    assert entry is not None and entry.updated == at(22)
    ledger.queue(m, "limit: waits for a later day", now=at(23, 30))
    entry = ledger.get(m.key)
    assert entry is not None and entry.updated == at(23, 30)


def test_a_batch_is_one_transaction_others_see_whole_or_not_at_all(tmp_path: Path) -> None:
    """Messages that stay on this machine (the Outbox, what staff send by hand) are recorded
    in one commit: nobody sees half a batch, and a run that dies mid-batch leaves nothing
    behind (nothing it recorded had reached anyone)."""
    path = tmp_path / "ledger.sqlite3"

    def seen() -> int:
        with sqlite3.connect(path) as other:
            return int(other.execute("SELECT COUNT(*) FROM messages").fetchone()[0])

    with Ledger(path, durable=False) as ledger:
        with ledger.batch():
            for cid in ("C1", "C2"):
                assert ledger.claim(message(cid), now=NOON) is Claim.CLAIMED
                ledger.mark_handed(message(cid).key, now=NOON)
                assert seen() == 0  # not committed yet
        assert seen() == 2
        with pytest.raises(RuntimeError), ledger.batch():
            ledger.claim(message("C3"), now=NOON)
            raise RuntimeError("the run dies")
        assert seen() == 2
        assert ledger.get(message("C3").key) is None
        (status,) = {e.status for e in ledger.entries()}
        assert status is DeliveryStatus.HANDED
