"""Validation on both cores: the contact log in a forked copy, the orders here.

Problems are few next to the records they come from, so the copy sends back the log's
problems and leaves its 100,000 records behind (pickling them would cost more than
validating them). check wants nothing else; a sync wants what its plans need of the log,
which the copy folds into one small record per customer (`ContactLog`), while this process
validates the orders and ranks the customers. The staff list and the register are
validated first, once: both sides check their sheet against them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from functools import partial

from sheetcrm.forked import Apart
from sheetcrm.records import Contact
from sheetcrm.rules.contact_log import ContactLog, contact_log
from sheetcrm.rules.rows import ParseOptions
from sheetcrm.rules.tier_report import TierParams, TierRow, compute_tiers
from sheetcrm.rules.validate import (
    Register,
    SheetChecked,
    SheetInput,
    Validated,
    validate_log,
    validate_orders,
    validate_register,
    validated,
)
from sheetcrm.schema import SheetKind


def problems_on_both_cores(
    inputs: Mapping[SheetKind, SheetInput], options: ParseOptions
) -> Validated:
    """validate()'s problems and rows read, with the register's and staff's records only."""
    register = validate_register(inputs, options)
    log_problems = partial(validate_log, inputs, options, register, records=False)
    with Apart(log_problems) as log:
        orders = validate_orders(inputs, options, register, records=False)
        return validated(register, log.result(), orders)


def validated_and_ranked(
    inputs: Mapping[SheetKind, SheetInput],
    options: ParseOptions,
    tiers: TierParams,
    *,
    log_records: bool,
) -> tuple[Validated, ContactLog, dict[str, TierRow]]:
    """validate(), the contact log folded for the plans, and the customers' tiers, all of
    `options.today`. With `log_records` false, the log is validated and folded in a copy
    while the orders are validated and the customers ranked here, and Validated.contacts
    is empty; with it true (a caller that reads the records), all of it is done here."""
    register = validate_register(inputs, options)
    work = partial(_log_folded, inputs, options, register, keep=log_records)
    with Apart(work, fork=not log_records) as apart:
        orders = validate_orders(inputs, options, register)
        ranked = compute_tiers(register.customers.records, orders.records, options.today, tiers)
        log, folded = apart.result()
    return validated(register, log, orders), folded, ranked


def _log_folded(
    inputs: Mapping[SheetKind, SheetInput],
    options: ParseOptions,
    register: Register,
    *,
    keep: bool,
) -> tuple[SheetChecked[Contact], ContactLog]:
    log = validate_log(inputs, options, register)
    folded = contact_log(log.records, options.today)
    return (log if keep else replace(log, records=())), folded
