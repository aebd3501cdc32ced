"""The child process of test_delivery_crash: deliver N birthday emails over real SMTP.

Usage: python -m tests.crash_delivery STATE_DIR SMTP_PORT N
Prints the delivery report as JSON. The parent kills it with SIGKILL partway through.
"""

from __future__ import annotations

import json
import smtplib
import sys
from email.message import EmailMessage
from pathlib import Path

from sheetcrm.delivery import DeliveryPolicy, RetryPolicy, deliver
from sheetcrm.errors import DeliveryError
from sheetcrm.ledger import Ledger
from sheetcrm.outbound import Message
from tests.delivery_fixtures import NOON, message

KEY_HEADER = "X-Sheetcrm-Key"


def crash_messages(n: int) -> list[Message]:
    return [message(f"C{i:03}") for i in range(n)]


class SmtpChannel:
    """A bare SMTP channel, one connection per message, as a real one might do."""

    name = "email"

    def __init__(self, port: int) -> None:
        self.port = port

    def send(self, message: Message) -> None:
        mail = EmailMessage()
        mail["From"] = "shop@example.com"
        mail["To"] = message.recipient.email or ""
        mail["Subject"] = message.subject
        mail[KEY_HEADER] = message.key
        mail.set_content(message.body)
        try:
            with smtplib.SMTP("127.0.0.1", self.port, timeout=30) as smtp:
                smtp.send_message(mail)
        except smtplib.SMTPResponseException as error:
            raise DeliveryError(str(error), permanent=500 <= error.smtp_code < 600) from error
        except (OSError, smtplib.SMTPException) as error:
            raise DeliveryError(str(error)) from error


def main(state_dir: str, port: str, n: str) -> None:
    policy = DeliveryPolicy(retry=RetryPolicy(attempts=1))
    with Ledger.in_state_dir(Path(state_dir)) as ledger:
        report = deliver(
            crash_messages(int(n)),
            ledger,
            {"email": SmtpChannel(int(port))},
            now=NOON,
            policy=policy,
        )
    print(
        json.dumps(
            {
                "sent": [o.key for o in report.outcomes if o.new and o.status == "sent"],
                "interrupted": [o.key for o in report.interrupted],
                "already": report.already,
                "failed": report.failed,
            }
        )
    )


if __name__ == "__main__":
    main(*sys.argv[1:])
