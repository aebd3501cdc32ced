"""Channels: how a rendered message leaves the machine (or, for `outbox`, does not).

`build_channel(name, settings)` gives a `Channel` (rate-limited as its provider asks). The job
sends through `sheetcrm.delivery.deliver`, which claims each message in the ledger and
retries with `retry_delay`; `send_with_retry` is the same backoff for a single send outside
the ledger (a script, a test). Everything else here is for channel implementers and tests.
"""

from sheetcrm.channels.base import Channel, HttpResponse, HttpTransport, UrllibTransport
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
