"""Channel settings: one model per kind, published rate limits, secrets kept out of sight."""

from __future__ import annotations

import datetime as dt
from typing import Any, get_args

import pytest
import yaml
from pydantic import SecretStr, ValidationError

from sheetcrm import channels
from sheetcrm.channels import CHANNEL_SETTINGS, build_channel, build_channels, secrets_of
from sheetcrm.channels import base as channels_base
from sheetcrm.channels.outbox import OutboxChannel
from sheetcrm.channels.registry import ChannelSettings
from sheetcrm.channels.retry import RateLimitedChannel
from sheetcrm.channels.sms import HttpSmsChannel, TwilioChannel
from sheetcrm.channels.smtp import SmtpChannel
from sheetcrm.channels.webhooks import DingTalkChannel, FeishuChannel, SlackChannel, WeComChannel
from sheetcrm.outbound import Message, MessageKind, Recipient, RecipientKind
from sheetcrm.settings import _SECRET_KEY
from tests.loaded_modules import loaded

# The examples the integrator copies into settings.yaml; secrets as the loader leaves them
# once ${ENV} is resolved.
EXAMPLES = """
outbox:
  kind: outbox
wechat:
  kind: manual
email:
  kind: smtp
  host: smtp.exmail.qq.com
  port: 465
  security: ssl
  username: care@shop.example.com
  password: pw-from-env
  from_address: care@shop.example.com
  from_name: 李娜 · 客户关怀
  rate_limit: 30 per minute
sms:
  kind: twilio
  account_sid: AC0123456789abcdef
  auth_token: twilio-token-from-env
  from_number: "+15005550006"
sms_cn:
  kind: http_sms
  url: https://sms.example.cn/api/send
  headers: {Authorization: "Bearer {token}"}
  body: {mobile: "{phone}", content: "{text}"}
  api_token: sms-token-from-env
  rate_limit: 10 per second
wecom:
  kind: wecom
  webhook_token: wecom-key-from-env
dingtalk:
  kind: dingtalk
  access_token: ding-token-from-env
  secret: SEC-ding-secret-from-env
feishu:
  kind: feishu
  webhook_token: feishu-hook-from-env
  secret: feishu-secret-from-env
slack:
  kind: slack
  webhook_token: T000/B000/slack-from-env
"""

KINDS = {
    "outbox": (OutboxChannel, None),
    "wechat": (OutboxChannel, None),  # staff send it by hand: nothing leaves the machine
    "email": (SmtpChannel, "30 per minute"),
    "sms": (TwilioChannel, "1 per second"),
    "sms_cn": (HttpSmsChannel, "10 per second"),
    "wecom": (WeComChannel, "20 per minute"),
    "dingtalk": (DingTalkChannel, "20 per minute"),
    "feishu": (FeishuChannel, "5 per second and 100 per minute"),
    "slack": (SlackChannel, "1 per second"),
}


def examples() -> dict[str, ChannelSettings]:
    raw: dict[str, Any] = yaml.safe_load(EXAMPLES)
    return {name: CHANNEL_SETTINGS.validate_python(data) for name, data in raw.items()}


@pytest.mark.parametrize("name", KINDS)
def test_each_example_builds_its_channel_with_the_published_rate_limit(name: str) -> None:
    settings = examples()[name]
    cls, rate = KINDS[name]
    assert settings.rate_limit == rate
    channel = build_channel(name, settings)
    inner = channel.channel if isinstance(channel, RateLimitedChannel) else channel
    assert isinstance(inner, cls)
    assert channel.name == name


def test_every_kind_has_an_example() -> None:
    models = get_args(get_args(ChannelSettings)[0])
    kinds = {get_args(m.model_fields["kind"].annotation)[0] for m in models}
    assert kinds == {s.kind for s in examples().values()}


def test_secrets_never_show_in_reprs() -> None:
    everything = examples()
    secrets = secrets_of(everything.values())
    assert len(secrets) == 9
    channels = build_channels(everything)
    for text in [repr(everything), *(repr(c) for c in channels.values())]:
        for secret in secrets:
            assert secret not in text


def test_secret_fields_are_ones_the_settings_loader_refuses_as_literals() -> None:
    models = get_args(get_args(ChannelSettings)[0])
    for model in models:
        for field, info in model.model_fields.items():
            if SecretStr in (info.annotation, *get_args(info.annotation)):
                assert _SECRET_KEY.search(field), f"{model.__name__}.{field}"


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"kind": "pigeon"}, "'outbox', 'manual', 'smtp', 'twilio', 'http_sms'"),
        ({"kind": "wecom"}, "webhook_token"),
        ({"kind": "wecom", "webhook_token": "k", "rate_limit": "fast"}, "20 per minute"),
        ({"kind": "wecom", "webhook_token": "k", "color": "red"}, "Extra inputs"),
        (
            {"kind": "twilio", "account_sid": "AC1", "auth_token": "t"},
            "exactly one of from_number and messaging_service_sid",
        ),
        (
            {"kind": "smtp", "host": "smtp.example.com", "from_address": "not an address"},
            "not an e-mail address",
        ),
        (
            {
                "kind": "smtp",
                "host": "smtp.example.com",
                "security": "none",
                "username": "u",
                "password": "p",
                "from_address": "a@example.com",
            },
            "unencrypted",
        ),
        (
            {"kind": "http_sms", "url": "http://x", "method": "GET", "body": {"a": {"b": "c"}}},
            "must be flat",
        ),
    ],
)
def test_bad_settings_name_the_fix(data: dict[str, Any], error: str) -> None:
    with pytest.raises(ValidationError, match=error):
        CHANNEL_SETTINGS.validate_python(data)


def test_settings_are_frozen() -> None:
    settings = examples()["wecom"]
    with pytest.raises(ValidationError):
        settings.rate_limit = None


def test_outbox_accepts_and_nothing_leaves() -> None:
    message = Message(
        MessageKind.TOUCH,
        Recipient(RecipientKind.CUSTOMER, "C001", "张伟", "zh-Hans"),
        "outbox",
        dt.date(2026, 11, 23),
        "",
        "您好",
        "quarterly touch",
    )
    build_channel("outbox", {"kind": "outbox"}).send(message)


def test_the_outbox_channels_load_no_http_tls_or_smtp_code() -> None:
    # A sync with the built-in channels (README, Performance): each kind's code loads when a
    # channel of it is built; the package's HTTP names load when first asked for.
    built = (
        "from sheetcrm.settings import load_settings\n"
        "from sheetcrm.channels import build_channels\n"
        "build_channels(load_settings().channels)"
    )
    heavy = ["http.client", "ssl", "smtplib", "urllib.request", "sheetcrm.channels.base",
             "sheetcrm.channels.smtp", "sheetcrm.channels.sms",
             "sheetcrm.channels.webhooks"]  # fmt: skip
    assert loaded(built, heavy) == []
    assert channels.UrllibTransport is channels_base.UrllibTransport
