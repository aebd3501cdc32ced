"""E-mail addresses, checked offline after NFKC (full-width ＠ and 。 are common in Chinese)."""

from __future__ import annotations

import unicodedata

from email_validator import EmailNotValidError, validate_email

from sheetcrm.cells import CellValue
from sheetcrm.rules.parsers.result import Invalid, invalid


def parse_email(value: CellValue) -> str | Invalid:
    text = unicodedata.normalize("NFKC", str(value)).strip().replace("。", ".")
    if text.lower().startswith("mailto:"):
        text = text[7:]
    try:
        checked = validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        return invalid("email.invalid", reason=str(exc))
    return str(checked.normalized)
