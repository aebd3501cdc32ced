"""Group chat robots: WeCom (企业微信), DingTalk (钉钉), Feishu/Lark (飞书) and Slack.

A robot posts into one group, whoever the recipient is; the recipient is *mentioned* when
they are staff and the chat can address them (WeCom and DingTalk by mobile number or user
id, Feishu and Slack by user id from `recipient.chat_id`). Customers are never mentioned:
they are not in the staff group, and their numbers have no business in its messages.

The robots answer HTTP 200 even when they refuse, with an error code in the JSON body; each
channel reads that code, and the few that mean "too fast" or "busy" are transient.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import time
import urllib.parse
from collections.abc import Callable
from typing import Any

from sheetcrm.channels.base import (
    HttpDeliveryError,
    HttpResponse,
    HttpTransport,
    UrllibTransport,
    answer_json,
    excerpt,
    send_http,
)
from sheetcrm.channels.endpoints import DINGTALK_URL, FEISHU_URL, SLACK_URL, WECOM_URL
from sheetcrm.channels.masking import describe
from sheetcrm.errors import DeliveryError
from sheetcrm.outbound import Message, RecipientKind

log = logging.getLogger(__name__)


def chat_text(message: Message) -> str:
    """A chat message has no subject line: the subject becomes the first line."""
    return f"{message.subject}\n\n{message.body}" if message.subject else message.body


def chat_markdown(message: Message, bold: str = "**") -> str:
    """A digest as chat Markdown: the subject and the section titles in bold, items as
    they are, each message to copy under its item as a quote. `bold`: Slack's is `*`."""
    lines = [f"{bold}{message.subject}{bold}", ""] if message.subject else []
    for line in message.body.split("\n"):
        if line[:1].isspace() and line.strip():
            lines.append("> " + line.strip())
        elif line.rstrip().endswith(("：", ":")) and not line.startswith("- "):
            lines.append(f"{bold}{line.strip()}{bold}")
        else:
            lines.append(line)
    return "\n".join(lines)


def chat_parts(text: str, max_bytes: int) -> list[str]:
    """`text` in posts of at most `max_bytes` UTF-8 bytes, split between items, never inside
    one: an item is a line and the indented lines under it (a message to copy). Parts are
    numbered (1/3) when there are several. Only an item longer than a whole post is cut. A
    quote (Markdown's "> ") belongs to its item too."""
    if len(text.encode()) <= max_bytes:
        return [text]
    room = max_bytes - 12  # for the "(12/34) " that numbers each part
    items: list[str] = []
    for line in text.split("\n"):
        if items and (line[:1].isspace() or line.startswith("> ")):
            items[-1] += "\n" + line
        else:
            items.append(line)
    parts: list[str] = []
    for item in items:
        for piece in _cut(item, room):
            joined = f"{parts[-1]}\n{piece}" if parts else piece
            if parts and len(joined.encode()) <= room:
                parts[-1] = joined
            else:
                parts.append(piece)
    return [f"({n}/{len(parts)}) {part}" for n, part in enumerate(parts, start=1)]


def _cut(item: str, room: int) -> list[str]:
    """An item longer than a post, in pieces that end on whole characters."""
    data = item.encode()
    if len(data) <= room:
        return [item]
    pieces = []
    while data:
        piece = data[:room].decode("utf-8", "ignore")  # a split character goes to the next
        pieces.append(piece)
        data = data[len(piece.encode()) :]
    return pieces


def chat_mobile(phone: str) -> str:
    """Chinese chat apps know their users' mobiles without the +86 prefix."""
    return phone[3:] if phone.startswith("+86") else phone


def dingtalk_sign(timestamp_ms: int, secret: str) -> str:
    """DingTalk: base64(HMAC-SHA256(key=secret, msg=f"{timestamp_ms}\\n{secret}"))."""
    to_sign = f"{timestamp_ms}\n{secret}".encode()
    return base64.b64encode(hmac.new(secret.encode(), to_sign, hashlib.sha256).digest()).decode()


def feishu_sign(timestamp_s: int, secret: str) -> str:
    """Feishu/Lark: f"{timestamp_s}\\n{secret}" is the HMAC-SHA256 *key*, over an empty message."""
    key = f"{timestamp_s}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()


