"""What one read of the workbook yields before anything is planned or sent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sheetcrm.problems import Problem
from sheetcrm.rules.contact_log import ContactLog
from sheetcrm.rules.plan_settings import PlanParams
from sheetcrm.rules.plans import PlanResult
from sheetcrm.rules.tier_report import TierRow
from sheetcrm.rules.validate import SheetInput, Validated
from sheetcrm.schema import SheetKind


@dataclass(frozen=True)
class Computed:
    """The records, their tiers and plans, and every problem found on the way."""

    inputs: Mapping[SheetKind, SheetInput]
    validated: Validated
    language: str
    report_language: str
    tiers: Mapping[str, TierRow]
    problems: tuple[Problem, ...]  # validation's, and those the tier and plan rules find
    today: dt.date
    tier_window_days: int  # settings.yaml's, or the Tiers sheet's
    plans: PlanResult
    plan_params: PlanParams  # settings.yaml's plans, or the Tiers sheet's
    contact_log: ContactLog  # the log's fold the plans were made from (the job's sends apart)
