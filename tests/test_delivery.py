"""deliver(): what goes out now, what waits, what is skipped, and nothing ever twice."""

from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from sheetcrm.channels.base import HttpDeliveryError
from sheetcrm.delivery import DeliveryPolicy, DeliveryReport, Outcome, RetryPolicy, deliver
from sheetcrm.errors import DeliveryError
from sheetcrm.ledger import Ledger
from sheetcrm.outbound import DeliveryStatus, Message, MessageKind
from tests.delivery_fixtures import NOON, TODAY, RecordingChannel, at, message, staff

SENT, FAILED = DeliveryStatus.SENT, DeliveryStatus.FAILED
SKIPPED, QUEUED = DeliveryStatus.SKIPPED, DeliveryStatus.QUEUED
YESTERDAY, TWO_DAYS_AGO = TODAY - dt.timedelta(days=1), TODAY - dt.timedelta(days=2)
QUIET = "quiet hours: customers get messages 08:00–21:00; waits for the next run then"


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    with Ledger.in_state_dir(tmp_path) as opened:
        yield opened


def run(
    ledger: Ledger,
    messages: list[Message],
    channel: RecordingChannel,
    *,
    now: dt.datetime = NOON,
    policy: DeliveryPolicy | None = None,
) -> DeliveryReport:
    return deliver(messages, ledger, {channel.name: channel}, now=now, policy=policy)


def digest(occasion: dt.date = TODAY) -> Message:
    return message(kind=MessageKind.STAFF_DIGEST, recipient=staff(), occasion=occasion)


@pytest.mark.parametrize(
    ("changed", "key"),
    [
        ({}, "birthday|customer|C1|2027-02-01|email"),
        ({"channel": "sms"}, "birthday|customer|C1|2027-02-01|sms"),
        ({"occasion": TODAY + dt.timedelta(days=1)}, "birthday|customer|C1|2027-02-02|email"),
        ({"kind": MessageKind.HOLIDAY}, "holiday|customer|C1|2027-02-01|email"),
        (
            {"subject": "another subject", "body": "other words"},
            "birthday|customer|C1|2027-02-01|email",
        ),
    ],
)
def test_a_messages_key_names_its_kind_recipient_day_and_channel(
    changed: dict[str, object], key: str
) -> None:
    """The key is made once, with the message: a message changed by replace(), or sent back
    from a forked copy, carries the key of what it now is [issue 4]."""
    changed_message = replace(message(), **changed)  # type: ignore[arg-type]
    assert changed_message.key == key
    again = pickle.loads(pickle.dumps(changed_message))
    assert again.key == key
    assert again == changed_message and again.recipient == changed_message.recipient


@pytest.mark.parametrize(
    ("m", "now", "status", "reason"),
    [
        (message(), at(7, 59), QUEUED, QUIET),
        (message(), at(8, 0), SENT, "sent via email"),
        (message(), at(20, 59), SENT, "sent via email"),
        (message(), at(21, 0), QUEUED, QUIET),
        (digest(), at(6, 0), SENT, "sent via email"),  # staff are not woken, but not waited on
        (message(occasion=YESTERDAY), NOON, SENT, "sent via email"),  # greeting: 1 grace day
        (
            message(occasion=TWO_DAYS_AGO),
            NOON,
            SKIPPED,
            f"missed: the job did not run on {TWO_DAYS_AGO}",
        ),
        (digest(YESTERDAY), NOON, SKIPPED, f"missed: the job did not run on {YESTERDAY}"),
        (message(occasion=TODAY + dt.timedelta(days=3)), NOON, QUEUED, "not due until 2027-02-04"),
        (
            message(channel="wecom"),
            NOON,
            FAILED,
            "unknown channel 'wecom'; the configured channels are: email",
        ),
    ],
)
def test_what_happens_to_one_message(
    ledger: Ledger, m: Message, now: dt.datetime, status: DeliveryStatus, reason: str
) -> None:
    channel = RecordingChannel()
    report = run(ledger, [m], channel, now=now)
    assert report.outcomes == (Outcome(m.key, status, reason),)
    assert channel.sent == ([m.key] if status is SENT else [])
    entry = ledger.get(m.key)
    assert entry is not None and (entry.status, entry.reason) == (
        status,
        "" if status is SENT else reason,
    )


def test_quiet_hours_may_span_midnight() -> None:
    night_shift = DeliveryPolicy(send_from=dt.time(22), send_until=dt.time(6))
    assert [night_shift.in_quiet_hours(at(h)) for h in (21, 22, 3, 6)] == [
        True,
        False,
        False,
        True,
    ]


