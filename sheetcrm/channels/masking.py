"""Phone numbers and e-mail addresses as logs may show them: enough to recognise, not to use.

Logs end up in terminals, CI output and bug reports; customers' contact details and the
channels' secrets must not. `describe` is what channel code logs about a recipient;
`MaskingFilter` is the safety net the CLI can put on its handler for everything else.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

import phonenumbers

from sheetcrm.outbound import Recipient

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
# "+" and 6-15 digits (E.164, spaces or dashes allowed), or a bare run of 9-15 digits. Dates
# and amounts are shorter or separated differently and stay readable.
_PHONE = re.compile(r"(?<![\w+])(?:\+\d[\d \-]{5,18}\d|\d{9,15})(?!\w)")


def _mask_digits(digits: str) -> str:
    """Keep the operator prefix and the last digits, the way Chinese apps show a number."""
    n = len(digits)
    if n >= 11:
        head, tail = 3, 4
    elif n >= 9:
        head, tail = 2, 3
    elif n >= 5:
        head, tail = 0, 2
    else:
        head, tail = 0, 0
    return digits[:head] + "*" * (n - head - tail) + digits[n - tail :]


def mask_phone(phone: str) -> str:
    """+8613800138000 → +86 138****8000; a number without a country code keeps none."""
    text = phone.strip()
    if text.startswith("+"):
        try:
            parsed = phonenumbers.parse(text, None)
        except phonenumbers.NumberParseException:
            parsed = None
        if parsed is not None:
            national = str(parsed.national_number)
            return f"+{parsed.country_code} {_mask_digits(national)}"
    digits = re.sub(r"\D", "", text)
    return ("+" if text.startswith("+") else "") + _mask_digits(digits)


def mask_email(address: str) -> str:
    """zhangwei@example.com → z***@example.com: the domain helps debugging, the name is private."""
    local, at, domain = address.strip().rpartition("@")
    if not at:
        return "***"
    return f"{local[:1]}***@{domain}" if local else f"***@{domain}"


def redact(text: str, secrets: Iterable[str]) -> str:
    """Replace every secret (longest first, so a prefix never leaves a tail) with ***."""
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


def mask_text(text: str, secrets: Iterable[str] = ()) -> str:
    """Every e-mail address and phone-like number in free text masked, every secret cut out."""
    text = redact(text, secrets)
    text = _EMAIL.sub(lambda m: mask_email(m.group()), text)
    return _PHONE.sub(lambda m: mask_phone(m.group()), text)


def describe(recipient: Recipient) -> str:
    """How logs name a recipient: kind and id, and the masked contact details."""
    contact = [mask_email(recipient.email)] if recipient.email else []
    if recipient.phone:
        contact.append(mask_phone(recipient.phone))
    suffix = f" ({', '.join(contact)})" if contact else ""
    return f"{recipient.kind} {recipient.id}{suffix}"


class MaskingFilter(logging.Filter):
    """Masks contacts and secrets in every record that passes, for handlers the CLI installs.

    It renders the message once (msg % args) and keeps the masked text, so a later handler
    cannot format the unmasked arguments again. Tracebacks are masked too: exception messages
    are where a stray address most often hides.
    """

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets = tuple(s for s in secrets if s)

    def add_secrets(self, secrets: Iterable[str]) -> None:
        """Mask these too (the CLI learns the secrets once settings are loaded)."""
        self._secrets = (*self._secrets, *(s for s in secrets if s))

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask_text(record.getMessage(), self._secrets)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text, self._secrets)
        return True
