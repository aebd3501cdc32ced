"""check's validation on both cores: the contact log in a forked copy, the orders here.

check wants problems only, and problems are few next to the records they come from, so
the copy sends back the log's problems and leaves its 100,000 records behind (pickling
them would cost more than validating them). A sync needs the records themselves and
validates in one process. The staff list and the register are validated first, once:
both sides check their sheet against them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from functools import partial

from sheetcrm.forked import Apart
from sheetcrm.records import Contact
from sheetcrm.rules.rows import ParseOptions
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
    """validate(), without the contact log's records."""
    register = validate_register(inputs, options)
    with Apart(partial(_log_problems, inputs, options, register)) as log:
        orders = validate_orders(inputs, options, register)
        return validated(register, log.result(), orders)


def _log_problems(
    inputs: Mapping[SheetKind, SheetInput], options: ParseOptions, register: Register
) -> SheetChecked[Contact]:
    return replace(validate_log(inputs, options, register), records=())
