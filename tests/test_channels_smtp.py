"""The SMTP channel against a real SMTP server on loopback (aiosmtpd), never the network."""

from __future__ import annotations

import datetime as dt
import email
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from sheetcrm.channels.smtp import SmtpChannel
from sheetcrm.errors import DeliveryError
from sheetcrm.outbound import Message, MessageKind, Recipient, RecipientKind

CUSTOMER = Recipient(
    kind=RecipientKind.CUSTOMER,
    id="C001",
    name="张伟",
    language="zh-Hans",
    email="zhangwei@example.com",
    phone="+8613800138000",
)


def message(recipient: Recipient = CUSTOMER) -> Message:
    return Message(
        kind=MessageKind.BIRTHDAY,
        recipient=recipient,
        channel="email",
        occasion=dt.date(2026, 11, 23),
        subject="生日快乐，张伟！",
        body="祝您生日快乐，万事如意。\n—— 您的客户经理 李娜",
        reason="birthday",
    )


@dataclass
class Handler:
    """Accepts mail, except where a test asks for a reply code at RCPT or DATA."""

    rcpt_reply: str | None = None
    data_reply: str | None = None
    received: list[tuple[str, list[str], bytes]] = field(default_factory=list)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.data_reply:
            return self.data_reply
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Server:
    handler: Handler
    port: int
    logins: list[tuple[str, str]]


@pytest.fixture
def server() -> Iterator[Server]:
    handler = Handler()
    logins: list[tuple[str, str]] = []

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
        assert isinstance(data, LoginPassword)
        logins.append((data.login.decode(), data.password.decode()))
        ok = data.password == b"s3cret"
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd replies 535

    port = free_port()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        authenticator=authenticator,
        auth_require_tls=False,
    )
    controller.start()
    try:
        yield Server(handler, port, logins)
    finally:
        controller.stop()


def channel(port: int, **kwargs: Any) -> SmtpChannel:
    options: dict[str, Any] = {
        "host": "127.0.0.1",
        "port": port,
        "security": "none",
        "from_address": "care@shop.example.com",
        "from_name": "李娜 · 客户关怀",
        "timeout": 5.0,
    }
    return SmtpChannel("email", **(options | kwargs))


def test_chinese_subject_body_and_names_arrive_intact(server: Server) -> None:
    channel(server.port).send(message())

    [(mail_from, rcpt_tos, content)] = server.handler.received
    assert mail_from == "care@shop.example.com"
    assert rcpt_tos == ["zhangwei@example.com"]
    assert content.isascii()  # encoded on the wire: no server needs 8BITMIME for this
    mail = email.message_from_bytes(content, policy=default)
    assert isinstance(mail, EmailMessage)
    assert mail["Subject"] == "生日快乐，张伟！"
    assert mail["From"].addresses[0].display_name == "李娜 · 客户关怀"
    assert mail["From"].addresses[0].addr_spec == "care@shop.example.com"
    assert mail["To"].addresses[0].display_name == "张伟"
    body = mail.get_body()
    assert body is not None
    # Text travels with CRLF line ends (RFC 5322); the words are what must survive.
    assert body.get_content().replace("\r\n", "\n").strip() == message().body
    assert mail["X-SheetCRM-Key"] == message().key


def test_login_when_a_user_is_given(server: Server) -> None:
    channel(server.port, username="care", password="s3cret").send(message())
    assert server.logins == [("care", "s3cret")]
    assert len(server.handler.received) == 1


def test_rejected_login_is_permanent_and_hides_the_password(server: Server) -> None:
    with pytest.raises(DeliveryError) as info:
        channel(server.port, username="care", password="wrong-pw").send(message())
    assert info.value.permanent
    assert "535" in str(info.value)
    assert "wrong-pw" not in str(info.value)
    assert "wrong-pw" not in repr(channel(server.port, password="wrong-pw"))


@pytest.mark.parametrize(
    ("rcpt_reply", "data_reply", "permanent", "code"),
    [
        ("550 5.1.1 No such user", None, True, "550"),
        ("451 4.7.1 Greylisted, try again", None, False, "451"),
        (None, "554 5.7.1 Message rejected as spam", True, "554"),
        (None, "452 4.3.1 Insufficient storage", False, "452"),
    ],
)
def test_reply_codes_decide_permanent_or_transient(
    server: Server, rcpt_reply: str | None, data_reply: str | None, permanent: bool, code: str
) -> None:
    server.handler.rcpt_reply = rcpt_reply
    server.handler.data_reply = data_reply
    with pytest.raises(DeliveryError) as info:
        channel(server.port).send(message())
    assert info.value.permanent is permanent
    assert code in str(info.value)
    assert "zhangwei@" not in str(info.value)  # the address is masked in the error


def test_connection_refused_is_transient() -> None:
    with pytest.raises(DeliveryError) as info:
        channel(free_port()).send(message())
    assert info.value.permanent is False
    assert "connection failed" in str(info.value)


def test_starttls_refused_by_a_plain_server_is_permanent(server: Server) -> None:
    with pytest.raises(DeliveryError) as info:
        channel(server.port, security="starttls").send(message())
    assert info.value.permanent is True


@pytest.mark.parametrize(
    ("address", "error"),
    [
        (None, "no e-mail address for C001"),
        ("not an address", "invalid e-mail address for C001"),
    ],
)
def test_missing_or_bad_address_is_permanent_and_sends_nothing(
    server: Server, address: str | None, error: str
) -> None:
    recipient = Recipient(RecipientKind.CUSTOMER, "C001", "张伟", "zh-Hans", email=address)
    with pytest.raises(DeliveryError, match=error) as info:
        channel(server.port).send(message(recipient))
    assert info.value.permanent
    assert server.handler.received == []
