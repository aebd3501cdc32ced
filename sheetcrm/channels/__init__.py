"""Channels: how a rendered message leaves the machine (or, for `outbox`, does not).

`build_channel(name, settings)` gives a `Channel` (rate-limited as its provider asks). The job
sends through `sheetcrm.delivery.deliver`, which claims each message in the ledger and
retries with `retry_delay`; `send_with_retry` is the same backoff for a single send outside
the ledger (a script, a test). Everything else here is for channel implementers and tests.

The HTTP names load with sheetcrm.channels.base when first asked for: every run reads the
channels' settings, few send by HTTP, and `check` sends nothing (HTTP, TLS and the e-mail
parser are 11–18 ms of a start). A channel's own module loads when one is built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sheetcrm.channels.masking import MaskingFilter, describe, mask_email, mask_phone
from sheetcrm.channels.registry import (
    CHANNEL_SETTINGS,
    ChannelSettings,
    DingTalkChannelSettings,
    FeishuChannelSettings,
    HttpSmsChannelSettings,
    ManualChannelSettings,
    OutboxChannelSettings,
    SlackChannelSettings,
    SmtpChannelSettings,
    TwilioChannelSettings,
    WeComChannelSettings,
    build_channel,
    build_channels,
    secrets_of,
)
from sheetcrm.channels.retry import Rate, RateLimiter, parse_rates, retry_delay, send_with_retry

if TYPE_CHECKING:
    from sheetcrm.channels.base import Channel, HttpResponse, HttpTransport, UrllibTransport

_FROM_BASE = frozenset({"Channel", "HttpResponse", "HttpTransport", "UrllibTransport"})


def __getattr__(name: str) -> Any:
    if name not in _FROM_BASE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from sheetcrm.channels import base

    return getattr(base, name)


__all__ = [
    "CHANNEL_SETTINGS",
    "Channel",
    "ChannelSettings",
    "DingTalkChannelSettings",
    "FeishuChannelSettings",
    "HttpResponse",
    "HttpSmsChannelSettings",
    "HttpTransport",
    "ManualChannelSettings",
    "MaskingFilter",
    "OutboxChannelSettings",
    "Rate",
    "RateLimiter",
    "SlackChannelSettings",
    "SmtpChannelSettings",
    "TwilioChannelSettings",
    "UrllibTransport",
    "WeComChannelSettings",
    "build_channel",
    "build_channels",
    "describe",
    "mask_email",
    "mask_phone",
    "parse_rates",
    "retry_delay",
    "secrets_of",
    "send_with_retry",
]