class _Robot:
    """What the four robots share: a hook URL, the transport, the JSON post, the mentions."""

    kind = "webhook"
    transient_codes: frozenset[int] = frozenset()

    def __init__(
        self,
        name: str,
        token: str,
        *,
        transport: HttpTransport | None,
        timeout: float,
        mention: bool,
        clock: Callable[[], float],
    ) -> None:
        self.name = name
        self._token = token
        self.transport = transport or UrllibTransport()
        self.timeout = timeout
        self.mention = mention
        self.clock = clock
        self.what = f"{self.kind} channel {name!r}"

    def __repr__(self) -> str:  # hook URLs are credentials: never in a repr
        return f"{type(self).__name__}({self.name!r})"

    def _secrets(self) -> tuple[str, ...]:
        return (self._token,)

    def _mentions(self, message: Message) -> tuple[str | None, str | None]:
        """(mobile, chat id) of the recipient if they should be mentioned."""
        r = message.recipient
        if not self.mention or r.kind is not RecipientKind.STAFF:
            return None, None
        return (chat_mobile(r.phone) if r.phone else None), r.chat_id

    def _post(self, url: str, payload: dict[str, Any]) -> HttpResponse:
        return send_http(
            self.transport,
            "POST",
            url,
            what=self.what,
            headers={"Content-Type": "application/json; charset=utf-8"},
            body=json.dumps(payload, ensure_ascii=False).encode(),
            timeout=self.timeout,
            secrets=self._secrets(),
        )

    def _check_code(self, response: HttpResponse, *fields: str) -> None:
        """Raise unless the first of `fields` present in the JSON answer is 0."""
        answer = answer_json(response, self.what, self._secrets())
        code = next((answer[f] for f in fields if isinstance(answer, dict) and f in answer), None)
        if code == 0:
            return
        text = excerpt(response.body, self._secrets())
        raise HttpDeliveryError(
            f"{self.what}: refused with code {code}: {text}",
            permanent=code not in self.transient_codes,
            status=response.status,
            excerpt=text,
        )

    def _sent(self, message: Message) -> None:
        log.info("%s: posted %s for %s", self.what, message.kind, describe(message.recipient))

    # Bytes of text one post may carry (the provider's limit, less room for a mention).
    max_bytes = 18_000

    def send(self, message: Message) -> None:
        """Post the message, as Markdown where the robot renders it, in several posts split
        between items when it is longer than the robot takes; the person is mentioned in
        the first."""
        markdown = self._markdown(message)
        text = chat_markdown(message, self.bold) if markdown else chat_text(message)
        limit = self.max_markdown_bytes if markdown else self.max_bytes
        parts = chat_parts(text, limit)
        for n, part in enumerate(parts):
            try:
                self._post_part(message, part, mention=n == 0, markdown=markdown)
            except DeliveryError as exc:
                if n == 0:
                    raise
                # The first parts went out: sending it all again would repeat them.
                raise DeliveryError(
                    f"{self.what}: part {n + 1} of {len(parts)} failed after {n} went out"
                    f" ({exc}); the rest was not sent",
                    permanent=True,
                    unknown=True,
                ) from exc
        self._sent(message)

    # Whether and how the robot renders Markdown; its limit for a Markdown post.
    bold = "**"
    max_markdown_bytes = 18_000

    def _markdown(self, message: Message) -> bool:
        return True

    def _post_part(self, message: Message, text: str, *, mention: bool, markdown: bool) -> None:
        raise NotImplementedError


def _hook(base_url: str, token: str, query_key: str | None = None) -> str:
    """The hook URL from a token; a token that already is a whole URL is used as it is."""
    if token.startswith(("https://", "http://")):
        return token
    if query_key:
        return f"{base_url}?{urllib.parse.urlencode({query_key: token})}"
    return f"{base_url.rstrip('/')}/{token}"