def test_a_queued_message_goes_out_on_the_next_run_in_hours(ledger: Ledger) -> None:
    m, channel = message(), RecordingChannel()
    assert run(ledger, [m], channel, now=at(7)).queued == 1
    report = run(ledger, [m], channel, now=at(9))
    assert (report.sent, report.queued, channel.sent) == (1, 0, [m.key])


def test_one_message_per_customer_per_day_the_first_wins_the_rest_wait(ledger: Ledger) -> None:
    birthday, holiday = message(), message(kind=MessageKind.HOLIDAY)
    other_customer = message("C2", kind=MessageKind.HOLIDAY)
    channel = RecordingChannel()
    report = run(ledger, [birthday, holiday, other_customer, digest(), digest()], channel)
    assert channel.sent == [birthday.key, other_customer.key, digest().key]
    assert report.outcomes[1] == Outcome(
        holiday.key,
        QUEUED,
        "limit: Li Na already has 1 message(s) on 2027-02-01; waits for a later day",
    )
    assert report.outcomes[4] == Outcome(digest().key, SENT, "duplicate", new=False)
    assert (report.sent, report.queued, report.already) == (3, 1, 1)
    # The next day, within the holiday's day of grace, the greeting that waited goes out.
    assert run(ledger, [holiday], channel, now=at(9) + dt.timedelta(days=1)).sent == 1


HANDED = DeliveryStatus.HANDED
LIMIT = "limit: Li Na already has 1 message(s) on 2027-02-01; waits for a later day"


@pytest.mark.parametrize(
    ("plan", "statuses"),
    [
        # (message kind, its channel) in the plan's order -> what became of each
        ([("birthday", "wechat"), ("holiday", "email")], [HANDED, QUEUED]),
        ([("birthday", "email"), ("holiday", "wechat")], [SENT, QUEUED]),
        ([("birthday", "wechat"), ("holiday", "wechat"), ("touch", "email")],
         [HANDED, QUEUED, QUEUED]),
        ([("birthday", "wechat"), ("birthday", "wechat")], [HANDED, HANDED]),  # a repeat
    ],
)  # fmt: skip
def test_by_hand_or_sent_the_first_in_the_plan_takes_the_customers_day(
    ledger: Ledger, plan: list[tuple[str, str]], statuses: list[DeliveryStatus]
) -> None:
    """Messages handed to staff are handed out together, yet a customer's one message of
    the day still goes to the first in the plan, whichever way it goes."""
    messages = [message(kind=MessageKind(kind), channel=ch) for kind, ch in plan]
    email, wechat = RecordingChannel("email"), RecordingChannel("wechat")
    by_hand = DeliveryPolicy(by_hand=frozenset({"wechat"}))
    report = deliver(messages, ledger, {"email": email, "wechat": wechat}, now=NOON, policy=by_hand)
    assert [o.status for o in report.outcomes] == statuses
    assert wechat.sent == []  # staff send these; the job never does
    assert email.sent == [m.key for m, s in zip(messages, statuses, strict=True) if s is SENT]
    assert [o.reason for o in report.outcomes if o.status is QUEUED] == [LIMIT] * statuses.count(
        QUEUED
    )


def test_a_key_twice_in_one_plan_is_one_message(ledger: Ledger) -> None:
    m, channel = message(), RecordingChannel()
    report = run(ledger, [m, m], channel, now=at(22))
    assert report.outcomes == (
        Outcome(m.key, QUEUED, QUIET),
        Outcome(m.key, QUEUED, "duplicate", False),
    )
    assert (report.queued, report.already) == (1, 1)


def test_the_daily_limit_counts_messages_sent_by_an_earlier_run(ledger: Ledger) -> None:
    channel = RecordingChannel()
    run(ledger, [message()], channel, now=at(9))
    later = message(kind=MessageKind.TOUCH)
    report = run(ledger, [message(), later], channel, now=at(15))
    assert channel.sent == [message().key]
    assert report.outcomes[1].status is QUEUED
    no_limit = DeliveryPolicy(per_customer_per_day=None)
    assert run(ledger, [message(kind=MessageKind.HOLIDAY)], channel, policy=no_limit).sent == 1


