"""Speed work changes nothing a sync writes or reports (issue 10).

Each workbook below is synced on a fixed day and minute; what the sync wrote (every zip
member's content, by SHA-256) and what it reported (every problem line) are compared with
tests/same_output.json, written by this module's `record` from the code as it was before the
speed work of 2026-12-04 (commit c26a5e1). The workbooks: the demo in each of the four
languages, planted problems included; a workbook shaped by xlsxwriter with a title row,
formulas, a chart, a data bar and a table (excel_fixtures.staff_workbook); and three shapes
of the real-workbook matrix (a dropdown from another sheet, a rich-text header, 1904 dates).

To record again after a change that is meant to change the output (from the repository):
    python -m tests.test_same_output tests/same_output.json
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sheetcrm import sync
from sheetcrm.demo import generate_demo
from sheetcrm.settings import load_settings
from tests.excel_fixtures import staff_workbook
from tests.test_excel_matrix import dates_1904, rich_header, x14_dropdown

EXPECTED = Path(__file__).with_name("same_output.json")
SPRING_FESTIVAL = dt.date(2027, 2, 6)  # a day of greetings: messages in the Outbox
# What a writer stamps with its own clock when it makes the file: not the job's output.
UNSTAMPED = {"docProps/core.xml"}


def _demo(language: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        book = folder / "crm.xlsx"
        generate_demo(book, customers=150, language=language, messy=0.08, today=SPRING_FESTIVAL)
        return book

    return make


def _one(make: Callable[[Path], Path]) -> Callable[[Path], Path]:
    return lambda folder: make(folder / "crm.xlsx")


WORKBOOKS: dict[str, tuple[Callable[[Path], Path], str]] = {
    # name: (maker, the settings' language)
    "demo zh-Hans": (_demo("zh-Hans"), "auto"),
    "demo zh-Hant": (_demo("zh-Hant"), "auto"),
    "demo es": (_demo("es"), "auto"),
    "demo en": (_demo("en"), "auto"),
    "xlsxwriter staff workbook": (lambda f: staff_workbook(f / "crm.xlsx", f), "auto"),
    "x14 dropdown from another sheet": (_one(x14_dropdown), "en"),
    "rich-text header": (_one(rich_header), "en"),
    "1904 dates": (_one(dates_1904), "en"),
}


def outcome(make: Callable[[Path], Path], language: str, folder: Path) -> dict[str, object]:
    book = make(folder)
    config = folder / "settings.yaml"
    config.write_text(
        f"workbook: {book.name}\nlanguage: {language}\nbackups: 0\nstate_dir: state\n", "utf-8"
    )
    settings = load_settings(config)
    now = dt.datetime(2027, 2, 6, 10, 30, tzinfo=ZoneInfo(settings.schedule.timezone))
    report = sync.run(settings, today=SPRING_FESTIVAL, now=now)
    with zipfile.ZipFile(book) as z:
        members = {
            name: hashlib.sha256(z.read(name)).hexdigest()
            for name in sorted(z.namelist())
            if name not in UNSTAMPED
        }
    lines = [p.line("en") for p in report.problems]
    return {
        "members": members,
        "problems": len(lines),
        "problem_lines": hashlib.sha256("\n".join(lines).encode()).hexdigest(),
        "first_problems": lines[:3],
        "messages": len(report.messages),
    }


@pytest.mark.parametrize("name", list(WORKBOOKS))
def test_a_sync_writes_and_reports_what_it_did_before_the_speed_work(
    name: str, tmp_path: Path
) -> None:
    expected = json.loads(EXPECTED.read_text("utf-8"))[name]
    got = outcome(*WORKBOOKS[name], tmp_path)
    for key in ("problems", "first_problems", "problem_lines", "messages"):
        assert got[key] == expected[key], key
    members: dict[str, str] = got["members"]  # type: ignore[assignment]
    changed = [m for m in members if expected["members"].get(m) != members[m]]
    assert (changed, sorted(members)) == ([], sorted(expected["members"]))


def record(path: Path) -> None:
    import tempfile

    results = {}
    for name, (make, language) in WORKBOOKS.items():
        with tempfile.TemporaryDirectory() as tmp:
            results[name] = outcome(make, language, Path(tmp))
    path.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", "utf-8")


if __name__ == "__main__":
    record(Path(sys.argv[1]))
