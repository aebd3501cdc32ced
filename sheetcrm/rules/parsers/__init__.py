"""Cell parsers: a value as staff typed it → a typed value, or an Invalid record."""

from sheetcrm.rules.parsers.amounts import amount_or_float, parse_amount, parse_percent
from sheetcrm.rules.parsers.dates import excel_serial_to_date, parse_date, to_excel_serial
from sheetcrm.rules.parsers.emails import parse_email
from sheetcrm.rules.parsers.ids import parse_id
from sheetcrm.rules.parsers.numbers import parse_integer
from sheetcrm.rules.parsers.phones import parse_phone
from sheetcrm.rules.parsers.result import Invalid
from sheetcrm.rules.parsers.words import parse_enum, parse_language

__all__ = [
    "Invalid",
    "amount_or_float",
    "excel_serial_to_date",
    "parse_amount",
    "parse_date",
    "parse_email",
    "parse_enum",
    "parse_id",
    "parse_integer",
    "parse_language",
    "parse_percent",
    "parse_phone",
    "to_excel_serial",
]
