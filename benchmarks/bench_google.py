"""A sync of a Google Sheet through the local Sheets API server of the tests: wall time,
requests and bytes of a first sync and of a daily one.

    python benchmarks/bench_google.py [--sizes 10 10000]

The demo workbook of each size is loaded into the server as a Google Sheet (its values as the
API returns them), then synced on 2027-02-01 (the first sync: every owned column and sheet
written) and on 2027-02-02 (a daily one). The server runs in this process on loopback, so the
times are the job's own work plus local HTTP, not Google's latency. No test asserts these
numbers; the README records them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import python_calamine

from sheetcrm import sync
from sheetcrm.demo import generate_demo
from sheetcrm.settings import load_settings
from tests.sheets_server import ServiceAccount, SheetsServer

TODAY = dt.date(2027, 2, 1)
SHEET_ID = "1BenchBenchBenchBenchBenchBenchBenchBench00"


def as_api(value: object) -> object:
    """A cell as values.batchGet gives it (dates as their formatted text)."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    return value


def bench(customers: int, folder: Path) -> None:
    book = folder / "demo.xlsx"
    generate_demo(book, customers=customers, seed=7, language="en", today=TODAY)
    workbook = python_calamine.CalamineWorkbook.from_path(str(book))
    sheets = {
        name: [[as_api(v) for v in row] for row in workbook.get_sheet_by_name(name).to_python()]
        for name in workbook.sheet_names
    }
    server = SheetsServer(ServiceAccount()).start()
    try:
        server.add(SHEET_ID, sheets)
        for s in server.spreadsheets[SHEET_ID].sheets:
            s.row_count = max(1000, len(s.rows))
        key = folder / "key.json"
        key.write_text(json.dumps(server.account.key_file(f"{server.url}/token")))
        config = folder / "settings.yaml"
        config.write_text(
            f"workbook: {SHEET_ID}\ndates: {{day_first: false}}\n"
            f"google: {{credentials: key.json, endpoint: '{server.url}'}}\n"
        )
        settings = load_settings(config)
        for label, today in (("first", TODAY), ("daily", TODAY + dt.timedelta(days=1))):
            server.requests.clear()
            server.bytes_in = server.bytes_out = 0
            start = time.perf_counter()
            report = sync.run(settings, today=today)
            elapsed = time.perf_counter() - start
            cells = report.result.cells_written if report.result else 0
            print(
                f"{customers:>6} customers, {label} sync: {elapsed:.2f} s, "
                f"{len(server.api_requests())} requests ({', '.join(server.api_requests())}), "
                f"{server.bytes_in / 1e6:.2f} MB sent, {server.bytes_out / 1e6:.2f} MB received, "
                f"{cells} cells written"
            )
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 10000])
    args = parser.parse_args()
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            bench(size, Path(tmp))


if __name__ == "__main__":
    main()
