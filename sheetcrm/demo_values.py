"""Values as staff type them, for demo workbooks: names, phones, addresses, dates, amounts."""

from __future__ import annotations

import datetime as dt
import random

import cn2an

from sheetcrm import demo_data as data

_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_ES_MONTHS = (
    "enero", "febrero", "marzo", "abril", "mayo", "junio",
    "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
)  # fmt: skip


class Typist:
    """Makes cell values the way a team in `language` types them; deterministic per `rng`."""

    def __init__(self, rng: random.Random, language: str) -> None:
        self.rng = rng
        self.language = language

    # -- people ----------------------------------------------------------------------------
    def chinese_name(self) -> str:
        given = "".join(self.rng.choice(data.CN_GIVEN) for _ in range(self.rng.choice((1, 2))))
        return self.rng.choice(data.CN_SURNAMES) + given

    def spanish_name(self) -> str:
        return (
            f"{self.rng.choice(data.ES_FIRST)} {self.rng.choice(data.ES_SURNAMES)} "
            f"{self.rng.choice(data.ES_SURNAMES)}"
        )

    def chinese_share(self) -> float:
        return {"zh-Hans": 0.85, "zh-Hant": 0.85, "es": 0.15}.get(self.language, 0.5)

    def phone(self, chinese: bool) -> str:
        if chinese:
            prefix = self.rng.choice(
                ("138", "139", "135", "136", "150", "151", "158", "186", "188")
            )
            rest = f"{self.rng.randint(0, 99_999_999):08d}"
            return self.rng.choice(
                (
                    f"{prefix} {rest[:4]} {rest[4:]}",
                    f"{prefix}{rest}",
                    f"{prefix}-{rest[:4]}-{rest[4:]}",
                )
            )
        digits = f"6{self.rng.randint(10_000_000, 99_999_999)}"
        return self.rng.choice(
            (f"+34 {digits[:3]} {digits[3:6]} {digits[6:]}", f"+34{digits}", f"0034 {digits}")
        )

    def messy_phone(self, phone: str, chinese: bool) -> str:
        digits = "".join(ch for ch in phone if ch.isdigit())
        if chinese:
            return self.rng.choice(
                (digits.translate(_FULL_WIDTH), f"0086 {digits}", f"(+86) {digits}")
            )
        return f"(+34) {digits[-9:]}"

    def address(self, chinese: bool) -> str:
        if chinese:
            city = self.rng.choice(list(data.CN_CITIES))
            road = self.rng.choice(data.CN_CITIES[city])
            return f"{city}{road}{self.rng.randint(1, 300)}号"
        city = self.rng.choice(list(data.ES_CITIES))
        code, streets = data.ES_CITIES[city]
        postal = f"{code}{self.rng.randint(1, 999):03d}"
        return f"{self.rng.choice(streets)} {self.rng.randint(1, 150)}, {postal} {city}"

    def email(self, person_id: str, chinese: bool) -> str:
        domain = self.rng.choice(
            ("qq.com", "163.com", "126.com")
            if chinese
            else ("gmail.com", "hotmail.es", "correo.es")
        )
        return f"{person_id.lower()}.{self.rng.randint(1, 99)}@{domain}"

    def date_text(self, day: dt.date) -> str:
        return self.rng.choice(
            (
                f"{day.year}年{day.month}月{day.day}日",
                f"{day.year}/{day.month}/{day.day}",
                day.isoformat(),
                f"{day.day} de {_ES_MONTHS[day.month - 1]} de {day.year}",
            )
        )

    def amount_text(self, amount: int) -> str:
        options = [f"¥{amount:,}", f"{amount / 10000:g}万", f"{amount / 1000:g}k"]
        if amount % 1000 == 0:
            options.append(cn2an.an2cn(amount))
        if self.language == "es":
            options = [f"{amount:,}".replace(",", ".") + ",00 €", f"{amount / 1000:g}k"]
        return self.rng.choice(options)
