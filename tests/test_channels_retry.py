"""Retry with backoff and sliding-window rate limits, on a fake clock: no test really sleeps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from sheetcrm.channels import Channel, build_channel, parse_rates, send_with_retry
from sheetcrm.channels.base import HttpDeliveryError
from sheetcrm.channels.retry import Rate, RateLimitedChannel, RateLimiter
from sheetcrm.errors import ConfigError, DeliveryError
from sheetcrm.outbound import Message, MessageKind, Recipient, RecipientKind
from tests.channel_server import Reply, Script, http_server

MESSAGE = Message(
    kind=MessageKind.BIRTHDAY,
    recipient=Recipient(RecipientKind.CUSTOMER, "C001", "张伟", "zh-Hans", phone="+8613800138000"),
    channel="sms",
    occasion=dt.date(2026, 11, 23),
    subject="",
    body="生日快乐！",
    reason="birthday",
)


class FakeClock:
    """A monotonic clock that only moves when someone sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class Flaky:
    """A channel that fails with the given errors, then accepts."""

    name = "flaky"

    def __init__(self, *errors: DeliveryError) -> None:
        self.errors = list(errors)
        self.calls = 0

    def send(self, message: Message) -> None:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)


@pytest.fixture
def server() -> Iterator[Script]:
    with http_server() as script:
        yield script


def twilio(server: Script) -> Channel:
    settings = {
        "kind": "twilio",
        "account_sid": "AC1",
        "auth_token": "tt-8a6f1d",
        "from_number": "+15005550006",
        "base_url": server.url,
        "rate_limit": None,
    }
    return build_channel("sms", settings)


def test_500_then_200_is_retried_once_and_succeeds(server: Script) -> None:
    server.reply(Reply(500, b"busy"), Reply(201, b'{"sid":"SM1"}'))
    clock = FakeClock()
    channel = twilio(server)
    attempts = send_with_retry(channel, MESSAGE, sleep=clock.sleep, jitter=lambda: 1.0)
    assert attempts == 2
    assert len(server.seen) == 2
    assert clock.sleeps == [1.0]


def test_400_is_permanent_and_not_retried(server: Script) -> None:
    server.reply(Reply(400, b'{"code":21211,"message":"Invalid To"}'))
    clock = FakeClock()
    with pytest.raises(DeliveryError, match="HTTP 400") as info:
        send_with_retry(twilio(server), MESSAGE, sleep=clock.sleep)
    assert info.value.permanent
    assert len(server.seen) == 1
    assert clock.sleeps == []


@pytest.mark.parametrize(
    ("errors", "attempts", "calls", "sleeps", "raises"),
    [
        ([], 4, 1, [], False),
        ([DeliveryError("busy")], 4, 2, [0.5], False),
        ([DeliveryError("busy")] * 3, 4, 4, [0.5, 1.0, 2.0], False),
        ([DeliveryError("busy")] * 4, 4, 4, [0.5, 1.0, 2.0], True),
        ([DeliveryError("busy")] * 2, 1, 1, [], True),
        ([DeliveryError("bad number", permanent=True)], 4, 1, [], True),
        ([DeliveryError("busy"), DeliveryError("bad", permanent=True)], 4, 2, [0.5], True),
        # A provider's Retry-After outlasts the backoff, but never the cap of 60 s.
        ([HttpDeliveryError("429", permanent=False, retry_after=7.0)], 4, 2, [7.0], False),
        ([HttpDeliveryError("429", permanent=False, retry_after=999)], 4, 2, [60.0], False),
    ],
)
def test_backoff_doubles_only_for_transient_errors(
    errors: list[DeliveryError],
    attempts: int,
    calls: int,
    sleeps: list[float],
    raises: bool,
) -> None:
    channel = Flaky(*errors)
    clock = FakeClock()
    if raises:
        with pytest.raises(DeliveryError):
            send_with_retry(
                channel, MESSAGE, attempts=attempts, sleep=clock.sleep, jitter=lambda: 0.0
            )
    else:
        send_with_retry(channel, MESSAGE, attempts=attempts, sleep=clock.sleep, jitter=lambda: 0.0)
    assert channel.calls == calls
    assert clock.sleeps == sleeps


