"""Records built in bulk (the log's and the orders' rows, the customers' values and tier
rows) are the same frozen records the row-by-row path makes: equal, of the same class,
hashable alike and just as frozen."""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
import subprocess
import sys
from decimal import Decimal
from typing import Any

import pytest

from sheetcrm.frozen_builder import builder
from sheetcrm.records import Contact, Customer, Order, StaffMember
from sheetcrm.rules.tier_report import TierRow
from sheetcrm.rules.value import CustomerValue
from sheetcrm.vocabulary import Calendar, ContactType, Gender, Status, Tier

DAY = dt.date(2027, 1, 5)


def _values(cls: type[Any]) -> tuple[Any, ...]:
    """A value for every field: the row, then something of each field's kind."""
    samples: dict[str, Any] = {
        "row": 7, "date": DAY, "type": ContactType.COMPLAINT, "channel": ContactType.CALL,
        "amount": Decimal("1280.50"), "quantity": 3, "profit": Decimal("300"),
        "gender": Gender.FEMALE, "birthday": dt.date(1985, 3, 2),
        "birthday_calendar": Calendar.LUNAR, "status": Status.CUSTOMER, "tier_override": Tier.A,
        "accepts_promotions": True, "active": False, "satisfaction": 4, "resolved": True,
        "callback": DAY, "since": DAY, "margin_rate": Decimal("0.25"),
    }  # fmt: skip
    return tuple(samples.get(f.name, f"{f.name} 王芳") for f in dataclasses.fields(cls))


@pytest.mark.parametrize("cls", [Customer, Contact, Order, StaffMember, CustomerValue, TierRow])
def test_a_record_built_in_bulk_is_the_record_its_class_makes(cls: type[Any]) -> None:
    values = _values(cls)
    built, made = builder(cls)(*values), cls(*values)
    assert type(built) is cls
    assert built == made and hash(built) == hash(made)
    assert dataclasses.astuple(built) == values
    first = dataclasses.fields(cls)[0].name
    assert dataclasses.replace(built, **{first: 8}) == dataclasses.replace(made, **{first: 8})
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(built, first, 8)


@pytest.mark.parametrize("cls", [Customer, Contact, Order, StaffMember])
def test_a_record_comes_back_whole_from_the_copy_that_folds_the_log(cls: type[Any]) -> None:
    # The copy pickles what it sends: a contact is rebuilt from its values, in field order.
    record = builder(cls)(*_values(cls))
    again = pickle.loads(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))
    assert type(again) is cls
    assert dataclasses.astuple(again) == _values(cls)


def test_importing_the_pipeline_makes_no_twin_until_something_is_built() -> None:
    # check imports the plans, the tiers and the write plan and builds none of them.
    code = (
        "import sheetcrm.sync, sheetcrm.write_plan\n"
        "from sheetcrm.frozen_builder import _twin\n"
        "print(_twin.cache_info().currsize)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["0"]
    assert builder(Order)(*_values(Order)) == Order(*_values(Order))  # made when first asked
