"""An adversarial run of a busy office: staff saves and a second sync landing at random moments
of real `sheetcrm sync` processes, counting what was lost.

    python benchmarks/busy_office.py [--customers 2000] [--rounds 12]

Each round copies a demo workbook, starts `sheetcrm sync` as its own process and, after a
random delay within the sync's measured duration, saves a staff version (a customer added)
over the workbook — in place in half the rounds, by rename as Excel saves in the other half.
A staff save is lost when the workbook at the end does not hold the added customer. Then
pairs of syncs are started at once, counting the rounds in which both wrote. No test asserts
these counts; the README records them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl
import python_calamine

TODAY = dt.date(2027, 2, 1)
ADDED = "STAFF-SAVE"


def sync_command(config: Path) -> list[str]:
    return [sys.executable, "-m", "sheetcrm", "-c", str(config), "sync", "--today", str(TODAY)]


def staff_version(source: Path, out: Path) -> bytes:
    """The workbook as a staff member saves it: one customer added at the bottom."""
    book = openpyxl.load_workbook(source)
    register = book.worksheets[0]
    register.append([ADDED, "Staff Save"])
    book.save(out)
    return out.read_bytes()


def holds_the_staff_customer(book: Path) -> bool:
    workbook = python_calamine.CalamineWorkbook.from_path(str(book))
    rows = workbook.get_sheet_by_name(workbook.sheet_names[0]).to_python()
    return any(row and row[0] == ADDED for row in rows)


def save(book: Path, staff: bytes, by_rename: bool) -> None:
    if by_rename:
        draft = book.with_name("~staff-saving.tmp")
        draft.write_bytes(staff)
        os.replace(draft, book)
    else:
        with book.open("r+b") as f:
            f.truncate(0)
            f.write(staff)


def round_with_a_save(work: Path, source: Path, staff: bytes, delay: float, by_rename: bool) -> str:
    folder = Path(tempfile.mkdtemp(dir=work))
    book = folder / "crm.xlsx"
    shutil.copyfile(source, book)
    config = folder / "settings.yaml"
    config.write_text(f"workbook: crm.xlsx\nbackups: 1\nstate_dir: {folder / 'state'}\n")
    process = subprocess.Popen(sync_command(config), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(delay)
    save(book, staff, by_rename)
    _, err = process.communicate()
    code = process.returncode
    if holds_the_staff_customer(book):
        return "kept (sync refused)" if code == 3 else "kept"
    return f"LOST (sync exit {code}: {err.decode().strip()[:120]})"


def two_syncs_at_once(work: Path, source: Path) -> str:
    """Two syncs started together: 'serialised' when the second read what the first wrote
    (its backup is the first's result, not the original), 'overlapped' when both wrote from
    the same read, else what the second said."""
    folder = Path(tempfile.mkdtemp(dir=work))
    shutil.copyfile(source, folder / "crm.xlsx")
    config = folder / "settings.yaml"
    config.write_text(f"workbook: crm.xlsx\nbackups: 2\nstate_dir: {folder / 'state'}\n")
    processes = [
        subprocess.Popen(sync_command(config), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    errors = [p.communicate()[1].decode().strip() for p in processes]
    backups = sorted((folder / ".sheetcrm-backups").glob("crm.*.xlsx"))
    original = source.read_bytes()
    codes = [p.returncode for p in processes]
    if len(backups) == 2:
        return "overlapped" if backups[1].read_bytes() == original else "serialised"
    if len(backups) == 1 and codes == [0, 0]:
        return "serialised (the second read the first's result: nothing left to write)"
    return f"exits {codes}: " + next((e for e in errors if e), "")[:120]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    from sheetcrm.demo import generate_demo

    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        source = work / "demo.xlsx"
        generate_demo(source, customers=args.customers, today=TODAY)
        staff = staff_version(source, work / "staff.xlsx")
        folder = Path(tempfile.mkdtemp(dir=work))
        shutil.copyfile(source, folder / "crm.xlsx")
        config = folder / "settings.yaml"
        config.write_text(f"workbook: crm.xlsx\nstate_dir: {folder / 'state'}\n")
        start = time.perf_counter()
        subprocess.run(sync_command(config), capture_output=True, check=False)
        duration = time.perf_counter() - start
        print(f"{args.customers} customers: one sync takes {duration:.2f} s")
        outcomes = []
        for n in range(args.rounds):
            delay = rng.uniform(0, duration)
            outcome = round_with_a_save(work, source, staff, delay, by_rename=n % 2 == 1)
            how = "by rename" if n % 2 else "in place"
            print(f"  save {how} at {delay:.2f} s: {outcome}")
            outcomes.append(outcome)
        lost = sum(1 for o in outcomes if o.startswith("LOST"))
        print(f"staff saves lost: {lost} of {args.rounds}")
        pairs = [two_syncs_at_once(work, source) for _ in range(5)]
        for outcome in pairs:
            print(f"  two syncs at once: {outcome}")
        print(f"two syncs at once, both wrote from one read: {pairs.count('overlapped')} of 5")


if __name__ == "__main__":
    main()
