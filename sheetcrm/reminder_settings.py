"""settings.yaml's `calendar:` and `messages:` sections: when to greet, and how to deliver.

Kept apart from settings.py so each file holds one idea; settings.py composes them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from sheetcrm.outbound import GRACE_DAYS
from sheetcrm.rules.calendar import CustomDate, check_region
from sheetcrm.rules.festivals import check_festivals


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CustomDateSettings(_Model):
    """A date of the company's own: Christmas in China, the shop's anniversary, 腊八 (lunar)."""

    name: str
    date: str  # MM-DD, e.g. "12-25"; with lunar: true, a lunar month and day ("12-08")
    lunar: bool = False
    template: str = "holiday"

    @model_validator(mode="after")
    def _valid(self) -> CustomDateSettings:
        self.as_custom_date()
        return self

    def as_custom_date(self) -> CustomDate:
        month, sep, day = self.date.partition("-")
        if not sep or not month.isdigit() or not day.isdigit():
            raise ValueError(f"date must be MM-DD like 12-25, got {self.date!r}")
        return CustomDate(self.name, int(month), int(day), self.template, self.lunar)


class CalendarSettings(_Model):
    """The festivals `country` greets on (or the `festivals` listed), plus `custom` dates."""

    country: str = "CN"
    subdivision: str | None = None  # checked, kept for older settings: greetings follow festivals
    # Festive days greeted, by key (see README); null: the country's own list. Never every
    # public holiday: not days of mourning or remembrance, and not a dozen a year [003].
    festivals: tuple[str, ...] | None = None
    custom: tuple[CustomDateSettings, ...] = (CustomDateSettings(name="圣诞节", date="12-25"),)
    # Staff are reminded of a customer's birthday this many days ahead, to prepare a gift [000].
    birthday_reminder_days: int = Field(default=3, ge=0, le=60)
    # Customer messages (birthday, holiday, touch) go out at all: false keeps only staff ones.
    greet_customers: bool = True

    @field_validator("festivals")
    @classmethod
    def _known_festivals(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        return None if value is None else check_festivals(value)

    @model_validator(mode="after")
    def _known_region(self) -> CalendarSettings:
        country, subdivision = check_region(self.country, self.subdivision)
        object.__setattr__(self, "country", country)
        object.__setattr__(self, "subdivision", subdivision)
        return self


class QuietHours(_Model):
    """Customer messages go out only between `start` and `end`, local time."""

    start: dt.time = dt.time(8, 0)
    end: dt.time = dt.time(21, 0)


class MessageSettings(_Model):
    company: str = "sheetcrm"  # signs customer messages
    currency: str = "CNY"  # how money is shown in messages (ISO 4217)
    templates: Path | None = None  # a folder whose files override the built-in templates
    # Channels by name (see `channels:`), in order of preference: the first one the
    # recipient can be reached on (e-mail, phone, chat id) is used.
    customer_channels: tuple[str, ...] = ("manual",)  # staff send them by hand, then tick
    # Other channels for some customers: by tier (A: [email, manual]), else by the
    # customer's language (es: [manual]); the rest use customer_channels.
    channels_by_tier: dict[Literal["A", "B", "C", "D"], tuple[str, ...]] = Field(
        default_factory=dict
    )
    channels_by_language: dict[Literal["en", "zh-Hans", "zh-Hant", "es"], tuple[str, ...]] = Field(
        default_factory=dict
    )
    staff_channels: tuple[str, ...] = ("outbox",)
    quiet_hours: QuietHours = QuietHours()
    per_customer_per_day: int | None = Field(default=1, ge=1)  # null: no limit
    # A message missed because the job did not run goes out late only within these days.
    grace_days: dict[str, int] = Field(
        default_factory=lambda: {kind.value: days for kind, days in GRACE_DAYS.items()}
    )
    # The weekly manager summary goes out on this day.
    summary_weekday: Literal[
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"
    ] = "monday"
    # A customer whose "accepts promotions" cell is empty: greeted (true) or not (false).
    greet_when_consent_unknown: bool = True
    # A/B customers with no purchase and no contact for this many days are in the summary.
    quiet_days: int = Field(default=90, ge=1)
    # How customers are addressed: formal (usted; Sra. García, Ms Johnson) or familiar (tú;
    # María, Mary), as many shops write on WhatsApp. Chinese messages always use 您.
    address: Literal["formal", "familiar"] = "formal"

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        if len(value) != 3 or not value.isalpha():
            raise ValueError("must be a three-letter currency code such as CNY, EUR, USD")
        return value.upper()

    @field_validator("grace_days")
    @classmethod
    def _kinds(cls, value: dict[str, int]) -> dict[str, int]:
        known = {kind.value for kind in GRACE_DAYS}
        unknown = set(value) - known
        if unknown:
            raise ValueError(f"unknown message kind {sorted(unknown)[0]!r}; known: {sorted(known)}")
        if any(v < 0 for v in value.values()):
            raise ValueError("grace days cannot be negative")
        return value
