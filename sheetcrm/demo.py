"""Realistic demo workbooks: the demo, the tests and the benchmark run on these.

Names and addresses in Chinese and Spanish, about ten visits and ten orders per customer,
a skewed spend (a few customers buy most: 80/20), and a small share of cells typed the way
staff really type them, some of them wrong. Deterministic for a seed; `today` is an argument.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter

from sheetcrm.demo_values import Typist
from sheetcrm.schema import FIELDS, SHEET_NAMES, SheetKind
from sheetcrm.vocabulary import (
    CALENDAR_WORDS,
    CONTACT_TYPE_WORDS,
    GENDER_WORDS,
    PURPOSES,
    STATUS_WORDS,
    YES_NO_WORDS,
    Calendar,
    ContactType,
    Gender,
    Status,
    YesNo,
)


@dataclass
class DemoSummary:
    customers: int = 0
    visits: int = 0
    orders: int = 0
    staff: int = 0
    messy: int = 0  # cells typed loosely but readable
    invalid: int = 0  # cells or rows that are really wrong
    planted: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.customers} customers, {self.visits} visits, {self.orders} orders, "
            f"{self.staff} staff; {self.messy} messy and {self.invalid} invalid cells planted"
        )


@dataclass
class _Person:
    id: str
    name: str
    phone: str
    status: Status
    owner: str
    size: float


class _Writer:
    """One sheet written row by row (xlsxwriter's constant-memory mode needs row order)."""

    def __init__(self, book: Any, kind: SheetKind, language: str, date_format: Any) -> None:
        self.sheet = book.add_worksheet(SHEET_NAMES[kind][language][0])
        fields = [f for f in FIELDS[kind] if f.name not in _SPLIT_NAMES]
        self.fields = [f.name for f in fields]
        self.date_format = date_format
        self.row = 0
        self.sheet.write_row(0, 0, [f.aliases[language][0] for f in fields])
        self.sheet.freeze_panes(1, 0)

    def write(self, values: dict[str, Any]) -> None:
        self.row += 1
        for col, name in enumerate(self.fields):
            value = values.get(name)
            if value is None:
                continue
            if isinstance(value, _Formula):
                self.sheet.write_formula(self.row, col, value.formula, None, value.result)
            elif isinstance(value, dt.date):
                self.sheet.write_datetime(
                    self.row, col, dt.datetime.combine(value, dt.time()), self.date_format
                )
            elif isinstance(value, str):
                self.sheet.write_string(self.row, col, value)
            else:
                self.sheet.write(self.row, col, value)

    def skip(self) -> None:
        self.row += 1


# The demo's register has one name column, as most shops keep it (exports split it).
_SPLIT_NAMES = frozenset({"given_name", "family_name"})
_CHANNELS = (ContactType.CALL, ContactType.VISIT, ContactType.SMS, ContactType.CHAT)
# The label of the total row staff leave under the orders.
_TOTAL_WORD = {"zh-Hans": "合计", "zh-Hant": "合計", "es": "Total", "en": "Total"}


@dataclass(frozen=True)
class _Formula:
    formula: str
    result: str


def _word(words: Any, member: Any, language: str) -> str:
    return str(words[member][language][0])


class _Demo(Typist):
    """The four sheets of a demo workbook, row by row."""

    def __init__(
        self, seed: int, language: str, messy: float, today: dt.date, abroad: bool = False
    ) -> None:
        super().__init__(random.Random(seed), language, abroad=abroad)
        self.messy = messy
        self.today = today
        self.summary = DemoSummary()

    # -- helpers ---------------------------------------------------------------------------
    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def day_between(self, start: dt.date, end: dt.date) -> dt.date:
        return start + dt.timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    def loose(self) -> bool:
        """True, with probability `messy`, when a cell should be typed the loose way."""
        hit = self.chance(self.messy)
        self.summary.messy += hit
        return hit

    def wrong(self) -> bool:
        """True, with a quarter of the `messy` probability, when a cell should be wrong."""
        hit = self.chance(self.messy / 4)
        self.summary.invalid += hit
        return hit

    # -- sheets ----------------------------------------------------------------------------
    def staff(self, count: int) -> list[str]:
        names: list[str] = []
        while len(names) < count:
            name = self.name()
            if name not in names:
                names.append(name)
        return names

    def write_staff(self, out: _Writer, names: Sequence[str]) -> None:
        inactive = set(names[-max(1, len(names) // 20) :])
        for i, name in enumerate(names):
            out.write(
                {
                    "name": name,
                    "email": f"staff{i + 1}@example.com",
                    "phone": self.phone(),
                    "chat_id": f"wx_staff_{i + 1:03d}",
                    "active": _word(
                        YES_NO_WORDS, YesNo.NO if name in inactive else YesNo.YES, self.language
                    ),
                    "manager": names[0] if i else None,
                    "role": self.pick(self.market.roles),
                }
            )
        self.summary.staff = len(names)

    def customers(self, count: int, staff: Sequence[str]) -> list[_Person]:
        people = []
        statuses = (Status.CUSTOMER,) * 14 + (Status.PROSPECT,) * 3 + (Status.VISITOR, Status.LOST)
        for n in range(1, count + 1):
            people.append(
                _Person(
                    id=f"C{n:05d}",
                    name=self.name(),
                    phone=self.phone(),
                    status=self.rng.choice(statuses),
                    owner=self.rng.choice(staff[1:] or staff),
                    size=self.rng.paretovariate(1.3),
                )
            )
        return people

    def write_customers(self, out: _Writer, people: Sequence[_Person]) -> None:
        lang = self.language
        for i, p in enumerate(people):
            if i and i % 997 == 0:
                out.skip()  # a blank row in the middle, as staff leave them
            birthday = self.day_between(dt.date(1950, 1, 1), dt.date(2004, 12, 31))
            email = self.email(p.id)
            # Loosely typed: any of the language's words for the status, not the first one.
            status_words = STATUS_WORDS[p.status][lang]
            status = self.pick(status_words) if self.loose() else status_words[0]
            values: dict[str, Any] = {
                "id": p.id,
                "name": p.name,
                "phone": self.messy_phone(p.phone) if self.loose() else p.phone,
                "email": email.replace("@", "＠") if self.loose() else email,
                "gender": _word(GENDER_WORDS, self.rng.choice((Gender.MALE, Gender.FEMALE)), lang),
                "birthday": self.date_text(birthday) if self.loose() else birthday,
                "birthday_calendar": _word(
                    CALENDAR_WORDS,
                    Calendar.LUNAR if self.chance(self.market.lunar_birthdays) else Calendar.SOLAR,
                    lang,
                ),
                "address": self.address(),
                "organisation": self.pick(self.market.companies) if self.chance(0.3) else None,
                "status": status,
                "owner": p.owner,
                "language": self.market.language,
                "accepts_promotions": _word(
                    YES_NO_WORDS, YesNo.YES if self.chance(0.8) else YesNo.NO, lang
                ),
                "since": self.day_between(
                    self.today - dt.timedelta(days=2000), self.today - dt.timedelta(days=30)
                ),
                "notes": self.pick(self.market.notes) if self.chance(0.4) else None,
                "wechat": f"wxid_{p.id.lower()}"
                if lang.startswith("zh") and self.chance(0.5)
                else None,
            }
            self.plant_errors(values, people, i)
            out.write(values)
        self.summary.customers = len(people)

    def plant_errors(self, values: dict[str, Any], people: Sequence[_Person], i: int) -> None:
        if self.wrong():
            values["phone"] = "12345"
        if self.wrong():
            values["email"] = "not an email"
        if self.wrong():
            values["birthday"] = "31/02/1985"
        if self.wrong() and i:
            values["id"] = people[i - 1].id  # a duplicate id
        if self.wrong():
            values["notes"] = _Formula("=1/0", "#DIV/0!")

    def write_visits(self, out: _Writer, people: Sequence[_Person], staff: Sequence[str]) -> None:
        lang = self.language
        types = [
            ContactType.VISIT,
            ContactType.CALL,
            ContactType.CALL,
            ContactType.SMS,
            ContactType.CHAT,
            ContactType.EMAIL,
            ContactType.COMPLAINT,
            ContactType.SURVEY,
            ContactType.GREETING,
        ]
        start = self.today - dt.timedelta(days=730)
        for p in people:
            for _ in range(self.rng.randint(0, 20)):
                kind = self.rng.choice(types)
                day = self.day_between(start, self.today)
                callback = (
                    day + dt.timedelta(days=self.rng.randint(3, 60)) if self.chance(0.2) else None
                )
                values: dict[str, Any] = {
                    "date": self.date_text(day) if self.loose() else day,
                    "customer_id": p.id if not self.chance(0.05) else None,
                    "customer_name": p.name,
                    "phone": p.phone,
                    "staff": self.rng.choice(staff),
                    # What it was about, and how: a purpose in one column, the channel in
                    # the other, as a log with 类型 and 方式 keeps them.
                    "type": _word(CONTACT_TYPE_WORDS, kind, lang) if kind in PURPOSES else None,
                    "channel": _word(
                        CONTACT_TYPE_WORDS,
                        self.rng.choice(_CHANNELS) if kind in PURPOSES else kind,
                        lang,
                    ),
                    "summary": self.pick(self.market.summaries),
                    "intention": self.pick(self.market.intentions) if self.chance(0.3) else None,
                    "callback": callback,
                    "resolved": _word(
                        YES_NO_WORDS, YesNo.YES if self.chance(0.7) else YesNo.NO, lang
                    )
                    if kind is ContactType.COMPLAINT
                    else None,
                    "satisfaction": self.rng.randint(1, 5) if kind is ContactType.SURVEY else None,
                }
                if self.wrong():
                    values["customer_id"] = "C99999"
                out.write(values)
                self.summary.visits += 1

    def write_orders(self, out: _Writer, people: Sequence[_Person], staff: Sequence[str]) -> None:
        start = self.today - dt.timedelta(days=3 * 365)
        number = 0
        total = 0
        buyers = [p for p in people if p.status in (Status.CUSTOMER, Status.LOST)]
        per_buyer = 10 * len(people) / max(1, len(buyers))
        for p in buyers:
            for _ in range(self.rng.randint(1, max(1, round(2 * per_buyer - 1)))):
                number += 1
                amount = int(min(2_000_000, 500 * p.size * self.rng.lognormvariate(0, 0.6)))
                amount = max(100, round(amount, -2))
                margin = self.rng.uniform(0.05, 0.4)
                day = self.day_between(start, self.today)
                values: dict[str, Any] = {
                    "order_id": f"O{number:06d}",
                    "date": day,
                    "customer_id": p.id,
                    "product": self.pick(self.market.products),
                    "quantity": self.rng.randint(1, 3),
                    "amount": self.amount_text(amount) if self.loose() else amount,
                    "profit": round(amount * margin, 2),
                    "cost": round(amount * (1 - margin), 2) if self.chance(0.3) else None,
                    "staff": p.owner,
                }
                if self.wrong():
                    values["customer_id"] = "C99999"
                total += amount
                out.write(values)
                self.summary.orders += 1
        out.write(
            {"order_id": _TOTAL_WORD[self.language], "amount": total}
        )  # trailing junk: a total row under the data
        self.summary.invalid += 1


def generate_demo(
    path: Path,
    *,
    customers: int,
    seed: int = 7,
    language: str = "zh-Hans",
    messy: float = 0.02,
    today: dt.date,
    abroad: bool = False,
) -> DemoSummary:
    """Write a demo workbook with Customers, Visits, Orders and Staff sheets to `path`.
    `abroad`: for a shop outside the language's usual country (see Typist)."""
    demo = _Demo(seed, language, messy, today, abroad)
    book = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    staff_names = demo.staff(max(3, customers // 50))
    people = demo.customers(customers, staff_names)
    demo.write_customers(_Writer(book, SheetKind.CUSTOMERS, language, date_format), people)
    demo.write_visits(_Writer(book, SheetKind.VISITS, language, date_format), people, staff_names)
    demo.write_orders(_Writer(book, SheetKind.ORDERS, language, date_format), people, staff_names)
    demo.write_staff(_Writer(book, SheetKind.STAFF, language, date_format), staff_names)
    book.close()
    return demo.summary
