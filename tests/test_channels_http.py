"""SMS and chat-robot channels against a real HTTP server on loopback.

The server checks what each provider checks: the path, the credentials, the JSON or form
shape and the signature, which it recomputes from the documented algorithm rather than
from the code under test.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import pytest

from sheetcrm.channels import build_channel
from sheetcrm.channels.base import HttpDeliveryError
from sheetcrm.errors import DeliveryError
from sheetcrm.outbound import Message, MessageKind, Recipient, RecipientKind
from tests.channel_server import Reply, Script, Seen, http_server

NOW = 1_700_000_000.25  # the fixed wall clock every signature is made with

STAFF = Recipient(
    kind=RecipientKind.STAFF,
    id="李娜",
    name="李娜",
    language="zh-Hans",
    email="lina@example.com",
    phone="+8613800138000",
    chat_id="U123",
)
CUSTOMER = Recipient(
    kind=RecipientKind.CUSTOMER,
    id="C001",
    name="张伟",
    language="zh-Hans",
    phone="+8613900139000",
)


def message(recipient: Recipient = STAFF, channel: str = "team") -> Message:
    return Message(
        kind=MessageKind.STAFF_DIGEST,
        recipient=recipient,
        channel=channel,
        occasion=dt.date(2026, 11, 23),
        subject="今日任务",
        body='给张伟打电话 "生日"\n拜访王芳',
        reason="daily digest",
    )


TEXT = '今日任务\n\n给张伟打电话 "生日"\n拜访王芳'
MARKDOWN = '**今日任务**\n\n给张伟打电话 "生日"\n拜访王芳'  # what robots that render it get


@pytest.fixture
def server() -> Iterator[Script]:
    with http_server() as script:
        yield script


def as_json(seen: Seen) -> Any:
    assert seen.headers["content-type"].startswith("application/json")
    return json.loads(seen.body.decode("utf-8"))


def check_wecom(seen: Seen) -> None:
    assert (seen.method, seen.path, seen.query) == (
        "POST",
        "/cgi-bin/webhook/send",
        {"key": "wk-7f3a9c"},
    )
    # Markdown mentions by user id (a Markdown post cannot mention a mobile).
    assert as_json(seen) == {
        "msgtype": "markdown",
        "markdown": {"content": f"{MARKDOWN}\n<@U123>"},
    }


def check_dingtalk(seen: Seen) -> None:
    assert (seen.method, seen.path) == ("POST", "/robot/send")
    timestamp = seen.query["timestamp"]
    assert timestamp == "1700000000250"  # milliseconds
    digest = hmac.new(b"SEC0d1e2f", f"{timestamp}\nSEC0d1e2f".encode(), hashlib.sha256).digest()
    assert seen.query == {
        "access_token": "dt-5b8e21",
        "timestamp": timestamp,
        "sign": base64.b64encode(digest).decode(),
    }
    assert as_json(seen) == {
        "msgtype": "markdown",
        "markdown": {"title": "今日任务", "text": f"{MARKDOWN}\n@13800138000\n@U123"},
        "at": {"isAtAll": False, "atMobiles": ["13800138000"], "atUserIds": ["U123"]},
    }


def check_feishu(seen: Seen) -> None:
    assert (seen.method, seen.path, seen.query) == ("POST", "/open-apis/bot/v2/hook/ft-4c2d8a", {})
    body = as_json(seen)
    assert body["timestamp"] == "1700000000"  # seconds
    key = f"{body['timestamp']}\nfs-9e7b3c".encode()  # the string to sign is the HMAC key
    assert body["sign"] == base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
    assert {k: v for k, v in body.items() if k not in ("timestamp", "sign")} == {
        "msg_type": "text",
        "content": {"text": f'<at user_id="U123">李娜</at> {TEXT}'},
    }


def check_slack(seen: Seen) -> None:
    assert (seen.method, seen.path) == ("POST", "/services/T1/B2/X3secret")
    assert as_json(seen) == {"text": f"<@U123> {MARKDOWN.replace('**', '*')}"}


def check_twilio(seen: Seen) -> None:
    assert (seen.method, seen.path) == ("POST", "/2010-04-01/Accounts/AC1/Messages.json")
    assert seen.headers["authorization"] == "Basic " + base64.b64encode(b"AC1:tt-8a6f1d").decode()
    assert seen.headers["content-type"].startswith("application/x-www-form-urlencoded")
    assert seen.form() == {"To": "+8613800138000", "From": "+15005550006", "Body": message().body}


def check_http_sms_json(seen: Seen) -> None:
    assert (seen.method, seen.path) == ("POST", "/sms/send")
    assert seen.headers["authorization"] == "Bearer st-3e9c7b"
    assert as_json(seen) == {
        "mobile": "+8613800138000",
        "content": message().body,
        "meta": {"ref": message().key},
    }


def check_http_sms_form(seen: Seen) -> None:
    assert (seen.method, seen.path, seen.query) == ("POST", "/sms", {"u": "st-3e9c7b"})
    assert seen.form() == {"to": "+8613800138000", "msg": message().body}


@dataclass(frozen=True)
class Case:
    kind: str
    settings: Callable[[str], dict[str, Any]]  # from the server's base URL
    check: Callable[[Seen], None]
    ok: Reply
    secrets: tuple[str, ...]


CASES = [
    Case(
        "wecom",
        lambda url: {"webhook_token": "wk-7f3a9c", "base_url": f"{url}/cgi-bin/webhook/send"},
        check_wecom,
        Reply(200, b'{"errcode":0,"errmsg":"ok"}'),
        ("wk-7f3a9c",),
    ),
    Case(
        "dingtalk",
        lambda url: {
            "access_token": "dt-5b8e21",
            "secret": "SEC0d1e2f",
            "base_url": f"{url}/robot/send",
        },
        check_dingtalk,
        Reply(200, b'{"errcode":0,"errmsg":"ok"}'),
        ("dt-5b8e21", "SEC0d1e2f"),
    ),
    Case(
        "feishu",
        lambda url: {
            "webhook_token": "ft-4c2d8a",
            "secret": "fs-9e7b3c",
            "base_url": f"{url}/open-apis/bot/v2/hook",
        },
        check_feishu,
        Reply(200, b'{"code":0,"msg":"success","data":{}}'),
        ("ft-4c2d8a", "fs-9e7b3c"),
    ),
    Case(
        "slack",
        lambda url: {"webhook_token": "T1/B2/X3secret", "base_url": f"{url}/services"},
        check_slack,
        Reply(200, b"ok"),
        ("T1/B2/X3secret",),
    ),
    Case(
        "twilio",
        lambda url: {
            "account_sid": "AC1",
            "auth_token": "tt-8a6f1d",
            "from_number": "+15005550006",
            "base_url": url,
        },
        check_twilio,
        Reply(201, b'{"sid":"SM1","status":"queued"}'),
        ("tt-8a6f1d",),
    ),
    Case(
        "http_sms",
        lambda url: {
            "url": f"{url}/sms/send",
            "headers": {"Authorization": "Bearer {token}"},
            "body": {"mobile": "{phone}", "content": "{text}", "meta": {"ref": "{key}"}},
            "api_token": "st-3e9c7b",
        },
        check_http_sms_json,
        Reply(200, b"{}"),
        ("st-3e9c7b",),
    ),
    Case(
        "http_sms",
        lambda url: {
            "url": f"{url}/sms?u={{token}}",
            "body_format": "form",
            "body": {"to": "{phone}", "msg": "{text}"},
            "api_token": "st-3e9c7b",
        },
        check_http_sms_form,
        Reply(200, b"OK"),
        ("st-3e9c7b",),
    ),
]
IDS = [f"{c.kind}-{i}" for i, c in enumerate(CASES)]


def build(case: Case, server: Script) -> Any:
    settings = {"kind": case.kind, **case.settings(server.url), "rate_limit": None}
    return build_channel("team", settings, clock=lambda: NOW)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_request_has_the_provider_shape_and_signature(case: Case, server: Script) -> None:
    server.reply(case.ok)
    build(case, server).send(message())
    [seen] = server.seen
    case.check(seen)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_secrets_stay_out_of_errors_and_reprs(case: Case, server: Script) -> None:
    # A provider that echoes the request back in its error must not leak it either.
    echo = json.dumps({"errcode": 1, "code": 1, "echo": list(case.secrets)}).encode()
    server.reply(Reply(400, echo))
    channel = build(case, server)
    with pytest.raises(DeliveryError) as info:
        channel.send(message())
    assert info.value.permanent
    for secret in case.secrets:
        assert secret not in str(info.value)
        assert secret not in repr(channel)


@pytest.mark.parametrize(
    ("kind", "reply", "permanent", "text"),
    [
        ("wecom", Reply(200, b'{"errcode":93000,"errmsg":"invalid webhook url"}'), True, "93000"),
        (
            "wecom",
            Reply(200, b'{"errcode":45009,"errmsg":"api freq out of limit"}'),
            False,
            "45009",
        ),
        ("wecom", Reply(200, b"<html>gateway</html>"), True, "not JSON"),
        ("dingtalk", Reply(200, b'{"errcode":310000,"errmsg":"sign not match"}'), True, "310000"),
        ("dingtalk", Reply(200, b'{"errcode":130101,"errmsg":"send too fast"}'), False, "130101"),
        ("feishu", Reply(200, b'{"code":19021,"msg":"sign match fail"}'), True, "19021"),
        ("feishu", Reply(200, b'{"code":9499,"msg":"too many request"}'), False, "9499"),
        ("feishu", Reply(200, b'{"StatusCode":0,"StatusMessage":"success"}'), None, ""),
        ("slack", Reply(404, b"no_service"), True, "HTTP 404"),
        ("slack", Reply(200, b"invalid_token"), True, "invalid_token"),
        ("twilio", Reply(400, b'{"code":21211,"message":"Invalid To"}'), True, "21211"),
        ("twilio", Reply(401, b'{"code":20003,"message":"Authenticate"}'), True, "HTTP 401"),
        ("twilio", Reply(429, b"{}", (("Retry-After", "7"),)), False, "HTTP 429"),
        ("twilio", Reply(500, b"oops"), False, "HTTP 500 from http://127.0.0.1:[0-9]+: oops"),
        ("twilio", Reply(503, b""), False, "HTTP 503"),
        ("http_sms", Reply(302, b"", (("Location", "http://127.0.0.1:9/"),)), True, "302"),
    ],
)
def test_answers_map_to_success_or_permanent_or_transient(
    kind: str, reply: Reply, permanent: bool | None, text: str, server: Script
) -> None:
    case = next(c for c in CASES if c.kind == kind)
    server.reply(reply)
    channel = build(case, server)
    if permanent is None:
        channel.send(message())
        return
    with pytest.raises(DeliveryError, match=text) as info:
        channel.send(message())
    assert info.value.permanent is permanent
    assert len(server.seen) == 1  # no redirect followed, nothing retried here
    if reply.status == 429:
        assert isinstance(info.value, HttpDeliveryError)
        assert info.value.retry_after == 7.0


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_connection_refused_is_transient(case: Case) -> None:
    with http_server() as gone:
        url = gone.url
    settings = {"kind": case.kind, **case.settings(url), "rate_limit": None}
    with pytest.raises(DeliveryError, match=r"no answer from http://127\.0\.0\.1") as info:
        build_channel("team", settings, clock=lambda: NOW).send(message())
    assert info.value.permanent is False


@pytest.mark.parametrize("kind", ["twilio", "http_sms"])
def test_sms_without_a_phone_is_permanent(kind: str, server: Script) -> None:
    case = next(c for c in CASES if c.kind == kind)
    nobody = Recipient(RecipientKind.CUSTOMER, "C002", "王芳", "zh-Hans", email="w@example.com")
    with pytest.raises(DeliveryError, match="no phone number for C002") as info:
        build(case, server).send(message(nobody))
    assert info.value.permanent
    assert server.seen == []


@pytest.mark.parametrize("kind", ["wecom", "dingtalk", "feishu", "slack"])
def test_customers_are_never_mentioned_in_the_staff_group(kind: str, server: Script) -> None:
    case = next(c for c in CASES if c.kind == kind)
    server.reply(case.ok)
    build(case, server).send(message(CUSTOMER))
    [seen] = server.seen
    assert b"13900139000" not in seen.body
    assert "13900139000" not in json.dumps(seen.query)


@pytest.mark.parametrize(
    ("kind", "token", "path", "query"),
    [
        ("slack", "/services/T1/B2/X3secret", "/services/T1/B2/X3secret", {}),
        (
            "wecom",
            "/cgi-bin/webhook/send?key=wk-7f3a9c",
            "/cgi-bin/webhook/send",
            {"key": "wk-7f3a9c"},
        ),
        ("feishu", "/open-apis/bot/v2/hook/ft-4c2d8a", "/open-apis/bot/v2/hook/ft-4c2d8a", {}),
    ],
)
def test_a_whole_hook_url_can_stand_for_the_token(
    kind: str, token: str, path: str, query: dict[str, str], server: Script
) -> None:
    case = next(c for c in CASES if c.kind == kind)
    server.reply(case.ok)
    build_channel("team", {"kind": kind, "webhook_token": server.url + token}).send(message())
    [seen] = server.seen
    assert (seen.path, seen.query) == (path, query)


ROBOTS = {c.kind: c for c in CASES if c.kind in ("wecom", "dingtalk", "feishu", "slack")}
LIMITS = {"wecom": 4096, "dingtalk": 18_000, "feishu": 18_000, "slack": 39_000}


def long_digest(items: int) -> Message:
    """A digest of `items` tasks, each with a message to copy under it (indented)."""
    lines = []
    for n in range(items):
        lines.append(f"- 客户{n:04d}，+86139{n:08d}：电话回访（购买后30天）")
        lines.append(f"    王女士您好！这是第{n}位客户的问候，祝您生活愉快。")
    return Message(
        kind=MessageKind.STAFF_DIGEST,
        recipient=STAFF,
        channel="team",
        occasion=dt.date(2026, 11, 23),
        subject="今日任务",
        body="\n".join(lines),
        reason="daily digest",
    )


def posted_text(kind: str, seen: Seen) -> str:
    """The text of a post, without the mention the first one carries."""
    body = as_json(seen)
    if kind == "feishu":
        return re.sub(r"^<at [^>]*>[^<]*</at> ", "", str(body["content"]["text"]))
    if kind == "slack":
        return re.sub(r"^<@\w+> ", "", str(body["text"]))
    if kind == "wecom":
        return re.sub(r"\n<@\w+>$", "", str(body["markdown"]["content"]))
    return re.sub(r"(\n@\w+)+$", "", str(body["markdown"]["text"]))


@pytest.mark.parametrize("kind", ROBOTS)
def test_a_digest_over_the_robots_limit_is_split_between_items(kind: str, server: Script) -> None:
    case = ROBOTS[kind]
    server.default = case.ok
    items = {"wecom": 80, "dingtalk": 300, "feishu": 300, "slack": 600}[kind]
    msg = long_digest(items)
    build(case, server).send(msg)
    texts = [posted_text(kind, seen) for seen in server.seen]
    assert len(texts) > 1
    assert all(len(t.encode()) <= LIMITS[kind] + 100 for t in texts)  # + the first's mention
    # Numbered, and together the whole digest, each item and its text in one post.
    count = len(texts)
    assert [t.split(" ", 1)[0] for t in texts] == [f"({n}/{count})" for n in range(1, count + 1)]
    parts = [t.split(") ", 1)[1] for t in texts]
    whole = "\n".join(parts)
    quote = "    " if kind == "feishu" else "> "  # Markdown quotes the message to copy
    for n in range(items):
        item = (
            f"- 客户{n:04d}，+86139{n:08d}：电话回访（购买后30天）\n{quote}王女士您好！这是第{n}位"
        )
        assert sum(item in p for p in parts) == 1, n
    assert whole.endswith(msg.body.rsplit("\n", 1)[1].strip())


def test_a_split_digest_whose_later_part_fails_is_never_sent_again(server: Script) -> None:
    case = ROBOTS["wecom"]
    server.reply(case.ok, Reply(200, b'{"errcode":45009,"errmsg":"api freq out of limit"}'))
    with pytest.raises(DeliveryError) as caught:
        build(case, server).send(long_digest(80))
    assert caught.value.unknown and caught.value.permanent
    assert "part 2 of" in str(caught.value) and "after 1 went out" in str(caught.value)


def test_wecom_mentions_a_mobile_in_a_text_post(server: Script) -> None:
    """A WeCom Markdown post cannot mention a mobile: staff known only by their mobile get
    the digest as text, with the mention."""
    case = ROBOTS["wecom"]
    server.default = case.ok
    by_mobile = replace(message(), recipient=replace(STAFF, chat_id=None))
    build(case, server).send(by_mobile)
    (seen,) = server.seen
    assert as_json(seen) == {
        "msgtype": "text",
        "text": {"content": TEXT, "mentioned_mobile_list": ["13800138000"]},
    }
