"""The same job on a shared Google Sheet, against a local server that speaks the Sheets API
and Google's OAuth token endpoint (tests/sheets_server.py): google-auth signs a real JWT for
the service account and gspread's client sends every request there."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from sheetcrm import sync
from sheetcrm.cli import execute
from sheetcrm.errors import BackendError
from sheetcrm.google.backend import GoogleBackend
from sheetcrm.settings import load_settings
from tests.sheets_server import ServiceAccount, SheetsServer

TODAY = dt.date(2027, 2, 1)
SHEET_ID = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcd"
WRITES = ("values:batchUpdate", "batchUpdate")


def register(customers: int) -> dict[str, list[list[Any]]]:
    people = [
        [f"C{i}", f"Customer {i}", f"+34 6{i:08d}", "Kim Lee"] for i in range(1, customers + 1)
    ]
    orders = [
        [f"O{i}", f"2027-01-{1 + i % 28:02d}", f"C{1 + i % customers}", 100 * (1 + i % 7)]
        for i in range(customers * 2)
    ]
    return {
        "Customers": [["Customer ID", "Name", "Phone", "Owner"], *people],
        "Orders": [["Order ID", "Date", "Customer ID", "Amount"], *orders],
        "Staff": [["Name", "Active"], ["Kim Lee", "yes"]],
    }


@pytest.fixture
def account() -> ServiceAccount:
    return ServiceAccount()


@pytest.fixture
def server(account: ServiceAccount) -> Iterator[SheetsServer]:
    running = SheetsServer(account).start()
    yield running
    running.stop()


def settings_for(folder: Path, server: SheetsServer, account: ServiceAccount) -> Path:
    key = folder / "service-account.json"
    key.write_text(json.dumps(account.key_file(f"{server.url}/token")), "utf-8")
    config = folder / "settings.yaml"
    config.write_text(
        f"workbook: https://docs.google.com/spreadsheets/d/{SHEET_ID}/edit#gid=0\n"
        "language: en\nphone_region: ES\n"
        f"google:\n  credentials: service-account.json\n  endpoint: {server.url}\n",
        "utf-8",
    )
    return config


def column(server: SheetsServer, sheet: str, header: str) -> dict[str, Any]:
    rows = server.spreadsheets[SHEET_ID].sheet(sheet).rows  # type: ignore[union-attr]
    col = rows[0].index(header)
    return {row[0]: (row[col] if col < len(row) else "") for row in rows[1:]}


def assert_every_customer_has_a_tier(server: SheetsServer) -> None:
    tiers = column(server, "Customers", "Tier")
    assert set(tiers.values()) <= {"A", "B", "C", "D"} and all(tiers.values())


def test_a_sync_writes_tiers_and_sheets_into_the_google_sheet(
    tmp_path: Path, server: SheetsServer, account: ServiceAccount
) -> None:
    server.add(SHEET_ID, register(12))
    settings = load_settings(settings_for(tmp_path, server, account))
    report = sync.run(settings, today=TODAY)
    assert report.result is not None and report.result.changed
    tiers = column(server, "Customers", "Tier")
    assert set(tiers) == {f"C{i}" for i in range(1, 13)}
    assert set(tiers.values()) <= {"A", "B", "C", "D"} and all(tiers.values())
    titles = [s.title for s in server.spreadsheets[SHEET_ID].sheets]
    assert {"Problems", "Tier A", "Tier B", "Tier C", "Tier D", "Outbox"} <= set(titles)
    assert all(p[1].get("valueInputOption") == "RAW" for p in server.payloads if p[0] == WRITES[0])
    # The job's dates are real dates: a serial number under a date format, read back as one.
    last = column(server, "Customers", "Last purchase")
    assert all(isinstance(v, int) for v in last.values() if v != "")


def test_a_second_sync_with_nothing_new_sends_no_write(
    tmp_path: Path, server: SheetsServer, account: ServiceAccount
) -> None:
    server.add(SHEET_ID, register(12))
    settings = load_settings(settings_for(tmp_path, server, account))
    sync.run(settings, today=TODAY)
    server.requests.clear()
    report = sync.run(settings, today=TODAY)
    assert report.result is not None and not report.result.changed
    assert [r for r in server.api_requests() if r in WRITES] == []


@pytest.mark.parametrize("customers", [10, 600])
def test_a_daily_sync_takes_the_same_few_requests_whatever_the_size(
    customers: int, tmp_path: Path, server: SheetsServer, account: ServiceAccount
) -> None:
    server.add(SHEET_ID, register(customers))
    settings = load_settings(settings_for(tmp_path, server, account))
    sync.run(settings, today=TODAY)
    server.requests.clear()
    sync.run(settings, today=TODAY + dt.timedelta(days=1))  # a new day: plans move on
    api = server.api_requests()
    assert len(api) <= 6, api
    assert api[:2] == ["get", "values.batchGet"]  # the read: two requests, every sheet


def test_rows_sorted_between_the_read_and_the_write_get_their_own_values(
    tmp_path: Path, server: SheetsServer, account: ServiceAccount
) -> None:
    server.add(SHEET_ID, register(12))
    settings = load_settings(settings_for(tmp_path, server, account))
    expected_folder = tmp_path / "expected"
    expected_folder.mkdir()
    sync.run(settings, today=TODAY)
    expected = column(server, "Customers", "Score")
    server.add(SHEET_ID, register(12))  # the same sheet, afresh
    backend = GoogleBackend(settings.google)  # type: ignore[arg-type]
    write = backend.write

    def staff_sort_first(plan: Any, snapshot: Any) -> Any:
        rows = server.spreadsheets[SHEET_ID].sheet("Customers").rows  # type: ignore[union-attr]
        rows[1:] = sorted(rows[1:], key=lambda r: r[1], reverse=True)  # sorted by name, Z–A
        return write(plan, snapshot)

    backend.write = staff_sort_first  # type: ignore[method-assign]
    sync.run(settings, today=TODAY, backend=backend)
    assert column(server, "Customers", "Score") == expected


def test_a_name_that_looks_like_a_formula_stays_text(
    tmp_path: Path, server: SheetsServer, account: ServiceAccount
) -> None:
    sheets = register(3)
    sheets["Customers"][1][1] = '=HYPERLINK("http://evil.example","Ana")'
    server.add(SHEET_ID, sheets)
    settings = load_settings(settings_for(tmp_path, server, account))
    sync.run(settings, today=TODAY)
    written = [
        value
        for kind, payload in server.payloads
        if kind == WRITES[0]
        for block in payload["data"]
        for row in block["values"]
        for value in row
    ]
    assert '=HYPERLINK("http://evil.example","Ana")' in written  # the tier sheets list it
    assert all(p["valueInputOption"] == "RAW" for k, p in server.payloads if k == WRITES[0])


def test_a_sheet_not_shared_with_the_account_names_the_address_to_share_it_with(
    tmp_path: Path,
    server: SheetsServer,
    account: ServiceAccount,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server.add(SHEET_ID, register(3), shared=False)
    config = settings_for(tmp_path, server, account)
    assert execute(["-c", str(config), "check", "--today", TODAY.isoformat()]) == 3
    assert capsys.readouterr().err == (
        f"Error: the Google Sheet {SHEET_ID} is not shared with the service account: share it "
        f"with {account.email} as an editor (Share, then that address), then run again\n"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "google.credentials: the key file {key} does not exist"),
        ("not json", "google.credentials: {key} is not a service account's JSON key"),
        (
            '{"type": "authorized_user"}',
            'google.credentials: {key} is not a service account key (its "type" is not '
            '"service_account")',
        ),
    ],
    ids=["missing", "not JSON", "a user's key"],
)
def test_a_bad_key_file_is_one_line_naming_it(
    content: str | None,
    message: str,
    tmp_path: Path,
    server: SheetsServer,
    account: ServiceAccount,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server.add(SHEET_ID, register(3))
    config = settings_for(tmp_path, server, account)
    key = tmp_path / "service-account.json"
    if content is None:
        key.unlink()
    else:
        key.write_text(content, "utf-8")
    assert execute(["-c", str(config), "check", "--today", TODAY.isoformat()]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Error: " + message.format(key=key)), err
    assert err.count("\n") == 1


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The waits between tries, recorded instead of slept."""
    import sheetcrm.google.api as api

    slept: list[float] = []
    monkeypatch.setattr(api, "_sleep", slept.append)
    return slept


