"""Channel settings, one frozen model per kind, and the factory that turns them into channels.

settings.yaml names channels and gives each a `kind`:

    channels:
      email: {kind: smtp, host: smtp.example.com, from_address: care@example.com,
              username: care@example.com, password: ${SMTP_PASSWORD}}
      team:  {kind: wecom, webhook_token: ${WECOM_KEY}}

Every field that holds a credential ends in password/secret/token, so the settings loader
refuses a literal there and insists on ${ENV}; here they are `SecretStr`, so a repr or a
validation error never shows them. Each kind carries the provider's published rate limit
as its default `rate_limit`; `null` turns limiting off.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from email.errors import HeaderParseError
from email.headerregistry import Address
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PositiveFloat,
    SecretStr,
    TypeAdapter,
    field_validator,
    model_validator,
)

from sheetcrm.channels.endpoints import (
    DINGTALK_URL,
    FEISHU_URL,
    SLACK_URL,
    TWILIO_BASE_URL,
    WECOM_URL,
)
from sheetcrm.channels.retry import Clock, RateLimitedChannel, RateLimiter, Sleep, parse_rates
from sheetcrm.errors import ConfigError

if TYPE_CHECKING:
    from sheetcrm.channels.base import Channel, HttpTransport


class _ChannelSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # "20 per minute", "5 per second and 100 per minute"; null: no limit.
    rate_limit: str | None = None
    timeout: PositiveFloat = 10.0

    @field_validator("rate_limit")
    @classmethod
    def _rates_parse(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                parse_rates(value)
            except ConfigError as exc:
                raise ValueError(str(exc)) from exc
        return value


class OutboxChannelSettings(_ChannelSettings):
    kind: Literal["outbox"]


class ManualChannelSettings(_ChannelSettings):
    """Staff send it by hand from their own WeChat or WhatsApp, then tick it in the Outbox."""

    kind: Literal["manual"]
    # The app staff send from: WhatsApp messages get a click-to-send wa.me link in the
    # Outbox. null: WeChat where phone_region is CN, WhatsApp elsewhere.
    app: Literal["whatsapp", "wechat"] | None = None


class SmtpChannelSettings(_ChannelSettings):
    kind: Literal["smtp"]
    host: str
    port: int | None = Field(default=None, ge=1, le=65535)  # 587, 465 or 25 by `security`
    security: Literal["starttls", "ssl", "none"] = "starttls"
    username: str | None = None
    password: SecretStr | None = None
    from_address: str
    from_name: str = ""
    timeout: PositiveFloat = 30.0

    @field_validator("from_address")
    @classmethod
    def _an_address(cls, value: str) -> str:
        try:
            Address(addr_spec=value)
        except (HeaderParseError, ValueError, IndexError) as exc:
            raise ValueError(f"{value!r} is not an e-mail address") from exc
        return value

    @model_validator(mode="after")
    def _plain_login_only_on_loopback(self) -> SmtpChannelSettings:
        # A password over an unencrypted connection is readable by anyone on the path.
        if self.security == "none" and self.username and self.host not in _LOOPBACK:
            raise ValueError(
                f"security: none would send the password for {self.host} unencrypted; "
                "use starttls or ssl"
            )
        return self


_LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})


class TwilioChannelSettings(_ChannelSettings):
    kind: Literal["twilio"]
    account_sid: str
    auth_token: SecretStr
    from_number: str | None = None
    messaging_service_sid: str | None = None
    base_url: str = TWILIO_BASE_URL
    rate_limit: str | None = "1 per second"  # a US long code; toll-free and short codes allow more

    @model_validator(mode="after")
    def _one_sender(self) -> TwilioChannelSettings:
        if bool(self.from_number) == bool(self.messaging_service_sid):
            raise ValueError("give exactly one of from_number and messaging_service_sid")
        return self


class HttpSmsChannelSettings(_ChannelSettings):
    kind: Literal["http_sms"]
    url: str
    method: Literal["POST", "PUT", "GET"] = "POST"
    headers: dict[str, str] = Field(default_factory=dict)
    body_format: Literal["json", "form"] = "json"
    # Strings may use {phone} {text} {subject} {name} {id} {key} {token}.
    body: dict[str, Any] = Field(default_factory=lambda: {"to": "{phone}", "text": "{text}"})
    api_token: SecretStr | None = None  # what {token} becomes, in url, headers and body
    # A header the gateway uses to drop a request it has seen (Idempotency-Key, say): the
    # message's key goes in it, and a send whose answer was lost may then be tried again.
    idempotency_header: str | None = None

    @model_validator(mode="after")
    def _get_is_flat(self) -> HttpSmsChannelSettings:
        if self.method == "GET" and any(isinstance(v, dict | list) for v in self.body.values()):
            raise ValueError("with method GET the body fields go in the URL and must be flat")
        return self


class WeComChannelSettings(_ChannelSettings):
    kind: Literal["wecom"]
    webhook_token: SecretStr  # the key= of the robot's URL, or the whole URL
    base_url: str = WECOM_URL
    mention: bool = True
    rate_limit: str | None = "20 per minute"


class DingTalkChannelSettings(_ChannelSettings):
    kind: Literal["dingtalk"]
    access_token: SecretStr  # the access_token= of the robot's URL, or the whole URL
    secret: SecretStr | None = None  # "加签" security setting, SEC...
    base_url: str = DINGTALK_URL
    mention: bool = True
    rate_limit: str | None = "20 per minute"


class FeishuChannelSettings(_ChannelSettings):
    kind: Literal["feishu"]
    webhook_token: SecretStr  # the last part of the hook URL, or the whole URL
    secret: SecretStr | None = None  # "签名校验" security setting
    base_url: str = FEISHU_URL  # Lark: https://open.larksuite.com/open-apis/bot/v2/hook
    mention: bool = True
    rate_limit: str | None = "5 per second and 100 per minute"


class SlackChannelSettings(_ChannelSettings):
    kind: Literal["slack"]
    webhook_token: SecretStr  # T…/B…/… of https://hooks.slack.com/services/T…/B…/…, or the URL
    base_url: str = SLACK_URL
    mention: bool = True
    rate_limit: str | None = "1 per second"


ChannelSettings = Annotated[
    OutboxChannelSettings
    | ManualChannelSettings
    | SmtpChannelSettings
    | TwilioChannelSettings
    | HttpSmsChannelSettings
    | WeComChannelSettings
    | DingTalkChannelSettings
    | FeishuChannelSettings
    | SlackChannelSettings,
    Field(discriminator="kind"),
]
CHANNEL_SETTINGS: TypeAdapter[ChannelSettings] = TypeAdapter(ChannelSettings)


def _reveal(secret: SecretStr | None) -> str | None:
    return secret.get_secret_value() if secret is not None else None


def _bare_channel(
    name: str, settings: ChannelSettings, transport: Callable[[], HttpTransport], clock: Clock
) -> Channel:
    # Each kind's code is loaded when a channel of that kind is built: settings are read on
    # every run, and most runs send by the Outbox only (HTTP, TLS and SMTP: 11–18 ms).
    s = settings
    if isinstance(s, OutboxChannelSettings | ManualChannelSettings):
        from sheetcrm.channels.outbox import OutboxChannel

        return OutboxChannel(name)  # nothing leaves the machine: the ledger keeps the text
    if isinstance(s, SmtpChannelSettings):
        from sheetcrm.channels.smtp import SmtpChannel

        return SmtpChannel(
            name,
            host=s.host,
            port=s.port,
            security=s.security,
            username=s.username,
            password=_reveal(s.password),
            from_address=s.from_address,
            from_name=s.from_name,
            timeout=s.timeout,
        )
    from sheetcrm.channels.sms import HttpSmsChannel, TwilioChannel
    from sheetcrm.channels.webhooks import (
        DingTalkChannel,
        FeishuChannel,
        SlackChannel,
        WeComChannel,
    )

    common: dict[str, Any] = {"transport": transport(), "timeout": s.timeout}
    if isinstance(s, TwilioChannelSettings):
        return TwilioChannel(
            name,
            account_sid=s.account_sid,
            auth_token=s.auth_token.get_secret_value(),
            from_number=s.from_number,
            messaging_service_sid=s.messaging_service_sid,
            base_url=s.base_url,
            **common,
        )
    if isinstance(s, HttpSmsChannelSettings):
        return HttpSmsChannel(
            name,
            url=s.url,
            method=s.method,
            headers=s.headers,
            body_format=s.body_format,
            body=s.body,
            api_token=_reveal(s.api_token),
            idempotency_header=s.idempotency_header,
            **common,
        )
    robot = common | {"base_url": s.base_url, "mention": s.mention, "clock": clock}
    if isinstance(s, WeComChannelSettings):
        return WeComChannel(name, webhook_token=s.webhook_token.get_secret_value(), **robot)
    if isinstance(s, DingTalkChannelSettings):
        token = s.access_token.get_secret_value()
        return DingTalkChannel(name, access_token=token, secret=_reveal(s.secret), **robot)
    if isinstance(s, FeishuChannelSettings):
        token = s.webhook_token.get_secret_value()
        return FeishuChannel(name, webhook_token=token, secret=_reveal(s.secret), **robot)
    return SlackChannel(name, webhook_token=s.webhook_token.get_secret_value(), **robot)


def build_channel(
    name: str,
    settings: ChannelSettings | Mapping[str, Any],
    transport: HttpTransport | None = None,
    *,
    clock: Clock = time.time,
    monotonic: Clock = time.monotonic,
    sleep: Sleep = time.sleep,
) -> Channel:
    """The channel `settings` describe, behind its rate limiter when it has one.

    `clock` is wall time, for signature timestamps; `monotonic` and `sleep` drive the rate
    limiter. Tests pass fakes for all three and a transport of their own.
    """
    if isinstance(settings, Mapping):
        settings = CHANNEL_SETTINGS.validate_python(settings)
    channel = _bare_channel(name, settings, _shared(transport), clock)
    return _limited(channel, settings, monotonic, sleep)


def _limited(
    channel: Channel, settings: ChannelSettings, monotonic: Clock, sleep: Sleep
) -> Channel:
    """The channel behind the rate limiter its settings ask for, if any."""
    if settings.rate_limit is None:
        return channel
    limiter = RateLimiter(parse_rates(settings.rate_limit), clock=monotonic, sleep=sleep)
    return RateLimitedChannel(channel, limiter)


def build_channels(
    settings: Mapping[str, ChannelSettings],
    transport: HttpTransport | None = None,
    *,
    clock: Clock = time.time,
    monotonic: Clock = time.monotonic,
    sleep: Sleep = time.sleep,
) -> dict[str, Channel]:
    """Every configured channel by name, sharing one transport."""
    shared = _shared(transport)
    return {
        name: _limited(_bare_channel(name, s, shared, clock), s, monotonic, sleep)
        for name, s in settings.items()
    }


def _shared(transport: HttpTransport | None) -> Callable[[], HttpTransport]:
    """The transport the channels that speak HTTP use: `transport`, else one made by the
    first of them that asks."""

    @cache
    def get() -> HttpTransport:
        if transport is not None:
            return transport
        from sheetcrm.channels.base import UrllibTransport

        return UrllibTransport()

    return get


def secrets_of(settings: Iterable[ChannelSettings]) -> tuple[str, ...]:
    """Every credential in these settings, for a log filter that must never print them."""
    found: list[str] = []
    for s in settings:
        for value in s.__dict__.values():
            if isinstance(value, SecretStr) and value.get_secret_value():
                found.append(value.get_secret_value())
    return tuple(found)
