"""Retry with backoff for transient failures, and per-channel rate limits.

Both take their clock and their sleep as arguments: the job's tests run a minute of rate
limiting in microseconds, and nothing here reads the time behind the caller's back.
"""

from __future__ import annotations

import logging
import random
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sheetcrm.channels.masking import describe
from sheetcrm.errors import ConfigError, DeliveryError
from sheetcrm.outbound import Message

if TYPE_CHECKING:
    from sheetcrm.channels.base import Channel

log = logging.getLogger(__name__)

Clock = Callable[[], float]
Sleep = Callable[[float], None]


def send_with_retry(
    channel: Channel,
    message: Message,
    *,
    attempts: int = 4,
    base_delay: float = 1.0,
    max_delay: float = 60.0,
    sleep: Sleep = time.sleep,
    jitter: Callable[[], float] = random.random,
) -> int:
    """Send, retrying transient failures; return how many attempts it took.

    Waits base_delay·2ⁿ (capped at max_delay) between attempts, scaled by a random factor in
    [0.5, 1) so that many jobs hitting one provider do not retry in step; a provider's
    Retry-After, when longer, wins. Permanent errors, unknown outcomes (the request went, the
    answer was lost: never sent twice) and the last transient one propagate.
    """
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    for attempt in range(1, attempts + 1):
        try:
            channel.send(message)
        except DeliveryError as exc:
            if exc.permanent or exc.unknown or attempt == attempts:
                raise
            delay = retry_delay(
                attempt, exc, base_delay=base_delay, max_delay=max_delay, jitter=jitter
            )
            log.info(
                "%s to %s failed (attempt %d of %d), retrying in %.1fs: %s",
                message.kind,
                describe(message.recipient),
                attempt,
                attempts,
                delay,
                exc,
            )
            sleep(delay)
        else:
            return attempt
    raise AssertionError("unreachable")  # the loop returns or raises


def retry_delay(
    attempt: int,
    error: DeliveryError,
    *,
    base_delay: float,
    max_delay: float = 60.0,
    jitter: Callable[[], float] = random.random,
) -> float:
    """Seconds to wait after the `attempt`-th (1-based) transient failure: base_delay·2ⁿ⁻¹,
    capped at max_delay, scaled into [0.5, 1) so that jobs hitting one provider do not retry
    in step; a provider's Retry-After, when longer, wins (within the cap)."""
    delay: float = min(max_delay, base_delay * 2 ** (attempt - 1)) * (0.5 + jitter() / 2)
    retry_after = getattr(error, "retry_after", None)
    if isinstance(retry_after, int | float):
        delay = max(delay, min(float(retry_after), max_delay))
    return delay


@dataclass(frozen=True, slots=True)
class Rate:
    """At most `count` sends in any `seconds`-long window."""

    count: int
    seconds: float

    def __str__(self) -> str:
        unit = next((u for u, s in _UNITS.items() if s == self.seconds), None)
        return f"{self.count} per {unit}" if unit else f"{self.count} per {self.seconds:g} seconds"


_UNITS = {"second": 1.0, "minute": 60.0, "hour": 3600.0, "day": 86400.0}
_RATE = re.compile(r"^\s*(\d+)\s*(?:per|/)\s*(\d+(?:\.\d+)?)?\s*(second|minute|hour|day)s?\s*$")


def parse_rates(text: str) -> tuple[Rate, ...]:
    """'20 per minute', '5 per second and 100 per minute', '1/second', '30 per 10 seconds'."""
    rates = []
    for part in re.split(r"\band\b|,", text):
        m = _RATE.match(part.lower())
        if not m or int(m.group(1)) < 1:
            raise ConfigError(
                f"rate limit {text!r}: write it like '20 per minute' or "
                "'5 per second and 100 per minute'"
            )
        multiple = float(m.group(2)) if m.group(2) else 1.0
        rates.append(Rate(int(m.group(1)), multiple * _UNITS[m.group(3)]))
    return tuple(rates)


class RateLimiter:
    """Sliding-window limiter: `acquire` blocks until every rate has a free slot.

    It remembers the send times still inside the longest window. A slot is free for a rate
    when fewer than `count` of those fall in the last `seconds`; otherwise the wait is until
    the oldest of them leaves the window. A lock makes it safe to share between threads.
    """

    def __init__(
        self, rates: tuple[Rate, ...], *, clock: Clock = time.monotonic, sleep: Sleep = time.sleep
    ) -> None:
        self.rates = rates
        self._clock = clock
        self._sleep = sleep
        self._sent: deque[float] = deque(maxlen=max((r.count for r in rates), default=1))
        self._lock = threading.Lock()

    def _wait(self, now: float) -> float:
        wait = 0.0
        recent = list(self._sent)
        for rate in self.rates:
            if len(recent) >= rate.count:
                oldest = recent[-rate.count]  # the count-th most recent send
                wait = max(wait, oldest + rate.seconds - now)
        return wait

    def acquire(self) -> float:
        """Take a slot, sleeping as long as needed; return the seconds slept."""
        slept = 0.0
        with self._lock:
            while (wait := self._wait(self._clock())) > 0:
                self._sleep(wait)
                slept += wait
            self._sent.append(self._clock())
        return slept


class RateLimitedChannel:
    """A channel that waits for its limiter before each send (and each retry of one)."""

    def __init__(self, channel: Channel, limiter: RateLimiter) -> None:
        self.channel = channel
        self.limiter = limiter
        self.name = channel.name

    def send(self, message: Message) -> None:
        slept = self.limiter.acquire()
        if slept:
            log.debug("channel %s: waited %.2fs for its rate limit", self.name, slept)
        self.channel.send(message)