def test_429s_and_503s_are_waited_out_and_nothing_is_written_twice(
    tmp_path: Path, server: SheetsServer, account: ServiceAccount, waits: list[float]
) -> None:
    server.add(SHEET_ID, register(12))
    settings = load_settings(settings_for(tmp_path, server, account))
    server.fail_next = [503, 429, 503]  # the read, retried
    server.fail_on = {"values:batchUpdate": [503, 429]}  # the values write, retried
    report = sync.run(settings, today=TODAY)
    assert report.result is not None and report.result.changed
    assert 1.0 in waits  # Google's Retry-After was honoured
    assert len(waits) == 5 and all(0 < w <= 33 for w in waits)
    assert [k for k, _ in server.payloads] == ["batchUpdate", "values:batchUpdate"]
    assert_every_customer_has_a_tier(server)


def test_a_storm_of_429s_ends_in_one_line_and_the_next_run_finishes(
    tmp_path: Path,
    server: SheetsServer,
    account: ServiceAccount,
    waits: list[float],
    capsys: pytest.CaptureFixture[str],
) -> None:
    server.add(SHEET_ID, register(12))
    config = settings_for(tmp_path, server, account)
    server.fail_on = {"values:batchUpdate": [429] * 20}
    assert execute(["-c", str(config), "sync", "--today", TODAY.isoformat()]) == 3
    assert capsys.readouterr().err.startswith("Error: Google Sheets answered 429: try again")
    server.fail_on = {}
    assert execute(["-c", str(config), "sync", "--today", TODAY.isoformat()]) == 0
    assert_every_customer_has_a_tier(server)