class WeComChannel(_Robot):
    """WeCom group robot: `webhook_token` is the key= of its hook URL (or that whole URL)."""

    kind = "wecom"
    transient_codes = frozenset({-1, 45009, 45033})  # system busy; frequency limits

    def __init__(
        self,
        name: str,
        *,
        webhook_token: str,
        base_url: str = WECOM_URL,
        transport: HttpTransport | None = None,
        timeout: float = 10.0,
        mention: bool = True,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(
            name, webhook_token, transport=transport, timeout=timeout, mention=mention, clock=clock
        )
        self.url = _hook(base_url, webhook_token, "key")

    max_bytes = 2048  # "文本内容，最长不超过2048个字节"
    max_markdown_bytes = 4096  # markdown: "最长不超过4096个字节"

    def _markdown(self, message: Message) -> bool:
        # A Markdown post mentions by user id only: a mobile is mentioned in text.
        mobile, user_id = self._mentions(message)
        return not mobile or bool(user_id)

    def _post_part(self, message: Message, text: str, *, mention: bool, markdown: bool) -> None:
        mobile, user_id = self._mentions(message) if mention else (None, None)
        if markdown:
            shown = text + (f"\n<@{user_id}>" if user_id else "")
            payload = {"msgtype": "markdown", "markdown": {"content": shown}}
            self._check_code(self._post(self.url, payload), "errcode")
            return
        content: dict[str, Any] = {"content": text}
        if mobile:
            content["mentioned_mobile_list"] = [mobile]
        if user_id:
            content["mentioned_list"] = [user_id]
        self._check_code(self._post(self.url, {"msgtype": "text", "text": content}), "errcode")


class DingTalkChannel(_Robot):
    """DingTalk group robot, signed when the robot's security setting is "加签" (a secret)."""

    kind = "dingtalk"
    transient_codes = frozenset({-1, 130101})  # system busy; sending too fast

    def __init__(
        self,
        name: str,
        *,
        access_token: str,
        secret: str | None = None,
        base_url: str = DINGTALK_URL,
        transport: HttpTransport | None = None,
        timeout: float = 10.0,
        mention: bool = True,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(
            name, access_token, transport=transport, timeout=timeout, mention=mention, clock=clock
        )
        self._secret = secret or ""
        self.url = _hook(base_url, access_token, "access_token")

    def _secrets(self) -> tuple[str, ...]:
        return (self._token, self._secret)

    def signed_url(self) -> str:
        """The hook URL with &timestamp=&sign= (valid for one hour, so signed per send)."""
        if not self._secret:
            return self.url
        timestamp = int(self.clock() * 1000)
        query = urllib.parse.urlencode(
            {"timestamp": timestamp, "sign": dingtalk_sign(timestamp, self._secret)}
        )
        return f"{self.url}{'&' if '?' in self.url else '?'}{query}"

    max_bytes = 18_000  # of a 20,000-byte message, with room for the mentions

    def _post_part(self, message: Message, text: str, *, mention: bool, markdown: bool) -> None:
        mobile, user_id = self._mentions(message) if mention else (None, None)
        content = text
        at: dict[str, Any] = {"isAtAll": False}
        if mobile:
            at["atMobiles"] = [mobile]
            content += f"\n@{mobile}"  # DingTalk highlights a mention only if the text has it
        if user_id:
            at["atUserIds"] = [user_id]
            content += f"\n@{user_id}"
        payload: dict[str, Any] = {"msgtype": "text", "text": {"content": content}, "at": at}
        if markdown:
            title = message.subject or message.kind.value
            payload = {"msgtype": "markdown", "markdown": {"title": title, "text": content}}
            payload["at"] = at
        self._check_code(self._post(self.signed_url(), payload), "errcode")


class FeishuChannel(_Robot):
    """Feishu/Lark custom bot; with signature verification on, `secret` signs each post."""

    kind = "feishu"
    transient_codes = frozenset({9499, 11232})  # too many requests; frequency limit

    def __init__(
        self,
        name: str,
        *,
        webhook_token: str,
        secret: str | None = None,
        base_url: str = FEISHU_URL,
        transport: HttpTransport | None = None,
        timeout: float = 10.0,
        mention: bool = True,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(
            name, webhook_token, transport=transport, timeout=timeout, mention=mention, clock=clock
        )
        self._secret = secret or ""
        self.url = _hook(base_url, webhook_token)

    def _secrets(self) -> tuple[str, ...]:
        return (self._token, self._secret)

    max_bytes = 18_000  # a request body of at most 20 KB

    def _markdown(self, message: Message) -> bool:
        return False  # a text post; Feishu renders Markdown only in interactive cards

    def _post_part(self, message: Message, text: str, *, mention: bool, markdown: bool) -> None:
        _, user_id = self._mentions(message) if mention else (None, None)
        if user_id:  # an open_id, or a user id the bot can see
            text = f'<at user_id="{user_id}">{message.recipient.name}</at> {text}'
        payload: dict[str, Any] = {"msg_type": "text", "content": {"text": text}}
        if self._secret:
            timestamp = int(self.clock())
            payload = {
                "timestamp": str(timestamp),
                "sign": feishu_sign(timestamp, self._secret),
            } | payload
        # Newer answers carry "code", older ones "StatusCode"; both are 0 on success.
        self._check_code(self._post(self.url, payload), "code", "StatusCode")


class SlackChannel(_Robot):
    """Slack incoming webhook: `webhook_token` is the T…/B…/… part of its URL (or the URL)."""

    kind = "slack"

    def __init__(
        self,
        name: str,
        *,
        webhook_token: str,
        base_url: str = SLACK_URL,
        transport: HttpTransport | None = None,
        timeout: float = 10.0,
        mention: bool = True,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(
            name, webhook_token, transport=transport, timeout=timeout, mention=mention, clock=clock
        )
        self.url = _hook(base_url, webhook_token)

    max_bytes = 39_000  # Slack cuts a text after 40,000 characters
    max_markdown_bytes = 39_000
    bold = "*"  # Slack's mrkdwn

    def _post_part(self, message: Message, text: str, *, mention: bool, markdown: bool) -> None:
        _, user_id = self._mentions(message) if mention else (None, None)
        if user_id:
            text = f"<@{user_id}> {text}"
        response = self._post(self.url, {"text": text})
        # Slack refuses with 4xx and a word ("invalid_payload"); success is exactly "ok".
        if response.body.strip() != b"ok":
            text = excerpt(response.body, self._secrets())
            raise HttpDeliveryError(
                f"{self.what}: unexpected answer: {text}",
                permanent=True,
                status=response.status,
                excerpt=text,
            )
