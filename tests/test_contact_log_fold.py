"""The contact log folded for the plans: the last contact of each type, the latest callback
per staff member, the open complaints. A sync folds the log once (in a copy of the process)
and adds the greetings it sends later: the two folds together must say what one fold of
both would."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from sheetcrm.records import Contact
from sheetcrm.rules.contact_log import NEVER, TYPES, Callback, ContactLog, contact_log
from sheetcrm.vocabulary import ContactType

TODAY = dt.date(2027, 2, 1)
CALL, VISIT, SMS = ContactType.CALL, ContactType.VISIT, ContactType.SMS
COMPLAINT = ContactType.COMPLAINT


def entry(
    row: int,
    day: str,
    kind: ContactType,
    cid: str = "C1",
    *,
    staff: str | None = None,
    callback: str | None = None,
    resolved: bool | None = None,
    channel: ContactType | None = None,
) -> Contact:
    return Contact(
        row=row,
        date=dt.date.fromisoformat(day),
        type=kind,
        customer_id=cid,
        staff=staff,
        callback=dt.date.fromisoformat(callback) if callback else None,
        resolved=resolved,
        channel=channel,
    )


def last(log: ContactLog, cid: str, kind: ContactType) -> dt.date | None:
    day = log.by_type[cid][TYPES.index(kind)]
    return None if day == NEVER else day


def test_the_last_contact_of_each_type_and_a_complaint_by_phone_counts_as_a_call() -> None:
    log = contact_log(
        [
            entry(2, "2027-01-05", CALL),
            entry(3, "2027-01-20", CALL),
            entry(4, "2027-01-10", COMPLAINT, channel=CALL),
            entry(5, "2027-01-25", COMPLAINT, channel=CALL),
            entry(6, "2027-03-01", VISIT),  # after today: skipped (validation reports it)
        ],
        TODAY,
    )
    assert (last(log, "C1", CALL), last(log, "C1", COMPLAINT)) == (
        dt.date(2027, 1, 25),
        dt.date(2027, 1, 25),
    )
    assert last(log, "C1", VISIT) is None
    assert [c.row for c in log.complaints["C1"]] == [4, 5]


# (what the log says, what the job sent afterwards, what the plans see)
LATER_CASES = [
    # A greeting sent today is the customer's last SMS.
    ([entry(2, "2026-12-01", SMS)], [entry(0, "2027-02-01", SMS)], ("sms", "2027-02-01")),
    # An older one changes nothing.
    ([entry(2, "2027-01-30", SMS)], [entry(0, "2026-12-01", SMS)], ("sms", "2027-01-30")),
]


def test_what_was_sent_afterwards_moves_the_last_contact_only_forward() -> None:
    for logged, sent, (kind, day) in LATER_CASES:
        both = contact_log(logged, TODAY).then(contact_log(sent, TODAY))
        assert last(both, "C1", ContactType(kind)) == dt.date.fromisoformat(day)


def test_a_callback_typed_twice_on_one_day_and_row_keeps_the_log_s_entry() -> None:
    first = entry(7, "2027-01-10", CALL, staff="Li", callback="2027-02-10")
    again = entry(7, "2027-01-10", VISIT, staff="Li", callback="2027-03-01")
    both = contact_log([first], TODAY).then(contact_log([again], TODAY))
    kept = Callback(7, dt.date(2027, 1, 10), "Li", dt.date(2027, 2, 10))  # the log's
    assert both.callbacks["C1"]["Li"] == kept
    assert contact_log([first, again], TODAY).callbacks["C1"]["Li"] == kept


def test_only_keeps_the_customers_asked_for() -> None:
    log = contact_log(
        [entry(2, "2027-01-05", COMPLAINT, "C1"), entry(3, "2027-01-06", CALL, "C2")], TODAY
    )
    only = log.only({"C2"})
    assert (set(only.by_type), set(only.complaints)) == ({"C2"}, set())


_DAYS = st.dates(dt.date(2026, 10, 1), dt.date(2027, 2, 10))
_ENTRIES = st.builds(
    Contact,
    row=st.integers(2, 6),
    date=_DAYS,
    type=st.sampled_from(TYPES),
    customer_id=st.sampled_from(["C1", "C2", None]),
    staff=st.sampled_from(["Li", "Zhao", None]),
    callback=st.none() | _DAYS,
    resolved=st.sampled_from([True, False, None]),
    channel=st.none() | st.sampled_from([CALL, VISIT]),
)


@given(st.lists(_ENTRIES, max_size=12), st.lists(_ENTRIES, max_size=6))
def test_two_folds_together_are_one_fold_of_both(
    logged: list[Contact], sent: list[Contact]
) -> None:
    together = contact_log(logged, TODAY).then(contact_log(sent, TODAY))
    assert together == contact_log([*logged, *sent], TODAY)
