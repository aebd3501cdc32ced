"""Validation of the whole workbook: every sheet's rows into records, every bad cell a Problem.

Pure: RawSheets and layouts in, records and problems out. A row with a bad cell is still kept
and used where the bad cell does not matter; a row is dropped only when a field it cannot do
without (a customer's id, an order's date, customer and amount) is missing or bad.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from typing import Any, Generic

from sheetcrm.backend import RawSheet
from sheetcrm.cells import is_blank
from sheetcrm.frozen_builder import builder
from sheetcrm.problems import Problem, Severity
from sheetcrm.records import Contact, Customer, Order, R, StaffMember
from sheetcrm.rules.calendar import lunar_birth_date
from sheetcrm.rules.layout import SheetLayout
from sheetcrm.rules.parsers.lunar_dates import LUNAR_HEADER_WORDS, LunarDay
from sheetcrm.rules.rows import ParseOptions, Row, RowReader, Table
from sheetcrm.schema import SheetKind
from sheetcrm.vocabulary import PURPOSES, Calendar, ContactType


@dataclass(frozen=True)
class Validated:
    customers: tuple[Customer, ...]
    contacts: tuple[Contact, ...]
    orders: tuple[Order, ...]
    staff: tuple[StaffMember, ...]
    problems: tuple[Problem, ...]
    rows_read: Mapping[str, int]


@dataclass(frozen=True)
class StaffNames:
    """Names on the Staff sheet, for checking owners and log entries against it."""

    names: frozenset[str]
    sheet: str

    def lacks(self, name: str | None) -> bool:
        """A name typed that the Staff sheet does not hold."""
        return bool(name) and name not in self.names


@dataclass(frozen=True)
class SheetInput:
    sheet: RawSheet
    layout: SheetLayout


@dataclass(frozen=True)
class SheetChecked(Generic[R]):
    """One sheet validated: its records, the problems found in it and the rows read (nothing
    when the workbook has no such sheet)."""

    records: tuple[R, ...] = ()
    problems: tuple[Problem, ...] = ()
    rows_read: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Register:
    """The staff list and the customer register validated: what the contact log and the
    orders are checked against."""

    staff: SheetChecked[StaffMember]
    customers: SheetChecked[Customer]
    staff_names: StaffNames | None
    sheet: str  # the register's name, for problems that point at it
    ids: frozenset[str]


def validate(inputs: Mapping[SheetKind, SheetInput], options: ParseOptions) -> Validated:
    """Read every sheet present; Customers is required, the others are optional."""
    register = validate_register(inputs, options)
    log = validate_log(inputs, options, register)
    return validated(register, log, validate_orders(inputs, options, register))


def validated(
    register: Register, log: SheetChecked[Contact], orders: SheetChecked[Order]
) -> Validated:
    """The sheets' results as one, problems and rows in the sheets' order."""
    sheets: tuple[SheetChecked[Any], ...] = (register.staff, register.customers, log, orders)
    return Validated(
        register.customers.records,
        log.records,
        orders.records,
        register.staff.records,
        tuple(p for sheet in sheets for p in sheet.problems),
        {name: rows for sheet in sheets for name, rows in sheet.rows_read.items()},
    )


def validate_register(inputs: Mapping[SheetKind, SheetInput], options: ParseOptions) -> Register:
    staff: SheetChecked[StaffMember] = SheetChecked()
    staff_names = None
    if staff_rr := _reader(inputs, SheetKind.STAFF, options):
        rows = _Counted(staff_rr)
        staff = _checked(staff_rr, _staff(staff_rr, rows), rows.count)
        staff_names = StaffNames(frozenset(s.name for s in staff.records), staff_rr.sheet.name)
    customer_rr = _reader(inputs, SheetKind.CUSTOMERS, options)
    if customer_rr is None:
        raise ValueError("validate() needs the customer register")
    table = customer_rr.table()
    customers = _checked(
        customer_rr, _customers(customer_rr, table, staff_names, options), len(table)
    )
    ids = frozenset(c.id for c in customers.records)
    return Register(staff, customers, staff_names, customer_rr.sheet.name, ids)


def validate_log(
    inputs: Mapping[SheetKind, SheetInput],
    options: ParseOptions,
    register: Register,
    *,
    records: bool = True,
) -> SheetChecked[Contact]:
    """The contact log's entries and problems; `records=False`: its problems only (the
    same ones), without making a record of every entry."""
    rr = _reader(inputs, SheetKind.VISITS, _for_records(options, records))
    if rr is None:
        return SheetChecked()
    table = rr.table()  # the contact log and orders are checked column by column
    customers, ids = register.customers.records, register.ids
    contacts = _contacts(
        rr, table, customers, ids, register.staff_names, register.sheet, records=records
    )
    return _checked(rr, contacts, len(table))


def validate_orders(
    inputs: Mapping[SheetKind, SheetInput],
    options: ParseOptions,
    register: Register,
    *,
    records: bool = True,
) -> SheetChecked[Order]:
    """The orders and their problems; `records=False`: the problems only (the same ones)."""
    rr = _reader(inputs, SheetKind.ORDERS, _for_records(options, records))
    if rr is None:
        return SheetChecked()
    table = rr.table()
    orders = _orders(
        rr, table, register.ids, register.staff_names, options, register.sheet, records=records
    )
    return _checked(rr, orders, len(table))


def _for_records(options: ParseOptions, records: bool) -> ParseOptions:
    """Without records, amounts typed as numbers need no exact decimal."""
    return options if records else replace(options, exact_amounts=False)


def _reader(
    inputs: Mapping[SheetKind, SheetInput], kind: SheetKind, options: ParseOptions
) -> RowReader | None:
    if kind not in inputs:
        return None
    rr = RowReader(inputs[kind].sheet, inputs[kind].layout, options)
    rr.duplicate_columns()
    rr.merged_ranges()
    return rr


class _Counted:
    """A sheet's rows as the rules take them (a problem found in reading a row comes before
    those the rules find in it), counted."""

    def __init__(self, rr: RowReader) -> None:
        self.rr = rr
        self.count = 0

    def __iter__(self) -> Iterator[Row]:
        for row in self.rr.rows():
            self.count += 1
            yield row


def _checked(rr: RowReader, records: Iterable[R], rows: int) -> SheetChecked[R]:
    problems = (*rr.problems, *rr.word_problems())
    return SheetChecked(tuple(records), problems, {rr.sheet.name: rows})


def _record(cls: type[R], row: Row, **fixed: Any) -> R:
    """A record from a row: each field takes the value of the column of the same name.

    Every field of a sheet is a field of its record (a test holds the schema to that).
    """
    return cls(row=row.index, **{**row.values, **fixed})


def _records(cls: type[R], table: Table, **fixed: Iterable[Any]) -> list[R]:
    """A record for every position of a table, each field from its column (None where the
    cell is blank). The caller keeps those of the rows it found nothing wrong with: the
    others are taken again row by row, with their problems."""
    names = [f.name for f in fields(cls)]
    columns = [fixed[n] if n in fixed else table.stream(n) for n in names[1:]]
    return list(map(builder(cls), table.rows, *columns))


def _unknown_staff(table: Table, field: str, staff: StaffNames | None) -> list[int]:
    """Positions whose staff name is not on the Staff sheet (see _staff_ref)."""
    if staff is None:
        return []
    return table.where(field, staff.lacks)


def _staff_ref(rr: RowReader, row: Row, field: str, staff: StaffNames | None) -> None:
    name = row.get(field)
    if staff is not None and staff.lacks(name):
        rr.problem(
            row.index,
            rr.layout.columns[field],
            "ref.unknown_staff",
            Severity.WARNING,
            name=name,
            sheet=staff.sheet,
        )


def _report_duplicates(
    rr: RowReader, keyed: list[tuple[str, int]], field: str, code: str, severity: Severity
) -> set[int]:
    """A problem on every row of a repeated key; returns the rows after the first one."""
    if len(dict(keyed)) == len(keyed):
        return set()  # every key once (made in C: 100,000 order numbers in 5 ms)
    first: dict[str, int] = {}
    repeated: dict[str, list[int]] = {}
    for key, index in keyed:
        if key not in first:
            first[key] = index  # the common case: no list per key
        elif key in repeated:
            repeated[key].append(index)
        else:
            repeated[key] = [first[key], index]
    later: set[int] = set()
    param = "name" if field == "name" else "id"
    for key, indexes in repeated.items():
        listed = ", ".join(str(i + 1) for i in indexes)
        for i in indexes:
            rr.problem(
                i, rr.layout.columns[field], code, severity, params=((param, key), ("rows", listed))
            )
        later.update(indexes[1:])
    return later


def _staff(rr: RowReader, rows: Iterable[Row]) -> tuple[StaffMember, ...]:
    good = [row for row in rows if rr.require(row, "name")]
    later = _report_duplicates(
        rr,
        [(r.values["name"], r.index) for r in good],
        "name",
        "staff.duplicate_name",
        Severity.WARNING,
    )
    return tuple(
        _record(StaffMember, r, active=r.get("active") is not False)
        for r in good
        if r.index not in later
    )


def _customers(
    rr: RowReader, table: Table, staff: StaffNames | None, options: ParseOptions
) -> tuple[Customer, ...]:
    """The register's customers. As for the log and the orders, the checks run on whole
    columns first, and only the rows where one of them finds something are taken row by
    row, in order, so that the problems come as a row-by-row reading gives them: each
    row's cells and missing id, then the repeated ids, then each row's name, birthday and
    owner (the demo's 10,000 customers: 0.14 s row by row, 0.08 s so)."""
    # A row with a bad cell, or without an id: read row by row now (its cells reported).
    read: dict[int, Row] = {}
    for i in sorted({*table.flagged, *table.blank("id")}):
        row = read[i] = rr.row(table, i)
        if "id" not in row.values and "id" not in row.bad:
            # Trailing junk ("Total"), or a customer typed without an id.
            rr.problem(row.index, _first_filled(rr, row.index), "row.no_id", Severity.WARNING)
    ids = list(table.stream("id"))
    with_id = [i for i in range(len(table)) if i not in read or "id" in read[i].values]
    later = _report_duplicates(
        rr,
        [(ids[i] if i not in read else read[i].values["id"], table.rows[i]) for i in with_id],
        "id",
        "customer.duplicate_id",
        Severity.ERROR,
    )
    names = _full_names(table, read)
    birthdays = _birthdays(rr, table, read)
    attention = set(read)
    attention.update(i for i, name in enumerate(names) if not name)
    attention.update(i for i, (day, _) in enumerate(birthdays) if day and day > options.today)
    attention.update(_unknown_staff(table, "owner", staff))
    made = _records(
        Customer,
        table,
        name=names,
        birthday=(day for day, _ in birthdays),
        birthday_calendar=(calendar for _, calendar in birthdays),
    )
    customers = []
    for i in with_id:
        if i not in attention:
            if table.rows[i] not in later:
                customers.append(made[i])
            continue
        row = read[i] if i in read else rr.row(table, i)
        name = full_name(row.get("name"), row.get("given_name"), row.get("family_name"))
        if not name:
            rr.require(row, "name" if "name" in rr.layout.columns else "given_name")
        birthday, calendar = _birthday(rr, row)
        if birthday is not None and birthday > options.today:
            rr.problem(
                row.index,
                rr.layout.columns["birthday"],
                "date.in_future",
                today=options.today.isoformat(),
            )
            birthday = None
        _staff_ref(rr, row, "owner", staff)
        if row.index in later:
            continue
        customers.append(
            _record(Customer, row, name=name, birthday=birthday, birthday_calendar=calendar)
        )
    return tuple(customers)


def _full_names(table: Table, skipped: Container[int]) -> list[str]:
    """Each position's name as full_name makes it ("" where there is none, and at the
    skipped positions, whose cells may be bad)."""
    names = zip(
        table.stream("name"), table.stream("given_name"), table.stream("family_name"), strict=True
    )
    return ["" if i in skipped else full_name(*name) for i, name in enumerate(names)]


def _birthdays(
    rr: RowReader, table: Table, skipped: Container[int]
) -> list[tuple[dt.date | None, Calendar | None]]:
    """Each position's birthday and calendar as _birthday gives them (none at the skipped
    positions, whose cells may be bad)."""
    lunar_header = "birthday" in rr.layout.columns and _lunar_header(rr.layout)
    typed = zip(table.stream("birthday"), table.stream("birthday_calendar"), strict=True)
    return [
        (None, None) if i in skipped else _solar_birthday(day, calendar, lunar_header)
        for i, (day, calendar) in enumerate(typed)
    ]


def _birthday(rr: RowReader, row: Row) -> tuple[dt.date | None, Calendar | None]:
    typed, calendar = row.get("birthday"), row.get("birthday_calendar")
    return _solar_birthday(typed, calendar, typed is not None and _lunar_header(rr.layout))


def _solar_birthday(
    typed: dt.date | LunarDay | None, calendar: Calendar | None, lunar_header: bool
) -> tuple[dt.date | None, Calendar | None]:
    """The birthday as a solar date and its calendar. Typed as a lunar date (农历三月初八),
    or a date in a column headed 农历生日, it is lunar whatever the calendar column says
    when that is empty; the solar date stands for the lunar month and day."""
    if isinstance(typed, LunarDay):
        return lunar_birth_date(typed.month, typed.day, typed.year), Calendar.LUNAR
    if typed is not None and calendar is None and lunar_header:
        return lunar_birth_date(typed.month, typed.day, typed.year), Calendar.LUNAR
    return typed, calendar


def _lunar_header(layout: SheetLayout) -> bool:
    header = layout.header_of("birthday").casefold()
    return any(word in header for word in LUNAR_HEADER_WORDS)


def full_name(name: str | None, given: str | None, family: str | None) -> str:
    """The name as people write it: 王 + 芳 → 王芳 (family first, no space, in Chinese),
    Mary + Johnson → Mary Johnson, Nombre + Apellidos → 'Ana García López'."""
    first = name or given or ""
    if not family or family in first:
        return first
    if _is_cjk(family + first):
        return family + first
    return f"{first} {family}".strip()


def _is_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


def _first_filled(rr: RowReader, row: int) -> int:
    cells = rr.sheet.rows[row]
    return next((c for c, v in enumerate(cells) if not is_blank(v)), 0)


def _contacts(
    rr: RowReader,
    table: Table,
    customers: tuple[Customer, ...],
    ids: frozenset[str],
    staff: StaffNames | None,
    register: str,
    *,
    records: bool,
) -> tuple[Contact, ...]:
    """The log's entries (none when `records` is false). The checks run on whole columns
    first; only the rows where one of them finds something go through the row-by-row
    checks, which report it."""
    # (type, channel) of each entry, one tuple per distinct pair of words.
    pairs: dict[tuple[Any, Any], tuple[ContactType | None, ContactType | None]] = {}
    kinds = [
        pairs[pair] if pair in pairs else pairs.setdefault(pair, contact_kind(*pair))
        for pair in zip(table.stream("type"), table.stream("channel"), strict=True)
    ]
    by_phone = {c.phone: c.id for c in customers if c.phone}
    linked = _linked_customers(table, by_phone)
    attention = set(table.flagged)
    attention.update(table.blank("date"))
    attention.update(i for i, (kind, _) in enumerate(kinds) if kind is None)
    attention.update(i for i, c in enumerate(linked) if c is None)  # reported row by row
    attention.update(table.where("customer_id", lambda c: c not in ids))
    attention.update(_unknown_staff(table, "staff", staff))
    made = (
        _records(
            Contact,
            table,
            customer_id=linked,
            type=(kind for kind, _ in kinds),
            channel=(channel for _, channel in kinds),
        )
        if records
        else []
    )
    if not attention:
        return tuple(made)
    kind_column = "type" if "type" in rr.layout.columns else "channel"
    contacts = []
    # Without records only the rows to report are visited, in the same order.
    for i in range(len(made)) if records else sorted(attention):
        if i not in attention:
            contacts.append(made[i])
            continue
        row = rr.row(table, i)
        complete = rr.require(row, "date")
        kind, channel = contact_kind(row.get("type"), row.get("channel"))
        if kind is None:
            rr.require(row, kind_column)  # a blank one is reported; a bad word already was
        customer_id = _link_customer(rr, row, ids, by_phone, register)
        _staff_ref(rr, row, "staff", staff)
        if not complete or customer_id is None or kind is None or not records:
            continue
        contacts.append(_record(Contact, row, customer_id=customer_id, type=kind, channel=channel))
    return tuple(contacts)


def _linked_customers(table: Table, by_phone: Mapping[str, str]) -> list[Any]:
    """Each entry's customer id; where the id is blank, the id of the customer with the
    entry's phone number [004], or None (the row is then taken row by row and reported).
    A bad cell gives its bad value: its row is flagged already."""
    return [
        customer_id
        if customer_id is not None
        else by_phone.get(phone)
        if isinstance(phone, str)
        else None
        for customer_id, phone in zip(
            table.stream("customer_id"), table.stream("phone"), strict=True
        )
    ]


def contact_kind(
    what: ContactType | None, how: ContactType | None
) -> tuple[ContactType | None, ContactType | None]:
    """(type, channel) of a log entry from its "what" and "how" columns: a purpose
    (complaint, quote...) is the type whatever column it was typed in, and the channel is
    kept beside it; with no purpose the channel is the type."""
    if what is None or (what not in PURPOSES and how is not None and how in PURPOSES):
        what, how = how, what
    return what, (how if how is not what else None)


def _link_customer(
    rr: RowReader, row: Row, ids: AbstractSet[str], by_phone: Mapping[str, str], register: str
) -> str | None:
    """The customer a log entry is about: by id, else by phone number [004]."""
    cols = rr.layout.columns
    customer_id = row.get("customer_id")
    if customer_id is not None:
        if customer_id in ids:
            return str(customer_id)
        rr.problem(
            row.index, cols["customer_id"], "ref.unknown_customer", id=customer_id, sheet=register
        )
        return None
    if "customer_id" in row.bad:
        return None
    phone = row.get("phone")
    if phone is not None:
        if phone in by_phone:
            return by_phone[phone]
        rr.problem(row.index, cols["phone"], "ref.unknown_phone", sheet=register)
        return None
    if "phone" not in row.bad:
        col = cols.get("customer_id", cols.get("phone", 0))
        rr.problem(row.index, col, "ref.no_customer")
    return None


def _orders(
    rr: RowReader,
    table: Table,
    ids: frozenset[str],
    staff: StaffNames | None,
    options: ParseOptions,
    register: str,
    *,
    records: bool,
) -> tuple[Order, ...]:
    """The orders (none when `records` is false). The checks run on whole columns first;
    only the rows where one of them finds something go through the row-by-row checks,
    which report it."""

    # Each check once, for the columns and for the rows it flags.
    def unknown(customer_id: str) -> bool:
        return customer_id not in ids

    def in_future(day: dt.date) -> bool:
        return day > options.today

    def negative(amount: Decimal | float) -> bool:  # a float where check reads amounts
        return amount < 0

    attention = set(table.flagged)
    for required in ("date", "customer_id", "amount"):
        attention.update(table.blank(required))
    attention.update(table.where("customer_id", unknown))
    attention.update(table.where("date", in_future))
    attention.update(table.where("amount", negative))
    attention.update(_unknown_staff(table, "staff", staff))
    made = _records(Order, table) if records else []
    order_ids = list(table.stream("order_id"))
    if not attention:  # a clean order list, the common case: nothing to report row by row
        keyed = [(o, r) for o, r in zip(order_ids, table.rows, strict=True) if o is not None]
        return _first_of_each_number(rr, keyed, made)
    cols = rr.layout.columns
    keyed = []
    orders = []
    for i, order_id in enumerate(order_ids):
        if i not in attention:
            if order_id is not None:
                keyed.append((order_id, table.rows[i]))
            if records:
                orders.append(made[i])
            continue
        row = rr.row(table, i)
        complete = rr.require(row, "date", "customer_id", "amount")
        v = row.values
        if "order_id" in v:
            keyed.append((v["order_id"], row.index))
        customer_id = v.get("customer_id")
        if customer_id is not None and unknown(customer_id):
            rr.problem(
                row.index,
                cols["customer_id"],
                "ref.unknown_customer",
                id=customer_id,
                sheet=register,
            )
            complete = False
        if "date" in v and in_future(v["date"]):
            rr.problem(
                row.index,
                cols["date"],
                "date.in_future",
                Severity.WARNING,
                today=options.today.isoformat(),
            )
        if "amount" in v and negative(v["amount"]):
            rr.problem(row.index, cols["amount"], "amount.negative", Severity.WARNING)
        _staff_ref(rr, row, "staff", staff)
        if not complete or not records:
            continue
        orders.append(_record(Order, row, customer_id=str(customer_id)))
    return _first_of_each_number(rr, keyed, orders)


def _first_of_each_number(
    rr: RowReader, keyed: list[tuple[str, int]], orders: list[Order]
) -> tuple[Order, ...]:
    """The orders but the later ones of a repeated order number, which are reported."""
    later = _report_duplicates(rr, keyed, "order_id", "order.duplicate_id", Severity.WARNING)
    return tuple(o for o in orders if o.row not in later) if later else tuple(orders)


__all__ = ["SheetInput", "StaffNames", "Validated", "validate"]
