"""Sync every workbook of a folder as a register, twice, and say what came out damaged.

Usage: .venv/bin/python scripts/corpus.py FOLDER [--jobs 2]

For workbooks the team did not make (public test suites of other spreadsheet libraries): each
file's first sheet with a header of two texts becomes the register through a `headers:`
mapping, then sync runs twice (the second time later, so tiers change). A file is
- refused: sync said in one line why it will not write it (exit 2 or 3), nothing written;
- damaged: what sync wrote breaks a rule Excel enforces (tests/xlsx_rules.py) or the Open XML
  SDK finds an error, that the original did not break or have;
- crashed: a traceback.
The files are not part of the repository; the counts go in the issue's note.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import sys
import tempfile
import traceback
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import python_calamine  # noqa: E402
import yaml  # noqa: E402

from sheetcrm.cells import as_text  # noqa: E402
from sheetcrm.cli import execute  # noqa: E402
from tests.xlsx_rules import problems_of, sdk_errors  # noqa: E402


def register_of(book: Path) -> tuple[str, str, str] | None:
    """The first sheet with a row among its first five that holds two different values, as
    (sheet, id header, name header): the register, whatever its header says."""
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(book))
    except Exception:  # noqa: BLE001 - a file calamine cannot read: sync must say why
        return None
    for name in workbook.sheet_names:
        try:
            rows = workbook.get_sheet_by_name(name).to_python(nrows=6)
        except Exception:  # noqa: BLE001 - a chart sheet, a dialog sheet
            continue
        for header in rows[:-1]:  # a title row may come first
            texts = [t for t in (as_text(v).strip() for v in header) if t]
            if len(texts) >= 2 and texts[0] != texts[1]:
                return name, texts[0], texts[1]
    return None


def one(source: Path) -> tuple[str, str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / ("book" + source.suffix.lower())
        shutil.copy(source, book)
        found = register_of(book)
        settings = {"workbook": book.name, "language": "en"}
        if found is not None:
            sheet, id_header, name_header = found
            settings["sheets"] = {"customers": sheet}
            settings["headers"] = {"customers": {"id": [id_header], "name": [name_header]}}
        config = Path(tmp) / "settings.yaml"
        config.write_text(yaml.safe_dump(settings, allow_unicode=True), "utf-8")
        try:
            before, broken_before = sdk_errors(book), set(problems_of(book))
        except Exception:  # noqa: BLE001 - the checker could not read the original
            before, broken_before = set(), set()
        for today in ("2027-02-01", "2027-09-01"):
            err = io.StringIO()
            original = book.read_bytes()
            try:
                with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                    code = execute(["-c", str(config), "sync", "--today", today])
            except BaseException:  # noqa: BLE001 - what the run is for
                return source.name, "crashed", traceback.format_exc(limit=-3)
            if code in (2, 3):
                if book.read_bytes() != original:
                    return source.name, "damaged", "refused but wrote: " + err.getvalue()
                return source.name, "refused", err.getvalue().strip()
            broken = [p for p in problems_of(book) if p not in broken_before]
            new = sdk_errors(book) - before
            if broken or new:
                return source.name, "damaged", "; ".join([*broken, *sorted(new)])[:2000]
        return source.name, "synced", ""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    files = sorted(p for p in args.folder.rglob("*") if p.suffix.lower() in (".xlsx", ".xlsm"))
    counts: dict[str, int] = {}
    with ProcessPoolExecutor(args.jobs) as pool:
        for name, outcome, detail in pool.map(one, files):
            counts[outcome] = counts.get(outcome, 0) + 1
            if outcome != "synced":
                print(f"{outcome:8} {name}: {detail}", flush=True)
    print(f"{len(files)} files: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))


if __name__ == "__main__":
    main()
