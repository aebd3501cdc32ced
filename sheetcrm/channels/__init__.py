"""Channels: how a rendered message leaves the machine (or, for `outbox`, does not).

`build_channel(name, settings)` gives a `Channel`; `send_with_retry` sends through it,
retrying transient failures. Everything else here is for channel implementers and tests.
"""

from sheetcrm.channels.base import Channel, HttpResponse, HttpTransport, UrllibTransport
from sheetcrm.channels.masking import MaskingFilter, describe, mask_email, mask_phone
from sheetcrm.channels.registry import (
    CHANNEL_SETTINGS,
    ChannelSettings,
    DingTalkChannelSettings,
    FeishuChannelSettings,
    HttpSmsChannelSettings,
    OutboxChannelSettings,
    SlackChannelSettings,
    SmtpChannelSettings,
    TwilioChannelSettings,
    WeComChannelSettings,
    build_channel,
    build_channels,
    secrets_of,
)
from sheetcrm.channels.retry import Rate, RateLimiter, parse_rates, send_with_retry

__all__ = [
    "CHANNEL_SETTINGS",
    "Channel",
    "ChannelSettings",
    "DingTalkChannelSettings",
    "FeishuChannelSettings",
    "HttpResponse",
    "HttpSmsChannelSettings",
    "HttpTransport",
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
    "secrets_of",
    "send_with_retry",
]
