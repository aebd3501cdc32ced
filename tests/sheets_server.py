"""A local HTTP server speaking the part of the Google Sheets API v4 the backend uses, and
Google's OAuth token endpoint for service accounts.

- POST /token: a JWT-bearer grant; the assertion's RS256 signature is verified against the
  service account's public key, its audience against this endpoint, its scope is checked.
- GET /v4/spreadsheets/{id}: sheet ids, titles, grid sizes, views, developer metadata on a
  sheet (createDeveloperMetadata, sheet location); with a `fields` mask that
  names rowData, every cell's data-validation rule and number format type (`{}` for a cell
  with neither).
- GET /v4/spreadsheets/{id}/values:batchGet: values as the API gives them (trailing blanks
  trimmed, UNFORMATTED_VALUE; a date is its serial number, or with
  dateTimeRenderOption=FORMATTED_STRING the text its format shows).
- POST /v4/spreadsheets/{id}/values:batchUpdate (RAW or USER_ENTERED) and
  POST /v4/spreadsheets/{id}:batchUpdate (addSheet, appendDimension, repeatCell number
  formats and wrapping, column widths, setDataValidation...), refusing writes outside a
  sheet's grid as Google does.

Errors have Google's JSON shape. Every request is counted; a spreadsheet not shared with the
account answers 403 as Google does.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

SCOPE = "https://www.googleapis.com/auth/spreadsheets"
_EPOCH = dt.date(1899, 12, 30)


@dataclass
class Sheet:
    sheet_id: int
    title: str
    rows: list[list[Any]]
    row_count: int = 1000
    column_count: int = 26
    # Number formats as repeatCell set them (the job's date columns) or staff typed them (a
    # date typed into a cell): (GridRange, numberFormat), later ones win.
    formats: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    basic_filter: dict[str, Any] | None = None
    conditional_formats: list[dict[str, Any]] = field(default_factory=list)
    filter_views: list[dict[str, Any]] = field(default_factory=list)
    protected_ranges: list[dict[str, Any]] = field(default_factory=list)
    styles: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)  # wrap...
    column_widths: dict[int, int] = field(default_factory=dict)  # pixels, as set
    developer_metadata: list[dict[str, Any]] = field(default_factory=list)  # on the sheet
    # Data-validation rules as setDataValidation set them: (GridRange, rule), later ones win.
    validations: list[tuple[dict[str, Any], dict[str, Any] | None]] = field(default_factory=list)
    # Cells that are links (updateCells with a textFormatRun's link): (row, col) → address.
    # They move with their rows; a value written over a cell drops its link, as in Sheets.
    links: dict[tuple[int, int], str] = field(default_factory=dict)
    frozen_rows: int = 0

    def number_format(self, row: int, col: int) -> dict[str, Any] | None:
        found = None
        for grid, number in self.formats:
            if _inside(grid, row, col):
                found = number
        return found

    def validation(self, row: int, col: int) -> dict[str, Any] | None:
        found = None
        for grid, rule in self.validations:
            if _inside(grid, row, col):
                found = rule  # None when a later request cleared it
        return found


def _inside(grid: dict[str, Any], row: int, col: int) -> bool:
    """The cell is in the GridRange (open ends reach the sheet's edge)."""
    rows = grid.get("startRowIndex", 0), grid.get("endRowIndex", 1 << 30)
    columns = grid.get("startColumnIndex", 0), grid.get("endColumnIndex", 1 << 30)
    return rows[0] <= row < rows[1] and columns[0] <= col < columns[1]


@dataclass
class Spreadsheet:
    sheets: list[Sheet]
    shared_with: set[str]
    locale: str = "en_US"  # how typed dates are read and formatted dates shown

    def sheet(self, title: str) -> Sheet | None:
        return next((s for s in self.sheets if s.title == title), None)


class ServiceAccount:
    """A service account key pair and its key file, as Google's console gives it."""

    def __init__(self, email: str = "sheetcrm@shop-crm.iam.gserviceaccount.com") -> None:
        self.email = email
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def key_file(self, token_uri: str) -> dict[str, str]:
        pem = self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
        return {
            "type": "service_account",
            "project_id": "shop-crm",
            "private_key_id": "k1",
            "private_key": pem,
            "client_email": self.email,
            "client_id": "1",
            "token_uri": token_uri,
        }


class SheetsServer:
    """The fake API; `spreadsheets` by id, `requests` counts calls by kind."""

    def __init__(self, account: ServiceAccount) -> None:
        self.account = account
        self.spreadsheets: dict[str, Spreadsheet] = {}
        self.requests: list[str] = []
        self.payloads: list[tuple[str, Any]] = []  # the body of every write, in order
        self.bytes_in = 0  # request bodies received
        self.bytes_out = 0  # response bodies sent
        self.tokens: set[str] = set()
        self.fail_next: list[int] = []  # status codes to answer the next API requests with
        self.fail_on: dict[str, list[int]] = {}  # the same, for the next requests of a kind
        self.delay_next: list[float] = []  # seconds to wait before answering the next requests
        self.quota = 60  # API requests a minute, as Google's default per user
        self.sent_at: list[float] = []
        self.between_read_and_write: Any = None  # called once before the first write
        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def start(self) -> SheetsServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def add(
        self, spreadsheet_id: str, sheets: dict[str, list[list[Any]]], *, shared: bool = True
    ) -> None:
        self.spreadsheets[spreadsheet_id] = Spreadsheet(
            [
                Sheet(i + 1, title, [list(r) for r in rows])
                for i, (title, rows) in enumerate(sheets.items())
            ],
            {self.account.email} if shared else set(),
        )

    def staff_do(self, spreadsheet_id: str, requests: list[dict[str, Any]]) -> None:
        """What staff do in the browser (a dropdown, a format), as batchUpdate requests: not
        counted as the job's requests."""
        status, answer = _batch_update(self.spreadsheets[spreadsheet_id], {"requests": requests})
        assert status == 200, answer

    def staff_type(self, spreadsheet_id: str, title: str, cell: str, text: str) -> None:
        """Someone types `text` into `cell` in the browser: a date is read in the
        spreadsheet's locale and kept as its serial under a date format, as Sheets does."""
        book = self.spreadsheets[spreadsheet_id]
        sheet = book.sheet(title)
        assert sheet is not None
        col, row = _cell(cell)
        assert col is not None and row is not None
        value, number = typed(book.locale, text)
        while len(sheet.rows) <= row:
            sheet.rows.append([])
        sheet.rows[row] += [""] * (col + 1 - len(sheet.rows[row]))
        sheet.rows[row][col] = value
        if number is not None:
            cells = {"startRowIndex": row, "endRowIndex": row + 1}
            sheet.formats.append(
                ({**cells, "startColumnIndex": col, "endColumnIndex": col + 1}, number)
            )

    def api_requests(self) -> list[str]:
        return [r for r in self.requests if r != "token"]

    # -- the handler ---------------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                server._serve(self, "GET")

            def do_POST(self) -> None:
                server._serve(self, "POST")

            def do_PUT(self) -> None:
                server._serve(self, "PUT")

        return Handler

    def _serve(self, request: BaseHTTPRequestHandler, method: str) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        url = urlparse(request.path)
        try:
            if url.path == "/token":
                status, payload = self._token(body)
            else:
                status, payload = self._api(request, method, url.path, parse_qs(url.query), body)
        except Exception as exc:
            status, payload = _error(500, "INTERNAL", f"fake server: {exc!r}")
        data = json.dumps(payload).encode()
        self.bytes_in += len(body)
        self.bytes_out += len(data)
        request.send_response(status)
        if status == 429:
            request.send_header("Retry-After", "1")
        request.send_header("Content-Type", "application/json; charset=UTF-8")
        request.send_header("Content-Length", str(len(data)))
        request.end_headers()
        request.wfile.write(data)

    def _token(self, body: bytes) -> tuple[int, Any]:
        self.requests.append("token")
        form = parse_qs(body.decode())
        assertion = form.get("assertion", [""])[0]
        try:
            head, claims, signature = assertion.split(".")
            self.account.key.public_key().verify(
                _unb64(signature),
                f"{head}.{claims}".encode(),
                padding.PKCS1v15(),
                hashes.SHA256(),
            )
        except Exception:
            return 400, {"error": "invalid_grant", "error_description": "Invalid JWT Signature."}
        payload = json.loads(_unb64(claims))
        # google-auth addresses the assertion to Google's token endpoint whatever token_uri
        # it posts to, as Google expects.
        audiences = {"https://oauth2.googleapis.com/token", f"{self.url}/token"}
        if payload.get("aud") not in audiences or SCOPE not in payload.get("scope", ""):
            return 400, {"error": "invalid_grant", "error_description": f"Invalid JWT: {payload}"}
        token = f"token-{len(self.tokens)}"
        self.tokens.add(token)
        return 200, {"access_token": token, "expires_in": 3600, "token_type": "Bearer"}

    def _api(
        self,
        request: BaseHTTPRequestHandler,
        method: str,
        path: str,
        query: dict[str, list[str]],
        body: bytes,
    ) -> tuple[int, Any]:
        auth = request.headers.get("Authorization", "")
        if auth.removeprefix("Bearer ") not in self.tokens:
            return _error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.")
        m = re.fullmatch(
            r"/v4/spreadsheets/([^/:]+)(/values:batchGet|/values:batchUpdate|:batchUpdate)?", path
        )
        if m is None:
            return _error(404, "NOT_FOUND", f"no such method {path}")
        kind = {None: "get", "/values:batchGet": "values.batchGet"}.get(
            m[2], m[2] and m[2].strip("/:")
        )
        if self.delay_next:
            time.sleep(self.delay_next.pop(0))  # slower than the client's timeout: it gives up
        with self._lock:
            self.requests.append(str(kind))
            now = time.monotonic()
            self.sent_at = [t for t in self.sent_at if now - t < 60] + [now]
            if len(self.sent_at) > self.quota:
                return _error(
                    429,
                    "RESOURCE_EXHAUSTED",
                    "Quota exceeded for quota metric "
                    "'Read requests' and limit 'Read requests per minute per user'",
                )
            failures = self.fail_on.get(str(kind)) or self.fail_next
            if failures:
                code = failures.pop(0)
                return _error(
                    code, "UNAVAILABLE" if code >= 500 else "RESOURCE_EXHAUSTED", "try again"
                )
            book = self.spreadsheets.get(m[1])
            if book is None:
                return _error(404, "NOT_FOUND", "Requested entity was not found.")
            if self.account.email not in book.shared_with:
                return _error(403, "PERMISSION_DENIED", "The caller does not have permission")
            if kind == "get":
                return 200, _metadata(m[1], book, query.get("fields", [""])[0])
            if kind == "values.batchGet":
                return 200, _batch_get(book, query)
            if self.between_read_and_write is not None:
                hook, self.between_read_and_write = self.between_read_and_write, None
                hook(book)
            payload = json.loads(body or b"{}")
            self.payloads.append((str(kind), payload))
            if kind == "values:batchUpdate":
                return _values_update(book, payload)
            return _batch_update(book, payload)


def _error(code: int, status: str, message: str) -> tuple[int, Any]:
    return code, {"error": {"code": code, "message": message, "status": status}}


def _sheet_metadata(index: int, sheet: Sheet, fields: str) -> dict[str, Any]:
    found: dict[str, Any] = {
        "properties": {
            "sheetId": sheet.sheet_id,
            "title": sheet.title,
            "index": index,
            "sheetType": "GRID",
            "gridProperties": {"rowCount": sheet.row_count, "columnCount": sheet.column_count},
        }
    }
    if sheet.basic_filter is not None:
        found["basicFilter"] = sheet.basic_filter
    for key, items in (
        ("conditionalFormats", sheet.conditional_formats),
        ("filterViews", sheet.filter_views),
        ("protectedRanges", sheet.protected_ranges),
    ):
        if items:
            found[key] = items
    if sheet.developer_metadata and "developerMetadata" in fields:
        found["developerMetadata"] = sheet.developer_metadata
    if "rowData" in fields:
        found["data"] = [{"rowData": _row_data(sheet, fields)}]
    return found


def _row_data(sheet: Sheet, fields: str) -> list[dict[str, Any]]:
    """Every row of the grid down to the last one with a value, a format or a rule, each
    cell with the fields asked for; as Google does, a cell with none of them is `{}`, a row
    with none `{}` (Google sends every cell of a long sheet this way, not only the header's).
    """
    ranges: list[tuple[str, dict[str, Any], Any]] = []
    if "dataValidation" in fields:
        ranges += [("dataValidation", g, rule) for g, rule in sheet.validations]
    if "numberFormat" in fields:
        ranges += [("numberFormat", g, number) for g, number in sheet.formats]
    height = len(sheet.rows)
    for _, grid, _ in ranges:
        height = max(height, min(grid.get("endRowIndex", sheet.row_count), sheet.row_count))
    by_column: dict[int, list[tuple[str, dict[str, Any], Any]]] = {}
    for kind, grid, found in ranges:
        left = grid.get("startColumnIndex", 0)
        for c in range(left, min(grid.get("endColumnIndex", sheet.column_count), 1 << 14)):
            by_column.setdefault(c, []).append((kind, grid, found))
    width = max([0, *(c + 1 for c in by_column)])
    out: list[dict[str, Any]] = []
    for r in range(height):
        row = sheet.rows[r] if r < len(sheet.rows) else []
        cells: list[dict[str, Any]] = []
        for c in range(max(width, len(row))):
            cell: dict[str, Any] = {}
            for kind, grid, found in by_column.get(c, ()):
                if _inside(grid, r, c):
                    cell[kind] = found  # a later range wins
            if cell.get("dataValidation") is None:
                cell.pop("dataValidation", None)  # cleared
            number = cell.pop("numberFormat", None)
            if number is not None:
                cell["effectiveFormat"] = {"numberFormat": {"type": number["type"]}}
            cells.append(cell)
        while cells and not cells[-1] and len(cells) > len(row):
            cells.pop()
        out.append({"values": cells} if cells else {})
    return out


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _metadata(spreadsheet_id: str, book: Spreadsheet, fields: str) -> Any:
    return {
        "spreadsheetId": spreadsheet_id,
        "properties": {"title": "CRM", "locale": book.locale, "timeZone": "Asia/Shanghai"},
        "sheets": [_sheet_metadata(i, s, fields) for i, s in enumerate(book.sheets)],
    }


def _column(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _letters(col: int) -> str:
    out = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def _parse_range(text: str) -> tuple[str, int, int, int | None, int | None]:
    """'Sheet'!B2:C9 → (title, top, left, bottom, right), 0-based, None for open ends."""
    text = unquote(text)
    title_part, _, cells = text.rpartition("!") if "!" in text else (text, "", "")
    quoted = title_part.startswith("'")
    title = title_part[1:-1].replace("''", "'") if quoted else title_part
    if not cells:
        return title, 0, 0, None, None
    first, _, last = cells.partition(":")
    left, top = _cell(first)
    if not last:
        return title, top or 0, left or 0, top, left
    right, bottom = _cell(last)
    return title, top or 0, left or 0, bottom, right


def _cell(ref: str) -> tuple[int | None, int | None]:
    m = re.fullmatch(r"([A-Z]*)(\d*)", ref)
    if m is None:
        raise ValueError(f"bad cell {ref}")
    return (_column(m[1]) if m[1] else None), (int(m[2]) - 1 if m[2] else None)


def _batch_get(book: Spreadsheet, query: dict[str, list[str]]) -> Any:
    formatted_dates = query.get("dateTimeRenderOption", [""])[0] == "FORMATTED_STRING"
    out = []
    for text in query.get("ranges", []):
        title, top, left, bottom, right = _parse_range(text)
        sheet = book.sheet(title)
        if sheet is None:
            raise ValueError(f"Unable to parse range: {text}")
        rows = []
        formats = _formats_by_column(sheet) if formatted_dates else {}
        for r, row in enumerate(sheet.rows[top : None if bottom is None else bottom + 1], top):
            cells = row[left : None if right is None else right + 1]
            if formats:  # a number may be a date: its format says
                cells = [
                    _formatted(v, _format_at(formats.get(c), r, c))
                    if c in formats and isinstance(v, int | float)
                    else v
                    for c, v in enumerate(cells, left)
                ]
            while cells and cells[-1] in ("", None):
                cells.pop()
            rows.append(cells)
        while rows and not rows[-1]:
            rows.pop()
        out.append({"range": text, "majorDimension": "ROWS", "values": rows})
    return {"valueRanges": out}


Formats = list[tuple[dict[str, Any], dict[str, Any]]]


def _formats_by_column(sheet: Sheet) -> dict[int, Formats]:
    width = max((len(r) for r in sheet.rows), default=0)
    found: dict[int, Formats] = {}
    for grid, number in sheet.formats:
        for c in range(
            grid.get("startColumnIndex", 0), min(grid.get("endColumnIndex", width), width)
        ):
            found.setdefault(c, []).append((grid, number))
    return found


def _format_at(formats: Formats | None, row: int, col: int) -> dict[str, Any] | None:
    found = None
    for grid, number in formats or ():
        if _inside(grid, row, col):
            found = number
    return found


_TOKENS = re.compile(r"yyyy|dd|d|hh|h|mm|m|ss")


def _formatted(value: Any, number: dict[str, Any] | None) -> Any:
    """A serial as its date format shows it (FORMATTED_STRING): yyyy-mm-dd, dd/mm/yyyy..."""
    if number is None or number.get("type") not in ("DATE", "DATE_TIME"):
        return value
    if not isinstance(value, int | float) or isinstance(value, bool):
        return value
    return _shown(float(value), number.get("pattern", "yyyy-mm-dd"))


@functools.lru_cache(maxsize=65536)  # a log's dates repeat: a 200,000-row benchmark
def _shown(value: float, pattern: str) -> str:
    moment = dt.datetime.combine(_EPOCH, dt.time()) + dt.timedelta(days=value)
    after_hours = False

    def token(m: re.Match[str]) -> str:
        nonlocal after_hours
        kind = m.group(0)
        if kind.startswith("m") and after_hours:
            return f"{moment.minute:02d}"
        after_hours = kind.startswith("h")
        parts = {"yyyy": f"{moment.year}", "dd": f"{moment.day:02d}", "d": f"{moment.day}",
                 "hh": f"{moment.hour:02d}", "h": f"{moment.hour}", "mm": f"{moment.month:02d}",
                 "m": f"{moment.month}", "ss": f"{moment.second:02d}"}  # fmt: skip
        return parts[kind]

    return _TOKENS.sub(token, pattern)


# How Sheets reads a date typed into a cell, and the format it gives the cell, by locale.
_TYPED = {
    "en_US": ("month", "m/d/yyyy"),
    "es_ES": ("day", "dd/mm/yyyy"),
}
_TYPED_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


def typed(locale: str, text: str) -> tuple[Any, dict[str, Any] | None]:
    """What a cell holds after someone types `text` (USER_ENTERED) in a spreadsheet of this
    locale: a numeric date becomes its serial under a date format; anything else stays."""
    m = _TYPED_DATE.match(text)
    if m is None:
        return text, None
    order, pattern = _TYPED[locale]
    first, second, year = int(m[1]), int(m[2]), int(m[3])
    day, month = (first, second) if order == "day" else (second, first)
    moment = dt.datetime(year, month, day, int(m[4] or 0), int(m[5] or 0), int(m[6] or 0))
    serial = (moment - dt.datetime.combine(_EPOCH, dt.time())) / dt.timedelta(days=1)
    if m[4] is None:
        return int(serial), {"type": "DATE", "pattern": pattern}
    return serial, {"type": "DATE_TIME", "pattern": pattern + " hh:mm:ss"}


def _values_update(book: Spreadsheet, payload: Any) -> tuple[int, Any]:
    if payload.get("valueInputOption") not in ("RAW", "USER_ENTERED"):
        return _error(400, "INVALID_ARGUMENT", "Invalid valueInputOption")
    updated = 0
    for block in payload.get("data", []):
        title, top, left, _, _ = _parse_range(block["range"])
        sheet = book.sheet(title)
        if sheet is None:
            return _error(400, "INVALID_ARGUMENT", f"Unable to parse range: {block['range']}")
        values = block.get("values", [])
        if block.get("majorDimension") == "COLUMNS":
            height = max((len(col) for col in values), default=0)
            values = [[col[r] if r < len(col) else None for col in values] for r in range(height)]
        width = max((len(r) for r in values), default=0)
        if top + len(values) > sheet.row_count or left + width > sheet.column_count:
            return _error(
                400,
                "INVALID_ARGUMENT",
                f"Range ({block['range']}) exceeds grid limits. Max rows: {sheet.row_count}, "
                f"max columns: {sheet.column_count}",
            )
        for r, row in enumerate(values, top):
            while len(sheet.rows) <= r:
                sheet.rows.append([])
            target = sheet.rows[r]
            for c, value in enumerate(row, left):
                while len(target) <= c:
                    target.append("")
                target[c] = "" if value is None else value
                sheet.links.pop((r, c), None)
                updated += 1
    return 200, {"totalUpdatedCells": updated}


def _batch_update(book: Spreadsheet, payload: Any) -> tuple[int, Any]:
    replies = []
    for request in payload.get("requests", []):
        if "addSheet" in request:
            props = request["addSheet"].get("properties", {})
            if book.sheet(props["title"]) is not None:
                return _error(
                    400,
                    "INVALID_ARGUMENT",
                    f'A sheet with the name "{props["title"]}" already exists.',
                )
            grid = props.get("gridProperties", {})
            sheet = Sheet(
                max(s.sheet_id for s in book.sheets) + 1 if book.sheets else 1,
                props["title"],
                [],
                grid.get("rowCount", 1000),
                grid.get("columnCount", 26),
            )
            book.sheets.append(sheet)
            replies.append(
                {"addSheet": {"properties": {"sheetId": sheet.sheet_id, "title": sheet.title}}}
            )
        elif "appendDimension" in request:
            spec = request["appendDimension"]
            sheet = next(s for s in book.sheets if s.sheet_id == spec["sheetId"])
            if spec["dimension"] == "ROWS":
                sheet.row_count += spec["length"]
            else:
                sheet.column_count += spec["length"]
            replies.append({})
        elif "insertDimension" in request or "deleteDimension" in request:
            insert = "insertDimension" in request
            spec = request["insertDimension" if insert else "deleteDimension"]["range"]
            sheet = _by_id(book, spec["sheetId"])
            start, end = spec["startIndex"], spec["endIndex"]
            if spec["dimension"] != "ROWS" or end > sheet.row_count + (end - start) * insert:
                return _error(400, "INVALID_ARGUMENT", f"bad dimension range {spec}")
            if insert:
                sheet.rows[start:start] = [[] for _ in range(end - start)]
                sheet.row_count += end - start
            else:
                del sheet.rows[start:end]
                sheet.row_count -= end - start
            shift = (end - start) * (1 if insert else -1)
            sheet.links = {
                (r + shift if r >= start else r, c): uri
                for (r, c), uri in sheet.links.items()
                if insert or not start <= r < end
            }
            replies.append({})
        elif "setBasicFilter" in request:
            spec = request["setBasicFilter"]["filter"]
            _by_id(book, spec["range"]["sheetId"]).basic_filter = spec
            replies.append({})
        elif "addConditionalFormatRule" in request:
            rule = request["addConditionalFormatRule"]["rule"]
            _by_id(book, rule["ranges"][0]["sheetId"]).conditional_formats.insert(0, rule)
            replies.append({})
        elif "addFilterView" in request:
            view = dict(request["addFilterView"]["filter"])
            sheet = _by_id(book, view["range"]["sheetId"])
            view["filterViewId"] = 100 + len(sheet.filter_views)
            sheet.filter_views.append(view)
            replies.append({"addFilterView": {"filter": view}})
        elif "addProtectedRange" in request:
            protected = dict(request["addProtectedRange"]["protectedRange"])
            sheet = _by_id(book, protected["range"]["sheetId"])
            protected["protectedRangeId"] = 200 + len(sheet.protected_ranges)
            sheet.protected_ranges.append(protected)
            replies.append({"addProtectedRange": {"protectedRange": protected}})
        elif "updateDimensionProperties" in request:
            spec = request["updateDimensionProperties"]
            sheet = _by_id(book, spec["range"]["sheetId"])
            if spec["range"]["dimension"] != "COLUMNS" or spec["fields"] != "pixelSize":
                return _error(400, "INVALID_ARGUMENT", f"unsupported dimension update {spec}")
            for col in range(spec["range"]["startIndex"], spec["range"]["endIndex"]):
                sheet.column_widths[col] = spec["properties"]["pixelSize"]
            replies.append({})
        elif "createDeveloperMetadata" in request:
            metadata = dict(request["createDeveloperMetadata"]["developerMetadata"])
            location = metadata.get("location", {})
            if set(location) != {"sheetId"} or not metadata.get("metadataKey"):
                return _error(400, "INVALID_ARGUMENT", f"unsupported metadata {metadata}")
            sheet = _by_id(book, location["sheetId"])
            metadata["metadataId"] = 300 + sum(len(s.developer_metadata) for s in book.sheets)
            metadata["location"] = {"locationType": "SHEET", "sheetId": sheet.sheet_id}
            sheet.developer_metadata.append(metadata)
            replies.append({"createDeveloperMetadata": {"developerMetadata": metadata}})
        elif "setDataValidation" in request:
            spec = request["setDataValidation"]
            sheet = _by_id(book, spec["range"]["sheetId"])
            sheet.validations.append((spec["range"], spec.get("rule")))
            replies.append({})
        elif "updateSheetProperties" in request:
            spec = request["updateSheetProperties"]
            if spec.get("fields") != "gridProperties.frozenRowCount":
                return _error(400, "INVALID_ARGUMENT", f"unsupported sheet update {spec}")
            sheet = _by_id(book, spec["properties"]["sheetId"])
            sheet.frozen_rows = spec["properties"]["gridProperties"]["frozenRowCount"]
            replies.append({})
        elif "updateCells" in request:
            spec = request["updateCells"]
            if spec.get("fields") != "userEnteredValue,textFormatRuns":
                return _error(400, "INVALID_ARGUMENT", f"unsupported cell update {spec}")
            grid = spec["range"]
            sheet = _by_id(book, grid["sheetId"])
            for r, row in enumerate(spec["rows"], grid["startRowIndex"]):
                while len(sheet.rows) <= r:
                    sheet.rows.append([])
                for c, cell in enumerate(row["values"], grid["startColumnIndex"]):
                    target = sheet.rows[r]
                    while len(target) <= c:
                        target.append("")
                    entered = cell.get("userEnteredValue", {})
                    target[c] = next(iter(entered.values()), "")
                    uri = next(
                        (run["format"]["link"]["uri"] for run in cell.get("textFormatRuns", [])
                         if "link" in run.get("format", {})),
                        None,
                    )  # fmt: skip
                    if uri is None:
                        sheet.links.pop((r, c), None)
                    else:
                        sheet.links[(r, c)] = uri
            replies.append({})
        elif "repeatCell" in request:
            spec = request["repeatCell"]
            grid = spec["range"]
            sheet = next(s for s in book.sheets if s.sheet_id == grid["sheetId"])
            style = dict(spec["cell"]["userEnteredFormat"])
            number = style.pop("numberFormat", None)
            if number is not None:
                sheet.formats.append((grid, number))
            if style:
                sheet.styles.append((grid, style))
            replies.append({})
        else:
            return _error(400, "INVALID_ARGUMENT", f"unsupported request {sorted(request)}")
    return 200, {"replies": replies}


def _by_id(book: Spreadsheet, sheet_id: int) -> Sheet:
    found = next((s for s in book.sheets if s.sheet_id == sheet_id), None)
    if found is None:
        raise ValueError(f"No grid with id: {sheet_id}")
    return found


def wait_for(condition: Any, timeout: float = 5.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError
        time.sleep(0.01)