def test_jitter_stays_between_half_and_all_of_the_delay() -> None:
    for value in (0.0, 0.5, 0.999):
        clock = FakeClock()

        def jitter(v: float = value) -> float:
            return v

        send_with_retry(Flaky(DeliveryError("busy")), MESSAGE, sleep=clock.sleep, jitter=jitter)
        assert 0.5 <= clock.sleeps[0] < 1.0


@pytest.mark.parametrize(
    ("text", "rates"),
    [
        ("20 per minute", (Rate(20, 60.0),)),
        ("1/second", (Rate(1, 1.0),)),
        ("5 per second and 100 per minute", (Rate(5, 1.0), Rate(100, 60.0))),
        ("30 per 10 seconds", (Rate(30, 10.0),)),
        ("1000 per day, 100 per hour", (Rate(1000, 86400.0), Rate(100, 3600.0))),
    ],
)
def test_rate_limits_parse(text: str, rates: tuple[Rate, ...]) -> None:
    assert parse_rates(text) == rates


@pytest.mark.parametrize("text", ["", "fast", "0 per minute", "20 per fortnight", "20 minute"])
def test_bad_rate_limits_name_the_fix(text: str) -> None:
    with pytest.raises(ConfigError, match="write it like '20 per minute'"):
        parse_rates(text)


@pytest.mark.parametrize(
    ("text", "immediate", "next_at"),
    [
        ("20 per minute", 20, 60.0),  # WeCom and DingTalk robots
        ("1 per second", 1, 1.0),  # Twilio long code, Slack
        ("5 per second and 100 per minute", 5, 1.0),  # Feishu
    ],
)
def test_limiter_allows_exactly_n_per_window(text: str, immediate: int, next_at: float) -> None:
    clock = FakeClock()
    limiter = RateLimiter(parse_rates(text), clock=clock, sleep=clock.sleep)
    times = []
    for _ in range(immediate + 1):
        limiter.acquire()
        times.append(clock.now)
    assert times[:immediate] == [0.0] * immediate
    assert times[immediate] == next_at


@pytest.mark.parametrize(
    "text", ["20 per minute", "5 per second and 100 per minute", "3 per 2 seconds"]
)
def test_no_window_ever_holds_more_than_its_limit(text: str) -> None:
    rates = parse_rates(text)
    clock = FakeClock()
    limiter = RateLimiter(rates, clock=clock, sleep=clock.sleep)
    times = []
    for i in range(250):
        clock.now += (i % 7) * 0.125  # uneven gaps (binary fractions: exact float sums)
        limiter.acquire()
        times.append(clock.now)
    for rate in rates:
        for t in times:
            assert sum(t - rate.seconds < u <= t for u in times) <= rate.count
    # ...and it is not stricter than needed: the 100-per-minute limit is reached.
    if text.startswith("5 per second"):
        assert sum(u < 60 for u in times) == 100


def test_rate_limited_channel_waits_before_each_send() -> None:
    clock = FakeClock()
    inner = Flaky()
    channel = RateLimitedChannel(
        inner, RateLimiter(parse_rates("2 per minute"), clock=clock, sleep=clock.sleep)
    )
    for _ in range(5):
        channel.send(MESSAGE)
    assert inner.calls == 5
    assert clock.now == 120.0
    assert channel.name == "flaky"


def test_build_channel_applies_the_default_limit_with_the_given_clock() -> None:
    clock = FakeClock()
    channel = build_channel(
        "team", {"kind": "wecom", "webhook_token": "k"}, monotonic=clock, sleep=clock.sleep
    )
    assert isinstance(channel, RateLimitedChannel)
    assert channel.limiter.rates == (Rate(20, 60.0),)
