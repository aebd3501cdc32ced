"""SMS: Twilio's Messages API, and a generic HTTP request for the many local SMS gateways.

An SMS has no subject line, so only the message body is sent. Both channels go to
`recipient.phone` (E.164) and through `send_http`, so status codes mean the same everywhere.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import urllib.parse
from collections.abc import Mapping
from typing import Any, Literal

from sheetcrm.channels.base import (
    HttpDeliveryError,
    HttpTransport,
    UrllibTransport,
    answer_json,
    send_http,
)
from sheetcrm.channels.endpoints import TWILIO_BASE_URL
from sheetcrm.channels.masking import describe
from sheetcrm.errors import DeliveryError
from sheetcrm.outbound import Message

log = logging.getLogger(__name__)


def phone_of(message: Message) -> str:
    phone = message.recipient.phone
    if not phone:
        raise DeliveryError(f"no phone number for {message.recipient.id}", permanent=True)
    return phone


class TwilioChannel:
    """POST /2010-04-01/Accounts/{sid}/Messages.json, form-encoded, HTTP basic auth.

    201 means Twilio queued the message; its own later delivery reports are not followed.
    Sending from a Messaging Service instead of a number lets Twilio pick the sender.
    """

    def __init__(
        self,
        name: str,
        *,
        account_sid: str,
        auth_token: str,
        from_number: str | None = None,
        messaging_service_sid: str | None = None,
        base_url: str = TWILIO_BASE_URL,
        transport: HttpTransport | None = None,
        timeout: float = 10.0,
    ) -> None:
        if bool(from_number) == bool(messaging_service_sid):
            raise ValueError("give exactly one of from_number and messaging_service_sid")
        self.name = name
        self.account_sid = account_sid
        self._auth_token = auth_token
        self.from_number = from_number
        self.messaging_service_sid = messaging_service_sid
        self.url = (
            f"{base_url.rstrip('/')}/2010-04-01/Accounts/"
            f"{urllib.parse.quote(account_sid, safe='')}/Messages.json"
        )
        self.transport = transport or UrllibTransport()
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"TwilioChannel({self.name!r}, account={self.account_sid!r})"

    def send(self, message: Message) -> None:
        what = f"twilio channel {self.name!r}"
        fields = {"To": phone_of(message), "Body": message.body}
        if self.messaging_service_sid:
            fields["MessagingServiceSid"] = self.messaging_service_sid
        else:
            fields["From"] = self.from_number or ""
        credentials = base64.b64encode(f"{self.account_sid}:{self._auth_token}".encode()).decode()
        response = send_http(
            self.transport,
            "POST",
            self.url,
            what=what,
            headers={
                "Authorization": f"Basic {credentials}",
                "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                "Accept": "application/json",
            },
            body=urllib.parse.urlencode(fields).encode(),
            timeout=self.timeout,
            secrets=(self._auth_token, credentials),
        )
        answer = answer_json(response, what)
        sid = answer.get("sid", "?") if isinstance(answer, dict) else "?"
        log.info("%s: queued %s to %s as %s", what, message.kind, describe(message.recipient), sid)


BodyFormat = Literal["json", "form"]
PLACEHOLDERS = ("phone", "text", "subject", "name", "id", "key", "token")


def fill(template: Any, values: Mapping[str, str]) -> Any:
    """Replace {phone}, {text}... inside every string of a JSON-like template.

    Substituting in the parsed structure, not in JSON text, means a quote or a newline in
    the message can never break the request. Other braces are left alone.
    """
    if isinstance(template, str):
        for name, value in values.items():
            template = template.replace("{" + name + "}", value)
        return template
    if isinstance(template, Mapping):
        return {fill(k, values): fill(v, values) for k, v in template.items()}
    if isinstance(template, list):
        return [fill(v, values) for v in template]
    return template


class HttpSmsChannel:
    """Any SMS gateway reachable by one HTTP request: URL, method, headers and a body template.

    The template's strings may use {phone} {text} {subject} {name} {id} {key} {token}; {token}
    is the `api_token` setting, so a header like "Authorization: Bearer {token}" keeps the
    secret out of settings.yaml. With GET, the (form) fields go in the query string.
    Success is any 2xx; a gateway that reports errors inside a 200 needs its own channel.
    """

    def __init__(
        self,
        name: str,
        *,
        url: str,
        body: Mapping[str, Any],
        method: str = "POST",
        body_format: BodyFormat = "json",
        headers: Mapping[str, str] | None = None,
        api_token: str | None = None,
        transport: HttpTransport | None = None,
        timeout: float = 10.0,
        idempotency_header: str | None = None,
    ) -> None:
        self.name = name
        self.url = url
        self.idempotency_header = idempotency_header
        self.method = method.upper()
        self.body_template = dict(body)
        self.body_format = body_format
        self.headers = dict(headers or {})
        self._api_token = api_token or ""
        self.transport = transport or UrllibTransport()
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"HttpSmsChannel({self.name!r}, {self.method} {self.url.split('?')[0]!r})"

    def send(self, message: Message) -> None:
        what = f"http_sms channel {self.name!r}"
        recipient = message.recipient
        values = {
            "phone": phone_of(message),
            "text": message.body,
            "subject": message.subject,
            "name": recipient.name,
            "id": recipient.id,
            "key": message.key,
            "token": self._api_token,
        }
        url_values = {k: urllib.parse.quote(v, safe="") for k, v in values.items()}
        url = fill(self.url, url_values)
        headers = fill(self.headers, {"token": self._api_token})
        fields = fill(self.body_template, values)
        data: bytes | None = None
        content_type: str | None = None
        if self.method == "GET":
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(fields)
        elif self.body_format == "json":
            data = json.dumps(fields, ensure_ascii=False).encode()
            content_type = "application/json; charset=utf-8"
        else:
            data = urllib.parse.urlencode({k: str(v) for k, v in fields.items()}).encode()
            content_type = "application/x-www-form-urlencoded; charset=utf-8"
        if content_type and not any(k.lower() == "content-type" for k in headers):
            headers["Content-Type"] = content_type
        if self.idempotency_header:
            # The message's key, hashed (it holds the recipient's name): the same for every
            # try of this message, so the gateway sends it once however often it arrives.
            headers[self.idempotency_header] = hashlib.sha256(message.key.encode()).hexdigest()
        try:
            send_http(
                self.transport,
                self.method,
                url,
                what=what,
                headers=headers,
                body=data,
                timeout=self.timeout,
                secrets=(self._api_token,),
            )
        except HttpDeliveryError as exc:
            if exc.unknown and self.idempotency_header:
                # The gateway drops a repeat of this key: trying again is safe.
                raise HttpDeliveryError(str(exc), permanent=False) from exc
            raise
        log.info("%s: sent %s to %s", what, message.kind, describe(recipient))