def test_a_providers_retry_after_is_waited_for(ledger: Ledger) -> None:
    m, naps = message(), list[float]()
    busy = HttpDeliveryError("HTTP 429", permanent=False, status=429, retry_after=7.0)
    channel = RecordingChannel(errors={m.key: [busy]})
    retry = RetryPolicy(attempts=2, base_delay=2.0, sleep=naps.append, jitter=lambda: 1.0)
    report = run(ledger, [m], channel, policy=DeliveryPolicy(retry=retry))
    assert (report.sent, naps) == (1, [7.0])


def test_transient_failure_then_success_backs_off(ledger: Ledger) -> None:
    m, naps = message(), list[float]()
    errors = [DeliveryError("timeout"), DeliveryError("503 try later")]
    channel = RecordingChannel(errors={m.key: errors})
    retry = RetryPolicy(attempts=3, base_delay=2.0, sleep=naps.append, jitter=lambda: 1.0)
    policy = DeliveryPolicy(retry=retry)
    report = run(ledger, [m], channel, policy=policy)
    assert (report.outcomes, channel.tries, naps) == (
        (Outcome(m.key, SENT, "sent via email"),),
        [m.key] * 3,
        [2.0, 4.0],
    )
    entry = ledger.get(m.key)
    assert entry is not None and (entry.status, entry.attempts) == (SENT, 3)


def test_transient_failures_retry_on_later_runs_until_the_ledger_gives_up(tmp_path: Path) -> None:
    m = message()
    channel = RecordingChannel(errors={m.key: [DeliveryError("timeout")] * 10})
    policy = DeliveryPolicy(retry=RetryPolicy(attempts=2, sleep=lambda _: None))
    with Ledger.in_state_dir(tmp_path, max_attempts=5) as ledger:
        reasons = [run(ledger, [m], channel, policy=policy).outcomes[0].reason for _ in range(4)]
    assert reasons == [
        "timeout; will retry",
        "timeout; will retry",
        "timeout (gave up after 5 attempts)",
        "already failed on 2027-02-01: timeout (gave up after 5 attempts)",
    ]
    assert len(channel.tries) == 5


def test_a_permanent_failure_is_not_retried(ledger: Ledger) -> None:
    m = message()
    channel = RecordingChannel(errors={m.key: [DeliveryError("550 no such user", permanent=True)]})
    first = run(ledger, [m], channel)
    second = run(ledger, [m], channel)
    assert first.outcomes == (Outcome(m.key, FAILED, "550 no such user"),)
    assert (first.failed, second.failed, second.already, channel.tries) == (1, 0, 1, [m.key])


def test_delivering_twice_sends_nothing_the_second_time(ledger: Ledger) -> None:
    messages = [message(f"C{i}") for i in range(5)] + [
        digest(),
        message("C9", occasion=TWO_DAYS_AGO),
    ]
    channel = RecordingChannel()
    first = run(ledger, messages, channel)
    second = run(ledger, messages, channel, now=at(18))
    assert (first.sent, first.skipped, first.already) == (6, 1, 0)
    assert (second.sent, second.skipped, second.already) == (0, 0, 7)
    assert len(channel.sent) == 6
    assert second.outcomes[0].reason == "already sent on 2027-02-01"


def test_consent_skips_recorded_upstream_are_respected(ledger: Ledger) -> None:
    m, channel = message(), RecordingChannel()
    assert ledger.skip(m, "no consent to promotions", now=at(9))
    report = run(ledger, [m], channel)
    assert report.outcomes == (
        Outcome(m.key, SKIPPED, "already skipped on 2027-02-01: no consent to promotions", False),
    )
    assert channel.sent == []


def test_a_channel_bug_propagates_and_leaves_the_claim_for_the_next_run(tmp_path: Path) -> None:
    class Broken(RecordingChannel):
        def send(self, message: Message) -> None:
            raise KeyError("bug")

    m = message()
    with Ledger.in_state_dir(tmp_path) as ledger, pytest.raises(KeyError):
        run(ledger, [m], Broken())
    with Ledger.in_state_dir(tmp_path) as ledger:
        report = run(ledger, [m], RecordingChannel())
    assert report.interrupted == (
        Outcome(m.key, FAILED, "interrupted: state unknown, not resent to avoid a duplicate"),
    )
    assert (report.sent, report.already) == (0, 1)


def test_now_must_carry_its_timezone(ledger: Ledger) -> None:
    with pytest.raises(ValueError, match="timezone"):
        run(ledger, [message()], RecordingChannel(), now=NOON.replace(tzinfo=None))
