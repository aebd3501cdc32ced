"""The contract both backends keep: the same workbook, kept as an .xlsx file or as a Google
Sheet, comes out of the same syncs with the same values in every sheet the job writes, and a
second sync with nothing new changes nothing in either."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter

from sheetcrm import sync
from sheetcrm.backend import Snapshot
from sheetcrm.settings import Settings, load_settings
from tests.sheets_server import ServiceAccount, SheetsServer

SHEET_ID = "1ContractContractContractContractContract00"
# Two days running (the Outbox gains the second day's messages on top), then months later.
DAYS = (dt.date(2027, 2, 1), dt.date(2027, 2, 2), dt.date(2027, 9, 1))
SHEETS: dict[str, list[list[Any]]] = {
    "Customers": [
        ["Customer ID", "Name", "Phone", "Owner", "Birthday"],
        *[
            [f"C{i}", f"Customer {i}", f"+34 6{i:08d}", "Kim Lee", f"1980-0{1 + i % 9}-1{i % 9}"]
            for i in range(1, 13)
        ],
        ["C13", "Bad Phone", "12345", "Kim Lee", ""],
    ],
    "Orders": [
        ["Order ID", "Date", "Customer ID", "Amount"],
        *[
            [f"O{i}", f"2027-01-{1 + i % 28:02d}", f"C{1 + i % 13}", 100 * (1 + i % 7)]
            for i in range(30)
        ],
    ],
    "Visits": [
        ["Date", "Customer ID", "Type", "Staff"],
        ["2027-01-20", "C1", "complaint", "Kim Lee"],
        ["2027-01-21", "C2", "call", "Kim Lee"],
    ],
    "Staff": [["Name", "Active"], ["Kim Lee", "yes"]],
}


@pytest.fixture
def server() -> Iterator[SheetsServer]:
    running = SheetsServer(ServiceAccount()).start()
    yield running
    running.stop()


def excel(folder: Path) -> Settings:
    book = xlsxwriter.Workbook(str(folder / "crm.xlsx"))
    for title, rows in SHEETS.items():
        sheet = book.add_worksheet(title)
        for r, row in enumerate(rows):
            sheet.write_row(r, 0, row)
    book.close()
    config = folder / "settings.yaml"
    config.write_text("workbook: crm.xlsx\nlanguage: en\nphone_region: ES\n", "utf-8")
    return load_settings(config)


def google(folder: Path, server: SheetsServer) -> Settings:
    server.add(SHEET_ID, SHEETS)
    key = folder / "key.json"
    key.write_text(json.dumps(server.account.key_file(f"{server.url}/token")), "utf-8")
    config = folder / "settings.yaml"
    config.write_text(
        f"workbook: {SHEET_ID}\nlanguage: en\nphone_region: ES\n"
        f"google: {{credentials: key.json, endpoint: '{server.url}'}}\n",
        "utf-8",
    )
    return load_settings(config)


def plain(value: Any) -> Any:
    """A value as both backends can be compared on: numbers as rounded floats, dates as dates."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return round(float(value), 4)
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value.replace(second=0)
    if isinstance(value, str) and len(value) == 10 and value[4] == value[7] == "-":
        return dt.date.fromisoformat(value)  # a date typed as text: the Sheets API says date
    return value


def written(snapshot: Snapshot) -> dict[str, list[list[Any]]]:
    """Every sheet as read back, trailing blanks dropped."""
    out = {}
    for title, sheet in snapshot.sheets.items():
        rows = [[plain(v) for v in row] for row in sheet.rows]
        rows = [
            row[: max((i + 1 for i, v in enumerate(row) if v != ""), default=0)] for row in rows
        ]
        while rows and not rows[-1]:
            rows.pop()
        out[title] = rows
    return out


def test_an_excel_file_and_a_google_sheet_come_out_the_same(
    tmp_path: Path, server: SheetsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHEETCRM_NOW", "2027-02-01T09:00:00+08:00")
    results = {}
    for name in ("excel", "google"):
        folder = tmp_path / name
        folder.mkdir()
        settings = excel(folder) if name == "excel" else google(folder, server)
        for today in DAYS:
            sync.run(settings, today=today)
        again = sync.run(settings, today=DAYS[-1])
        assert again.result is not None and not again.result.changed, name
        results[name] = written(sync.open_backend(settings).read())
    # On a Google Sheet the day's new Outbox rows were put on top, not the whole sheet resent.
    assert any(
        "insertDimension" in request
        for kind, payload in server.payloads
        if kind == "batchUpdate"
        for request in payload["requests"]
    )
    excel_sheets, google_sheets = results["excel"], results["google"]
    assert sorted(excel_sheets) == sorted(google_sheets)
    for title in excel_sheets:
        assert google_sheets[title] == excel_sheets[title], title
