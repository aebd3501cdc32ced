"""E-mail over SMTP (named smtp.py so it cannot shadow the stdlib `email` package).

Names, subjects and bodies are often Chinese or Spanish: the message is built with the modern
`email` API, which encodes non-ASCII display names and subjects (RFC 2047) and bodies (UTF-8)
itself, and `smtplib.send_message` switches to SMTPUTF8 when an address needs it. SMTP reply
codes decide retrying: 5xx is permanent, 4xx and a lost connection are transient.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.errors import HeaderParseError, NonASCIILocalPartDefect
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime, localtime, make_msgid
from typing import Literal

from sheetcrm.channels.masking import describe, mask_email
from sheetcrm.errors import DeliveryError
from sheetcrm.outbound import Message

log = logging.getLogger(__name__)

Security = Literal["starttls", "ssl", "none"]
DEFAULT_PORTS: dict[str, int] = {"starttls": 587, "ssl": 465, "none": 25}


def _address(display_name: str, addr_spec: str, what: str) -> Address:
    try:
        return Address(display_name=display_name, addr_spec=addr_spec)
    except NonASCIILocalPartDefect:
        # 张伟@example.com is valid with SMTPUTF8 (RFC 6531); the parser only refuses it for
        # 7-bit mail. Built from its parts, send_message then asks the server for SMTPUTF8.
        local, _, domain = addr_spec.rpartition("@")
        if local and domain and not any(c.isspace() or c in '<>"' for c in addr_spec):
            return Address(display_name=display_name, username=local, domain=domain)
        error: Exception | None = None
    except (HeaderParseError, ValueError, IndexError) as exc:
        error = exc
    raise DeliveryError(
        f"invalid e-mail address for {what}: {mask_email(addr_spec)}", permanent=True
    ) from error


class SmtpChannel:
    """One connection per message: a daily job sends few, and a fresh connection never finds
    itself timed out by the server halfway through a batch."""

    def __init__(
        self,
        name: str,
        *,
        host: str,
        from_address: str,
        port: int | None = None,
        security: Security = "starttls",
        username: str | None = None,
        password: str | None = None,
        from_name: str = "",
        timeout: float = 30.0,
        ssl_context: ssl.SSLContext | None = None,
        local_hostname: str | None = None,
    ) -> None:
        self.name = name
        self.host = host
        self.port = port or DEFAULT_PORTS[security]
        self.security = security
        self.username = username
        self._password = password or ""
        self.sender = _address(from_name, from_address, f"channel {name}'s sender")
        self.timeout = timeout
        self._ssl_context = ssl_context
        self._local_hostname = local_hostname

    def __repr__(self) -> str:  # the password stays out of logs and tracebacks
        return f"SmtpChannel({self.name!r}, {self.host}:{self.port}, {self.security})"

    def build(self, message: Message) -> EmailMessage:
        """The e-mail as it will be sent (also useful for previews)."""
        recipient = message.recipient
        if not recipient.email:
            raise DeliveryError(f"no e-mail address for {recipient.id}", permanent=True)
        mail = EmailMessage(policy=SMTP_POLICY)
        mail["From"] = self.sender
        mail["To"] = _address(recipient.name, recipient.email, recipient.id)
        mail["Subject"] = message.subject
        mail["Date"] = format_datetime(localtime())
        mail["Message-ID"] = make_msgid(domain=self.sender.domain or None)
        # The idempotency key lets a bounce or a complaint be traced to its ledger entry.
        mail["X-SheetCRM-Key"] = message.key
        # 8bit bodies need the server's 8BITMIME; base64 passes every relay unchanged.
        mail.set_content(message.body, cte=None if message.body.isascii() else "base64")
        if message.html:  # digests: the same in tables, for mail programs that show HTML
            mail.add_alternative(message.html, subtype="html", cte="base64")
        return mail

    def _connect(self) -> smtplib.SMTP:
        context = self._ssl_context or ssl.create_default_context()
        smtp: smtplib.SMTP
        if self.security == "ssl":
            smtp = _TrackedSSL(
                self.host,
                self.port,
                local_hostname=self._local_hostname,
                timeout=self.timeout,
                context=context,
            )
        else:
            smtp = _Tracked(
                self.host, self.port, local_hostname=self._local_hostname, timeout=self.timeout
            )
        try:
            smtp.ehlo()
            if self.security == "starttls":
                smtp.starttls(context=context)
                smtp.ehlo()
            if self.username:
                smtp.login(self.username, self._password)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send(self, message: Message) -> None:
        mail = self.build(message)
        what = f"smtp channel {self.name!r} ({self.host}:{self.port})"
        smtp: smtplib.SMTP | None = None
        try:
            smtp = self._connect()
            try:
                smtp.send_message(mail)
            finally:
                _close(smtp)
        except smtplib.SMTPRecipientsRefused as exc:
            code, reply = next(iter(exc.recipients.values()))
            raise _reply_error(what, code, reply, f"refused {describe(message.recipient)}") from exc
        except smtplib.SMTPResponseException as exc:  # sender refused, data, auth, helo
            raise _reply_error(what, exc.smtp_code, exc.smtp_error, "rejected the message") from exc
        except smtplib.SMTPNotSupportedError as exc:  # no STARTTLS, no SMTPUTF8, no AUTH
            raise DeliveryError(f"{what}: server does not support {exc}", permanent=True) from exc
        except OSError as exc:  # refused, reset, timed out, TLS (SMTPException is an OSError)
            if smtp is not None and getattr(smtp, "body_sent", False):
                # The whole message went and the server's "250" never came: it may be
                # stored and on its way. Not sent again (see DeliveryError.unknown).
                raise DeliveryError(
                    f"{what}: the message was sent but the server did not confirm it: "
                    f"{type(exc).__name__}: {exc}",
                    unknown=True,
                ) from exc
            raise _connection_error(what, exc) from exc
        log.info("%s: sent %s to %s", what, message.kind, describe(message.recipient))


def _connection_error(what: str, exc: BaseException) -> DeliveryError:
    """Refused, reset, timed out or TLS, before the whole message went: safe to try again."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        return DeliveryError(f"{what}: certificate check failed: {exc}", permanent=True)
    return DeliveryError(f"{what}: connection failed: {type(exc).__name__}: {exc}")


class _Tracking:
    """Knows when the message's last line (the lone ".") has gone to the server: a failure
    after that cannot tell whether the server kept the message."""

    body_sent = False
    _in_data = False

    def putcmd(self, cmd: str, args: str = "") -> None:
        self._in_data = cmd.lower() == "data"
        super().putcmd(cmd, args)  # type: ignore[misc]

    def send(self, s: bytes | str) -> None:
        super().send(s)  # type: ignore[misc]
        data = s.encode() if isinstance(s, str) else s
        if self._in_data and data.endswith(b"\r\n.\r\n"):
            self.body_sent = True


class _Tracked(_Tracking, smtplib.SMTP):  # type: ignore[misc]
    pass


class _TrackedSSL(_Tracking, smtplib.SMTP_SSL):  # type: ignore[misc]
    pass


def _reply_error(what: str, code: int, reply: bytes | str, action: str) -> DeliveryError:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    text = " ".join(text.split())[:200]
    # 5xx: the server will never accept this as sent; 4xx (and anything odd): try again later.
    return DeliveryError(f"{what}: server {action}: {code} {text}", permanent=500 <= code < 600)


def _close(smtp: smtplib.SMTP) -> None:
    """QUIT politely; once the message was accepted, a failing goodbye changes nothing."""
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()