def test_a_failed_structure_write_is_not_repeated_and_the_next_run_finishes(
    tmp_path: Path,
    server: SheetsServer,
    account: ServiceAccount,
    waits: list[float],
) -> None:
    """Adding sheets may have been done when Google answers 503: not sent twice."""
    server.add(SHEET_ID, register(12))
    settings = load_settings(settings_for(tmp_path, server, account))
    server.fail_on = {"batchUpdate": [503]}
    with pytest.raises(BackendError, match="Google Sheets answered 503"):
        sync.run(settings, today=TODAY)
    assert [k for k, _ in server.payloads] == []  # refused before it was applied, here
    sync.run(settings, today=TODAY)
    titles = [s.title for s in server.spreadsheets[SHEET_ID].sheets]
    assert len(titles) == len(set(titles))


@pytest.mark.parametrize("sample", [False, True], ids=["headers only", "with --sample"])
def test_init_google_writes_settings_and_creates_the_sheets(
    sample: bool,
    tmp_path: Path,
    server: SheetsServer,
    account: ServiceAccount,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server.add(SHEET_ID, {"Hoja 1": []})  # a new spreadsheet, as Google creates it
    key = tmp_path / "key.json"
    key.write_text(json.dumps(account.key_file(f"{server.url}/token")), "utf-8")
    folder = tmp_path / "tienda"
    argv = [
        "init", str(folder), "--language", "es", "--customers", "5",
        "--google", f"https://docs.google.com/spreadsheets/d/{SHEET_ID}/edit",
        "--credentials", str(key), "--endpoint", server.url,
    ] + (["--sample"] if sample else [])  # fmt: skip
    assert execute(argv) == 0, capsys.readouterr().err
    titles = [s.title for s in server.spreadsheets[SHEET_ID].sheets]
    assert titles == ["Hoja 1", "Clientes", "Visitas", "Pedidos", "Personal"]
    register = server.spreadsheets[SHEET_ID].sheet("Clientes").rows  # type: ignore[union-attr]
    assert register[0][:2] == ["ID cliente", "Nombre"]
    assert len(register) == (6 if sample else 1)
    settings = load_settings(folder / "settings.yaml")
    assert settings.google is not None and settings.google.spreadsheet == SHEET_ID
    report = sync.check(settings, today=TODAY)
    assert report.language == "es"
    if sample:  # the sample's dates went in as dates: the job reads them back as such
        assert report.rows_read["Pedidos"] > 0
        dates = [p for p in report.problems if p.code.startswith("date.")]
        assert [p.value for p in dates] == ["31/02/1985"]  # the starter's planted one only


def test_init_google_on_a_sheet_not_shared_leaves_no_settings(
    tmp_path: Path,
    server: SheetsServer,
    account: ServiceAccount,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server.add(SHEET_ID, {"Sheet1": []}, shared=False)
    key = tmp_path / "key.json"
    key.write_text(json.dumps(account.key_file(f"{server.url}/token")), "utf-8")
    folder = tmp_path / "shop"
    argv = ["init", str(folder), "--google", SHEET_ID, "--credentials", str(key)]
    assert execute([*argv, "--endpoint", server.url]) == 3
    assert f"share it with {account.email}" in capsys.readouterr().err
    assert not (folder / "settings.yaml").exists()  # share it, then run the same init again


def test_managers_get_a_filter_tier_colours_a_view_per_tier_and_warned_columns(
    tmp_path: Path, server: SheetsServer, account: ServiceAccount
) -> None:
    server.add(SHEET_ID, register(12))
    settings = load_settings(settings_for(tmp_path, server, account))
    sync.run(settings, today=TODAY)
    sheet = server.spreadsheets[SHEET_ID].sheet("Customers")
    assert sheet is not None
    header = sheet.rows[0]
    tier = header.index("Tier")
    assert sheet.basic_filter is not None and sheet.basic_filter["range"]["startRowIndex"] == 0
    coloured = {
        (
            r["ranges"][0]["startColumnIndex"],
            r["booleanRule"]["condition"]["values"][0]["userEnteredValue"],
        )
        for r in sheet.conditional_formats
    }
    assert coloured == {(tier, t) for t in "ABCD"}
    views = {v["title"]: v["filterSpecs"][0] for v in sheet.filter_views}
    assert set(views) == {"Tier A", "Tier B", "Tier C", "Tier D"}
    assert views["Tier A"]["columnIndex"] == tier
    assert views["Tier A"]["filterCriteria"]["condition"]["values"] == [{"userEnteredValue": "A"}]
    (protected,) = sheet.protected_ranges  # the job's block of columns, one warning
    assert protected["warningOnly"] is True
    assert protected["range"]["startColumnIndex"] == header.index("Problems")
    assert protected["range"]["endColumnIndex"] == len(header)
    server.requests.clear()
    sync.run(settings, today=TODAY)  # nothing added twice: no write at all
    assert [r for r in server.api_requests() if r in WRITES] == []
    assert len(sheet.filter_views) == 4 and len(sheet.conditional_formats) == 4


def test_a_filter_staff_set_is_kept(
    tmp_path: Path, server: SheetsServer, account: ServiceAccount
) -> None:
    server.add(SHEET_ID, register(12))
    sheet = server.spreadsheets[SHEET_ID].sheet("Customers")
    assert sheet is not None
    theirs = {"range": {"sheetId": sheet.sheet_id, "startRowIndex": 0, "endColumnIndex": 2}}
    sheet.basic_filter = theirs
    sync.run(load_settings(settings_for(tmp_path, server, account)), today=TODAY)
    assert sheet.basic_filter is theirs


def sheet_rows(server: SheetsServer, title: str) -> list[list[Any]]:
    found = server.spreadsheets[SHEET_ID].sheet(title)
    assert found is not None
    return found.rows


def test_staff_edits_between_the_read_and_the_write_are_kept_and_told(
    tmp_path: Path,
    server: SheetsServer,
    account: ServiceAccount,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server.add(SHEET_ID, register(12))
    config = settings_for(tmp_path, server, account)
    settings = load_settings(config)
    sync.run(settings, today=TODAY)  # the owned columns exist from here
    backend = GoogleBackend(settings.google)  # type: ignore[arg-type]
    write = backend.write

    def staff_edit_first(plan: Any, snapshot: Any) -> Any:
        rows = sheet_rows(server, "Customers")
        tier = rows[0].index("Tier")
        rows[3][tier] = "VIP!"  # C3's tier typed over by hand
        del rows[5]  # C5 deleted
        return write(plan, snapshot)

    backend.write = staff_edit_first  # type: ignore[method-assign]
    report = sync.run(settings, today=dt.date(2027, 9, 1), backend=backend)
    result = report.result
    assert result is not None
    assert column(server, "Customers", "Tier")["C3"] == "VIP!"
    tier = sheet_rows(server, "Customers")[0].index("Tier")
    assert result.kept == (f"Customers!{chr(65 + tier)}4 [Tier]",)
    assert result.deleted == ("C5",)
    from sheetcrm.views import render_report

    shown = render_report(report)
    assert "Kept " in shown and "Skipped 1 rows deleted while sync ran: C5" in shown


def test_rows_sorted_during_the_write_are_found_by_the_read_back(
    tmp_path: Path, server: SheetsServer, account: ServiceAccount
) -> None:
    server.add(SHEET_ID, register(12))
    settings = load_settings(settings_for(tmp_path, server, account))
    sync.run(settings, today=TODAY)
    expected = column(server, "Customers", "Score")
    server.add(SHEET_ID, register(12))  # the same sheet, afresh

    def staff_sorts(book: Any) -> None:
        rows = book.sheet("Customers").rows
        rows[1:] = sorted(rows[1:], key=lambda r: r[1], reverse=True)

    server.between_read_and_write = staff_sorts
    report = sync.run(settings, today=TODAY)
    assert report.result is not None and report.result.moved > 0
    report = sync.run(settings, today=TODAY)  # as the report says: once more
    assert report.result is not None and report.result.moved == 0
    assert column(server, "Customers", "Score") == expected  # every value in its row again


def test_a_request_that_times_out_is_tried_again(
    tmp_path: Path, server: SheetsServer, account: ServiceAccount, waits: list[float]
) -> None:
    server.add(SHEET_ID, register(12))
    config = settings_for(tmp_path, server, account)
    config.write_text(config.read_text("utf-8") + "  timeout: 0.5\n", "utf-8")
    server.delay_next = [1.5]  # the first request answers after the client gave up
    report = sync.run(load_settings(config), today=TODAY)
    assert report.result is not None and report.result.changed
    assert len(waits) == 1


def test_the_client_keeps_under_sixty_requests_a_minute(monkeypatch: pytest.MonkeyPatch) -> None:
    """Paced on a clock of its own: 150 requests in a row never make 61 in any minute."""
    import sheetcrm.google.api as api

    clock = [0.0]
    monkeypatch.setattr(api.time, "monotonic", lambda: clock[0])

    def sleep(seconds: float) -> None:
        clock[0] += seconds

    monkeypatch.setattr(api, "_sleep", sleep)
    client = api.SheetsApi.__new__(api.SheetsApi)
    client.sent = api.deque()
    times = []
    for _ in range(150):
        client._pace()
        times.append(clock[0])
        clock[0] += 0.01  # the request itself
    assert max(sum(1 for t in times if start <= t < start + 60) for start in times) <= 60
    assert times[-1] >= 120  # it did wait, as little as it could


def dropdown(sheet_id: int, col: int, condition: dict[str, Any]) -> dict[str, Any]:
    """Staff's dropdown down a column below the header (Data, Data validation)."""
    return {
        "setDataValidation": {
            "range": {
                "sheetId": sheet_id,
                "startRowIndex": 1,
                "endRowIndex": 300,
                "startColumnIndex": col,
                "endColumnIndex": col + 1,
            },
            "rule": {"condition": condition, "strict": True, "showCustomUi": True},
        }
    }


def listed(*words: str) -> dict[str, Any]:
    return {"type": "ONE_OF_LIST", "values": [{"userEnteredValue": w} for w in words]}


@pytest.mark.parametrize(
    ("status", "problems"),
    [
        (listed("潜在", "成交", "流失", "合作伙伴"), [("C1", "enum.dropdown_unknown", "合作伙伴")]),
        (
            {"type": "ONE_OF_RANGE", "values": [{"userEnteredValue": "='选项'!$B$1:$B$4"}]},
            [("C1", "enum.dropdown_unknown", "合作伙伴")],
        ),
        (listed("潜在", "成交", "流失"), []),
    ],
    ids=["a list with a word of its own", "a range on another sheet", "known words only"],
)
def test_every_word_a_google_dropdown_offers_is_checked_once(
    status: dict[str, Any],
    problems: list[tuple[str, str, str]],
    tmp_path: Path,
    server: SheetsServer,
    account: ServiceAccount,
) -> None:
    """As in an Excel workbook (tests/test_contact_log.py): a word the vocabulary does not
    know, offered by staff's dropdown, is one problem on the header before anyone picks it."""
    server.add(
        SHEET_ID,
        {
            "客户": [["客户编号", "姓名", "客户状态", "性别"], ["C1", "客户1", "成交", "女"]],
            "选项": [["男", "潜在"], ["女", "成交"], ["", "流失"], ["", "合作伙伴"]],
        },
    )
    gender = {"type": "ONE_OF_RANGE", "values": [{"userEnteredValue": "=选项!$A$1:$A$2"}]}
    server.staff_do(SHEET_ID, [dropdown(1, 2, status), dropdown(1, 3, gender)])
    config = settings_for(tmp_path, server, account)
    config.write_text(config.read_text("utf-8").replace("language: en\n", ""), "utf-8")
    server.requests.clear()
    found = sync.check(load_settings(config), today=TODAY).problems
    assert [(p.cell, p.code, p.value) for p in found] == problems
    assert server.api_requests() == ["get", "values.batchGet"]  # in the read's two requests


@pytest.mark.parametrize(
    ("locale", "typed", "read"),
    [
        ("es_ES", "05/03/2026", dt.date(2026, 3, 5)),  # day first
        ("en_US", "03/05/2026", dt.date(2026, 3, 5)),  # month first
        ("es_ES", "05/03/2026 14:30:00", dt.datetime(2026, 3, 5, 14, 30)),
        ("en_US", "3/5/2026 14:30:00", dt.datetime(2026, 3, 5, 14, 30)),
    ],
)
def test_a_date_typed_in_the_sheet_s_locale_is_read_as_that_date(
    locale: str,
    typed: str,
    read: dt.date,
    tmp_path: Path,
    server: SheetsServer,
    account: ServiceAccount,
) -> None:
    """Shown as the locale writes dates, read in that locale's order (05/03/2026 alone would
    be ambiguous to a shop whose settings say nothing of the order)."""
    server.add(SHEET_ID, register(3))
    server.spreadsheets[SHEET_ID].locale = locale
    server.staff_type(SHEET_ID, "Orders", "B2", typed)
    settings = load_settings(settings_for(tmp_path, server, account))
    orders = GoogleBackend(settings.google).read().sheets["Orders"]  # type: ignore[arg-type]
    assert orders.rows[1][1] == read and type(orders.rows[1][1]) is type(read)
    assert orders.rows[1][3] == 100 and type(orders.rows[1][3]) is int  # a number stays one
    problems = sync.check(settings, today=TODAY).problems
    assert [p.value for p in problems if p.sheet == "Orders"] == []


def test_the_outbox_wraps_its_messages_and_takes_its_widths_once(
    tmp_path: Path, server: SheetsServer, account: ServiceAccount
) -> None:
    from sheetcrm.google.generated import pixels
    from sheetcrm.reminders import outbox_sheet

    server.add(SHEET_ID, register(12))
    settings = load_settings(settings_for(tmp_path, server, account))
    sync.run(settings, today=TODAY)
    outbox = server.spreadsheets[SHEET_ID].sheet("Outbox")
    assert outbox is not None
    plan = outbox_sheet("Outbox", [], "en")
    assert outbox.column_widths == {c: pixels(w) for c, w in enumerate(plan.widths)}
    wrapped = {
        (c, style["verticalAlignment"], grid["startRowIndex"])
        for grid, style in outbox.styles
        if style.get("wrapStrategy") == "WRAP"
        for c in range(grid["startColumnIndex"], grid["endColumnIndex"])
    }
    assert wrapped == {(plan.kinds.index("wrap"), "TOP", 1)}  # the message, below the header
    problems = server.spreadsheets[SHEET_ID].sheet("Problems")
    assert problems is not None and len(problems.column_widths) > 1  # every generated sheet
    server.payloads.clear()
    sync.run(settings, today=TODAY + dt.timedelta(days=1))
    again = [
        request
        for kind, payload in server.payloads
        if kind == "batchUpdate"
        for request in payload["requests"]
        if {"updateDimensionProperties", "repeatCell"} & set(request)
    ]
    assert again == []


GENERATED = {"Problems", "Tier A", "Tier B", "Tier C", "Tier D", "Outbox"}


def marked(server: SheetsServer) -> set[str]:
    return {
        s.title
        for s in server.spreadsheets[SHEET_ID].sheets
        if any(m["metadataKey"] == "sheetcrm_generated" for m in s.developer_metadata)
    }


def test_the_job_s_sheets_carry_its_mark_and_stay_its_own(
    tmp_path: Path, server: SheetsServer, account: ServiceAccount
) -> None:
    server.add(SHEET_ID, register(12))
    settings = load_settings(settings_for(tmp_path, server, account))
    for today in (TODAY, dt.date(2027, 9, 1)):
        sync.run(settings, today=today)
    titles = {s.title for s in server.spreadsheets[SHEET_ID].sheets}
    assert marked(server) == GENERATED | ({"Tier history"} & titles)
    assert all(len(s.developer_metadata) <= 1 for s in server.spreadsheets[SHEET_ID].sheets)


@pytest.mark.parametrize(
    ("name", "synced_first"),
    [("Tier A", False), ("Problems", False), ("Tier A", True)],
    ids=["a staff Tier A before the first sync", "a staff Problems", "after syncs, marked"],
)
def test_a_staff_sheet_named_like_a_generated_one_is_refused_and_nothing_written(
    name: str,
    synced_first: bool,
    tmp_path: Path,
    server: SheetsServer,
    account: ServiceAccount,
) -> None:
    """Staff's own sheet with a generated sheet's name and the job's header: the job did not
    make it (no mark), so it refuses rather than replace it, as on an Excel workbook."""
    server.add(SHEET_ID, register(12))
    settings = load_settings(settings_for(tmp_path, server, account))
    sync.run(settings, today=TODAY)
    book = server.spreadsheets[SHEET_ID]
    theirs = book.sheet(name)
    assert theirs is not None
    mine = [theirs.rows[0], ["C9", "My best customer ever"]]
    if not synced_first:
        server.add(SHEET_ID, {**register(12), name: mine})  # before any sync
    else:
        book.sheets.remove(theirs)  # deleted, then made again by hand
        book.sheets.append(replace(theirs, sheet_id=99, rows=mine, developer_metadata=[]))
    server.payloads.clear()
    with pytest.raises(BackendError) as refused:
        sync.run(settings, today=TODAY)
    assert str(refused.value) == (
        f"the Google Sheet has a sheet {name!r} that sheetcrm did not make; rename it, or set "
        "another name under sheets: in settings.yaml. Nothing was written."
    )
    assert server.payloads == []
    assert server.spreadsheets[SHEET_ID].sheet(name).rows == mine  # type: ignore[union-attr]


def test_a_google_sheet_synced_before_the_mark_is_taken_as_the_job_s(
    tmp_path: Path, server: SheetsServer, account: ServiceAccount
) -> None:
    """Sheets written by a version that did not mark them: the job's header, nothing right
    of it, the other generated sheets there: adopted, marked from then on, once."""
    server.add(SHEET_ID, register(12))
    settings = load_settings(settings_for(tmp_path, server, account))
    sync.run(settings, today=TODAY)
    for sheet in server.spreadsheets[SHEET_ID].sheets:
        sheet.developer_metadata.clear()
        sheet.column_widths.clear()
    report = sync.run(settings, today=TODAY)
    assert report.result is not None and report.result.changed
    assert marked(server) == GENERATED
    outbox = server.spreadsheets[SHEET_ID].sheet("Outbox")
    assert outbox is not None and outbox.column_widths  # what a new one gets, given once
    server.requests.clear()
    report = sync.run(settings, today=TODAY)
    assert report.result is not None and not report.result.changed
    assert [r for r in server.api_requests() if r in WRITES] == []


@pytest.mark.parametrize(
    ("shown", "locale", "read"),
    [
        ("2026-03-05", "en_US", dt.date(2026, 3, 5)),  # the job's own dates, in any locale
        ("2026-03-05 14:30", "es_ES", dt.datetime(2026, 3, 5, 14, 30)),
        ("5/3/2026", "es_ES", dt.date(2026, 3, 5)),
        ("3/5/2026 2:30:00 PM", "en_US", dt.datetime(2026, 3, 5, 14, 30)),
        ("05.03.2026 14:30:00", "de_DE", dt.datetime(2026, 3, 5, 14, 30)),
        ("2026/3/5", "zh_CN", dt.date(2026, 3, 5)),
        ("31/02/2026", "es_ES", "31/02/2026"),  # no such day: the parsers say so
        ("05/03/26", "es_ES", "05/03/26"),  # a two-digit year: the parsers' call
        ("05/03/2026", "xx_XX", "05/03/2026"),  # a locale CLDR does not know
        ("0034 600 000", "es_ES", "0034 600 000"),
    ],
)
def test_a_date_is_read_as_its_locale_shows_it(shown: str, locale: str, read: object) -> None:
    from sheetcrm.google.dates import date_order, shown_date

    assert shown_date(shown, date_order(locale)) == read


@pytest.mark.parametrize("staff", [True, False], ids=["staff's Tier A", "the job's Tier A"])
def test_check_writable_refuses_a_staff_sheet_before_any_message_goes_out(
    staff: bool, tmp_path: Path, server: SheetsServer, account: ServiceAccount
) -> None:
    """From the read alone, without a request: sync asks before it sends what is due."""
    from sheetcrm.plan import GeneratedSheet, WritePlan

    server.add(SHEET_ID, register(12))
    settings = load_settings(settings_for(tmp_path, server, account))
    sync.run(settings, today=TODAY)
    book = server.spreadsheets[SHEET_ID]
    tier_a = book.sheet("Tier A")
    assert tier_a is not None
    if staff:
        tier_a.developer_metadata.clear()  # as if staff had made it
    backend = GoogleBackend(settings.google)  # type: ignore[arg-type]
    snapshot = backend.read()
    server.requests.clear()
    plan = WritePlan(generated=(GeneratedSheet("Tier A", tuple(tier_a.rows[0]), ()),))
    if staff:
        with pytest.raises(BackendError, match="has a sheet 'Tier A' that sheetcrm did not"):
            backend.check_writable(plan, snapshot)
    else:
        backend.check_writable(plan, snapshot)
    assert server.api_requests() == []
    assert ("Tier A" in marked(server)) is not staff  # the check marks nothing


def outbox_links(server: SheetsServer) -> list[tuple[str, str]]:
    """(the row's message, its link's text=) for each Send cell with a link."""
    from urllib.parse import parse_qs, urlsplit

    outbox = server.spreadsheets[SHEET_ID].sheet("Outbox")
    assert outbox is not None
    header = outbox.rows[0]
    send, text = header.index("Send"), header.index("Text")
    found = []
    for (r, c), uri in outbox.links.items():
        assert c == send and outbox.rows[r][c] == "WhatsApp"
        link = urlsplit(uri)
        assert (link.scheme, link.netloc) == ("https", "wa.me")
        found.append((outbox.rows[r][text], parse_qs(link.query)["text"][0]))
    return found


def test_the_outbox_s_whatsapp_links_are_links_in_a_google_sheet_too(
    tmp_path: Path, server: SheetsServer, account: ServiceAccount
) -> None:
    """Each message staff send from WhatsApp has its link (a text run's link, never a
    formula); a day later the rows the new ones push down keep theirs."""
    server.add(SHEET_ID, register(12))
    settings = load_settings(settings_for(tmp_path, server, account))
    sync.run(settings, today=TODAY)
    first = outbox_links(server)
    assert first and all(row == linked for row, linked in first)
    rows = len(server.spreadsheets[SHEET_ID].sheet("Outbox").rows)  # type: ignore[union-attr]
    sync.run(settings, today=TODAY + dt.timedelta(days=1))  # a new digest goes on top
    assert len(server.spreadsheets[SHEET_ID].sheet("Outbox").rows) > rows  # type: ignore[union-attr]
    later = outbox_links(server)
    assert all(row == linked for row, linked in later)
    assert set(first) <= set(later)  # still to send: their links moved down with their rows


def test_the_job_s_sheets_and_columns_look_as_in_excel(
    tmp_path: Path, server: SheetsServer, account: ServiceAccount
) -> None:
    """A bold header that stays in view on each generated sheet; money, percentages and
    whole numbers formatted in the register's new columns, as the Excel backend does."""
    server.add(SHEET_ID, register(12))
    sync.run(load_settings(settings_for(tmp_path, server, account)), today=TODAY)
    book = server.spreadsheets[SHEET_ID]
    for title in ("Problems", "Tier A", "Outbox"):
        sheet = book.sheet(title)
        assert sheet is not None and sheet.frozen_rows == 1
        assert any(
            style.get("textFormat") == {"bold": True} and grid.get("endRowIndex") == 1
            for grid, style in sheet.styles
        )
    customers = book.sheet("Customers")
    assert customers is not None
    header = customers.rows[0]
    for name, kind in (("Recent amount", "NUMBER"), ("Lifetime spend", "NUMBER"),
                       ("Profit share", "PERCENT"), ("Days overdue", "NUMBER")):  # fmt: skip
        number = customers.number_format(1, header.index(name))
        assert number is not None and number["type"] == kind, name


def test_a_formula_s_error_is_a_problem_on_its_cell_not_a_name(
    tmp_path: Path, server: SheetsServer, account: ServiceAccount
) -> None:
    sheets = register(3)
    sheets["Customers"][2][1] = "#N/A"  # a VLOOKUP that found nothing, as the API gives it
    server.add(SHEET_ID, sheets)
    settings = load_settings(settings_for(tmp_path, server, account))
    report = sync.check(settings, today=TODAY)
    assert [(p.sheet, p.cell, p.code) for p in report.problems if p.code.startswith("cell.")] == [
        ("Customers", "B3", "cell.error_value")
    ]
