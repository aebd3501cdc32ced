"""The SMTP channel against a real SMTP server on loopback (aiosmtpd), never the network."""

from __future__ import annotations

import datetime as dt
import email
import socket
import ssl
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


def start(handler: Handler, **kwargs: Any) -> tuple[Controller, int]:
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    return controller, port


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

    controller, port = start(handler, authenticator=authenticator, auth_require_tls=False)
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


@pytest.mark.parametrize("smtputf8", [True, False])
def test_a_non_ascii_mailbox_needs_a_server_with_smtputf8(smtputf8: bool) -> None:
    handler = Handler()
    controller, port = start(handler, enable_SMTPUTF8=smtputf8)
    recipient = Recipient(
        RecipientKind.CUSTOMER, "C001", "张伟", "zh-Hans", email="张伟@example.com"
    )
    try:
        if smtputf8:
            channel(port).send(message(recipient))
            [(_, rcpt_tos, content)] = handler.received
            assert rcpt_tos == ["张伟@example.com"]
            mail = email.message_from_string(content.decode("utf-8"), policy=default)
            assert mail["To"].addresses[0].addr_spec == "张伟@example.com"
        else:
            with pytest.raises(DeliveryError, match="does not support") as info:
                channel(port).send(message(recipient))
            assert info.value.permanent
    finally:
        controller.stop()


@dataclass(frozen=True)
class Tls:
    server: ssl.SSLContext
    client: ssl.SSLContext  # trusts only the test certificate


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> Tls:
    """A self-signed certificate for 127.0.0.1, made on the spot."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert_file, key_file)
    return Tls(server, ssl.create_default_context(cafile=str(cert_file)))


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_tls_with_login(tls: Tls, security: str) -> None:
    handler = Handler()
    logins: list[str] = []

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
        logins.append(data.login.decode())
        return AuthResult(success=True)

    # The login must happen inside TLS: with STARTTLS aiosmtpd checks that itself; it does not
    # count implicit TLS as TLS for that check, so there it is switched off.
    tls_options: dict[str, Any] = (
        {"tls_context": tls.server, "require_starttls": True}
        if security == "starttls"
        else {"ssl_context": tls.server, "auth_require_tls": False}
    )
    controller, port = start(handler, authenticator=authenticator, **tls_options)
    try:
        smtp = channel(
            port, security=security, username="care", password="s3cret", ssl_context=tls.client
        )
        smtp.send(message())
    finally:
        controller.stop()
    assert logins == ["care"]
    assert len(handler.received) == 1


def test_an_untrusted_certificate_is_permanent(tls: Tls) -> None:
    controller, port = start(Handler(), ssl_context=tls.server)
    try:
        with pytest.raises(DeliveryError, match="certificate") as info:
            channel(port, security="ssl").send(message())  # the system CAs do not know it
    finally:
        controller.stop()
    assert info.value.permanent
