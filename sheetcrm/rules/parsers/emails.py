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
    if text.count("@") != 1:
        return invalid("email.no_at")
    try:
        checked = validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        # email_validator explains in English; say in the staff's language which half is wrong.
        after = "after the @" in str(exc) or "domain" in str(exc)
        return invalid("email.bad_domain" if after else "email.bad_name")
    return str(checked.normalized)
