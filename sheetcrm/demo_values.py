"""Values as staff type them, for demo workbooks: names, phones, addresses, dates, amounts.

Each workbook language is one market's shop (zh-Hans: mainland China, zh-Hant: Taiwan, es:
Spain, en: the United States): its customers' names, numbers, addresses and the ways its staff
write dates and money, so a starter workbook reads as that shop's and agrees with the settings
`init` writes for it (phone region, day-first dates, decimal comma).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

import cn2an

from sheetcrm import demo_data as data

_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_ES_MONTHS = (
    "enero", "febrero", "marzo", "abril", "mayo", "junio",
    "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
)  # fmt: skip
_EN_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True)
class Market:
    """What a shop in one market writes in its sheets, besides the words of the schema."""

    language: str  # the customers' language column, and the workbook's
    companies: Sequence[str]
    products: Sequence[str]
    notes: Sequence[str]
    summaries: Sequence[str]
    intentions: Sequence[str]
    roles: Sequence[str]
    email_domains: Sequence[str]
    lunar_birthdays: float  # share of customers whose birthday is kept in the lunar calendar


MARKETS = {
    "zh-Hans": Market(
        "zh-Hans",
        data.CN_COMPANIES,
        data.CN_PRODUCTS,
        data.CN_NOTES,
        data.CN_SUMMARIES,
        data.CN_INTENTIONS,
        data.CN_ROLES,
        ("qq.com", "163.com", "126.com"),
        0.3,
    ),
    "zh-Hant": Market(
        "zh-Hant",
        data.TW_COMPANIES,
        data.TW_PRODUCTS,
        data.TW_NOTES,
        data.TW_SUMMARIES,
        data.TW_INTENTIONS,
        data.TW_ROLES,
        ("gmail.com", "yahoo.com.tw", "hotmail.com"),
        0.3,
    ),
    "es": Market(
        "es",
        data.ES_COMPANIES,
        data.ES_PRODUCTS,
        data.ES_NOTES,
        data.ES_SUMMARIES,
        data.ES_INTENTIONS,
        data.ES_ROLES,
        ("gmail.com", "hotmail.es", "correo.es"),
        0.0,
    ),
    "en": Market(
        "en",
        data.US_COMPANIES,
        data.US_PRODUCTS,
        data.US_NOTES,
        data.US_SUMMARIES,
        data.US_INTENTIONS,
        data.US_ROLES,
        ("gmail.com", "yahoo.com", "outlook.com"),
        0.0,
    ),
}


class Typist:
    """Makes cell values the way a team in `language` types them; deterministic per `rng`."""

    def __init__(self, rng: random.Random, language: str, *, abroad: bool = False) -> None:
        """`abroad`: the shop is outside the language's usual country (a Hong Kong shop
        with Taiwan's sample names): phones are typed with their country code, amounts
        as plain numbers and dates without a day/month order, so that the sample reads the
        same under that country's settings."""
        self.rng = rng
        self.language = language
        self.market = MARKETS[language]
        self.abroad = abroad

    def pick(self, words: Sequence[str]) -> str:
        return self.rng.choice(words)

    # -- people ----------------------------------------------------------------------------
    def name(self) -> str:
        rng = self.rng
        if self.language == "zh-Hans":
            given = "".join(rng.choice(data.CN_GIVEN) for _ in range(rng.choice((1, 2))))
            return rng.choice(data.CN_SURNAMES) + given
        if self.language == "zh-Hant":
            return rng.choice(data.TW_SURNAMES) + rng.choice(data.TW_GIVEN)
        if self.language == "es":
            return (
                f"{rng.choice(data.ES_FIRST)} {rng.choice(data.ES_SURNAMES)} "
                f"{rng.choice(data.ES_SURNAMES)}"
            )
        return f"{rng.choice(data.US_FIRST)} {rng.choice(data.US_SURNAMES)}"

    def phone(self) -> str:
        """A mobile number as the market's staff type it (national form, valid); abroad,
        with its country code."""
        if self.abroad:
            return self._international(self._national_phone())
        return self._national_phone()

    def _international(self, phone: str) -> str:
        digits = "".join(ch for ch in phone if ch.isdigit())
        code = {"zh-Hans": "86", "zh-Hant": "886", "es": "34", "en": "1"}[self.language]
        if phone.startswith("+"):
            return phone
        return f"+{code} {digits.removeprefix('0')}"

    def _national_phone(self) -> str:
        rng = self.rng
        if self.language == "zh-Hans":
            prefix = rng.choice(("138", "139", "135", "136", "150", "151", "158", "186", "188"))
            rest = f"{rng.randint(0, 99_999_999):08d}"
            return rng.choice(
                (
                    f"{prefix} {rest[:4]} {rest[4:]}",
                    f"{prefix}{rest}",
                    f"{prefix}-{rest[:4]}-{rest[4:]}",
                )
            )
        if self.language == "zh-Hant":
            digits = f"09{rng.choice('12356789')}{rng.randint(0, 9_999_999):07d}"
            return rng.choice((f"{digits[:4]}-{digits[4:7]}-{digits[7:]}", digits))
        if self.language == "es":
            digits = f"6{rng.randint(10_000_000, 99_999_999)}"
            return rng.choice((f"{digits[:3]} {digits[3:6]} {digits[6:]}", f"+34 {digits}"))
        area = rng.choice(rng.choice(data.US_CITIES)[3])
        exchange, line = rng.randint(201, 989), rng.randint(0, 9999)
        return rng.choice((f"({area}) {exchange}-{line:04d}", f"{area}-{exchange}-{line:04d}"))

    def messy_phone(self, phone: str) -> str:
        """The same number typed loosely: full-width digits, an international prefix."""
        if self.abroad:
            return phone.replace("+", "(+", 1).replace(" ", ") ", 1)  # (+886) 912345678
        digits = "".join(ch for ch in phone if ch.isdigit())
        if self.language == "zh-Hans":
            return self.rng.choice(
                (digits.translate(_FULL_WIDTH), f"0086 {digits}", f"(+86) {digits}")
            )
        if self.language == "zh-Hant":
            return self.rng.choice((digits.translate(_FULL_WIDTH), f"+886 {digits[1:]}"))
        if self.language == "es":
            return f"(+34) {digits[-9:]}"
        return f"+1 {digits[-10:-7]} {digits[-7:-4]} {digits[-4:]}"

    def address(self) -> str:
        rng = self.rng
        if self.language in ("zh-Hans", "zh-Hant"):
            cities = data.CN_CITIES if self.language == "zh-Hans" else data.TW_CITIES
            city = rng.choice(list(cities))
            suffix = "号" if self.language == "zh-Hans" else "號"
            return f"{city}{rng.choice(cities[city])}{rng.randint(1, 300)}{suffix}"
        if self.language == "es":
            city = rng.choice(list(data.ES_CITIES))
            code, streets = data.ES_CITIES[city]
            street, postal = rng.choice(streets), f"{code}{rng.randint(1, 999):03d}"
            return f"{street} {rng.randint(1, 150)}, {postal} {city}"
        town, state, zip3, _, roads = rng.choice(data.US_CITIES)
        house, road = rng.randint(10, 4999), rng.choice(roads)
        return f"{house} {road}, {town}, {state} {zip3}{rng.randint(1, 99):02d}"

    def email(self, person_id: str) -> str:
        domain = self.rng.choice(self.market.email_domains)
        return f"{person_id.lower()}.{self.rng.randint(1, 99)}@{domain}"

    # -- dates and money -------------------------------------------------------------------
    def date_text(self, day: dt.date) -> str:
        """A date typed as text, in a form the market's settings read without guessing."""
        forms: tuple[str, ...]
        if self.abroad:  # no day/month order to get wrong under another country's settings
            written = {"zh-Hans": f"{day.year}年{day.month}月{day.day}日",
                       "zh-Hant": f"{day.year}年{day.month}月{day.day}日",
                       "es": f"{day.day} de {_ES_MONTHS[day.month - 1]} de {day.year}",
                       "en": f"{_EN_MONTHS[day.month - 1]} {day.day}, {day.year}"}  # fmt: skip
            return self.rng.choice((written[self.language], day.isoformat()))
        if self.language.startswith("zh"):
            forms = (f"{day.year}年{day.month}月{day.day}日", f"{day.year}/{day.month}/{day.day}")
        elif self.language == "es":
            forms = (f"{day.day} de {_ES_MONTHS[day.month - 1]} de {day.year}", f"{day:%d/%m/%Y}")
        else:
            forms = (f"{_EN_MONTHS[day.month - 1]} {day.day}, {day.year}", f"{day:%m/%d/%Y}")
        return self.rng.choice((*forms, day.isoformat()))

    def amount_text(self, amount: int) -> str:
        if self.abroad:  # no separators whose meaning changes with the country
            return str(amount)
        if self.language == "zh-Hans":
            options = [f"¥{amount:,}", f"{amount / 10000:g}万", f"{amount / 1000:g}k"]
            if amount % 1000 == 0:
                options.append(cn2an.an2cn(amount))
        elif self.language == "zh-Hant":
            options = [f"NT${amount:,}", f"{amount / 10000:g}萬"]
        elif self.language == "es":
            thousands = f"{amount / 1000:g}".replace(".", ",")  # 0,5k: a decimal comma
            options = [f"{amount:,}".replace(",", ".") + ",00 €", f"{thousands}k"]
        else:
            options = [f"${amount:,}", f"${amount:,}.00", f"{amount / 1000:g}k"]
        return self.rng.choice(options)
