"""`sheetcrm init`: a starter folder with a sample workbook and its settings.yaml."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

from sheetcrm.errors import ConfigError
from sheetcrm.settings import DEFAULT_SETTINGS

WORKBOOK_NAME = "customers.xlsx"

# Per language: how 05/03/1980 and 1.234 are read, and the phone region.
_LOCALE = {
    "en": ("false", "false", "US"),
    "zh-Hans": ("false", "false", "CN"),
    "zh-Hant": ("false", "false", "TW"),
    "es": ("true", "true", "ES"),
}


@dataclass(frozen=True)
class Starter:
    workbook: Path
    settings: Path


def create_starter(directory: Path, *, language: str, customers: int, today: dt.date) -> Starter:
    """Write DIRECTORY/customers.xlsx (sample data) and DIRECTORY/settings.yaml; refuse to
    overwrite either."""
    from sheetcrm.demo import generate_demo

    workbook = directory / WORKBOOK_NAME
    settings = directory / "settings.yaml"
    for path in (workbook, settings):
        if path.exists():
            raise ConfigError(f"{path} already exists; choose an empty folder")
    directory.mkdir(parents=True, exist_ok=True)
    # Created exclusively, settings first: of two inits started at once in one folder, the
    # second stops here; the workbook is linked in only where none exists, never replaced.
    try:
        with settings.open("x", encoding="utf-8") as out:
            out.write(starter_settings(language))
    except FileExistsError:
        raise ConfigError(f"{settings} already exists; choose an empty folder") from None
    draft = directory / f".init-{os.getpid()}-{WORKBOOK_NAME}"
    try:
        generate_demo(draft, customers=customers, seed=1, language=language, today=today)
        os.link(draft, workbook)
    except FileExistsError:
        settings.unlink()
        raise ConfigError(f"{workbook} already exists; choose an empty folder") from None
    except BaseException:
        settings.unlink(missing_ok=True)
        raise
    finally:
        draft.unlink(missing_ok=True)
    return Starter(workbook, settings)


def starter_settings(language: str) -> str:
    """The embedded default, pointed at the starter workbook, without the demo block."""
    day_first, decimal_comma, region = _LOCALE[language]
    text = DEFAULT_SETTINGS.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^workbook: .*$", f"workbook: {WORKBOOK_NAME}", text)
    text = re.sub(r"(?ms)^# Create a demo workbook.*?\n\n", "", text)
    text = re.sub(r"(?m)^demo:\n(?:  .*\n)+\n?", "", text)
    text = re.sub(r"(?m)^phone_region: .*$", f"phone_region: {region}", text)
    text = re.sub(r"(?m)^  day_first: .*$", f"  day_first: {day_first}", text)
    text = re.sub(r"(?m)^  decimal_comma: .*$", f"  decimal_comma: {decimal_comma}", text)
    return text
