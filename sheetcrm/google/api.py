"""The Sheets API calls the backend makes, through gspread's HTTP client and google-auth's
service-account credentials; failures become one line that says what to do.

Only four calls are used: spreadsheets.get (sheets, grid sizes, views, cells' rules),
values.batchGet, values.batchUpdate (RAW: a text is never read as a formula) and
spreadsheets.batchUpdate.
"""

from __future__ import annotations

import json
import random
import time
from collections import deque
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sheetcrm.errors import BackendError, ConfigError
from sheetcrm.settings import GoogleSettings

SCOPES = ("https://www.googleapis.com/auth/spreadsheets",)
_GOOGLE = "https://sheets.googleapis.com"
RETRIED = frozenset({429, 500, 502, 503, 504})
RETRIES = 6
RETRY_BUDGET = 120.0  # seconds of waiting, all tries of one request together
QUOTA = 60  # requests a minute, per user
_sleep = time.sleep  # tests wait for nothing


def _backoff(attempt: int) -> float:
    """1, 2, 4, 8… seconds, up to 32, each with up to a second of jitter."""
    return float(min(2**attempt, 32)) + random.random()


def _retry_after(exc: Any) -> float | None:
    """Google's Retry-After (seconds or an HTTP date), or 0.0 meaning "back off as usual"."""
    from sheetcrm.channels.base import retry_after_seconds

    header = exc.response.headers.get("Retry-After") if exc.response is not None else None
    return retry_after_seconds(header) or 0.0


def load_credentials(path: Path | None) -> Any:
    """The service account's credentials from its key file; one line naming the file and
    what is wrong with it otherwise."""
    from google.oauth2 import service_account

    if path is None:
        raise ConfigError(
            "google.credentials: no key file given; set google.credentials in settings.yaml "
            "(or GOOGLE_APPLICATION_CREDENTIALS) to the service account's JSON key"
        )
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"google.credentials: the key file {path} does not exist") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(
            f"google.credentials: {path} is not a service account's JSON key ({exc})"
        ) from None
    if not isinstance(info, dict) or info.get("type") != "service_account":
        raise ConfigError(
            f'google.credentials: {path} is not a service account key (its "type" is not '
            '"service_account"); download a key of the service account as JSON'
        )
    missing = [k for k in ("client_email", "private_key", "token_uri") if not info.get(k)]
    if missing:
        raise ConfigError(f"google.credentials: {path} lacks {', '.join(missing)}")
    try:
        return service_account.Credentials.from_service_account_info(  # type: ignore[no-untyped-call]
            info, scopes=SCOPES
        )
    except ValueError as exc:
        raise ConfigError(
            f"google.credentials: {path}: the private key is unusable ({exc})"
        ) from None


class SheetsApi:
    """One spreadsheet, through gspread's HTTP client pointed at `settings.endpoint`."""

    def __init__(self, settings: GoogleSettings) -> None:
        from gspread.http_client import HTTPClient

        assert settings.spreadsheet is not None
        self.spreadsheet = settings.spreadsheet
        self.credentials = load_credentials(settings.credentials)
        base = settings.endpoint.rstrip("/")

        class Endpoint(HTTPClient):
            """gspread's client, its requests sent to the configured endpoint."""

            def request(self, method: str, endpoint: str, *args: Any, **kwargs: Any) -> Any:
                if endpoint.startswith(_GOOGLE):
                    endpoint = base + endpoint[len(_GOOGLE) :]
                return super().request(method, endpoint, *args, **kwargs)

        self.client = Endpoint(self.credentials)
        self.client.set_timeout(settings.timeout)
        self.calls = 0
        self.sent: deque[float] = deque()  # when the requests of the last minute were sent

    def metadata(self, fields: str) -> Mapping[str, Any]:
        """spreadsheets.get, answering with `fields` only (grid data included when asked)."""
        found: Mapping[str, Any] = self._call(
            lambda: self.client.fetch_sheet_metadata(self.spreadsheet, params={"fields": fields})
        )
        return found

    def values(self, ranges: Sequence[str]) -> list[list[list[Any]]]:
        """The values of each range, rows as the API gives them (trailing blanks trimmed)."""
        if not ranges:
            return []
        found = self._call(
            lambda: self.client.values_batch_get(
                self.spreadsheet,
                list(ranges),
                params={
                    "valueRenderOption": "UNFORMATTED_VALUE",
                    "dateTimeRenderOption": "FORMATTED_STRING",
                    "majorDimension": "ROWS",
                },
            )
        )
        return [r.get("values", []) for r in found.get("valueRanges", [])]

    def update_values(self, data: Sequence[Mapping[str, Any]]) -> None:
        if data:
            body = {"valueInputOption": "RAW", "data": list(data)}
            self._call(lambda: self.client.values_batch_update(self.spreadsheet, body=body))

    def update_structure(self, requests: Sequence[Mapping[str, Any]]) -> Mapping[str, Any]:
        if not requests:
            return {}
        body = {"requests": list(requests)}
        replies: Mapping[str, Any] = self._call(
            lambda: self.client.batch_update(self.spreadsheet, body), idempotent=False
        )
        return replies

    def _call(self, call: Any, *, idempotent: bool = True) -> Any:
        """One request, paced under the per-user quota; a 429, a 5xx or a timeout is tried
        again after a growing, jittered wait (Retry-After when Google gives one), a bounded
        number of times. A request that may have been applied (`idempotent=False`: adding a
        sheet) is tried again only after a 429, which Google answers before doing anything."""
        from google.auth.exceptions import GoogleAuthError, TransportError
        from gspread.exceptions import APIError
        from requests.exceptions import RequestException

        started = time.monotonic()
        for attempt in range(RETRIES + 1):
            self._pace()
            self.calls += 1
            try:
                return call()
            except APIError as exc:
                wait = _retry_after(exc) if exc.code in RETRIED else None
                if exc.code != 429 and not idempotent:
                    wait = None
                if wait is None or not self._may_retry(attempt, started, wait):
                    raise BackendError(
                        self._explain(exc.code, str(exc.error.get("message", "")))
                    ) from None
                _sleep(wait or _backoff(attempt))
            except (TransportError, RequestException) as exc:
                if not idempotent or not self._may_retry(attempt, started, _backoff(attempt)):
                    raise BackendError(f"Google Sheets cannot be reached: {exc}") from None
                _sleep(_backoff(attempt))
            except GoogleAuthError as exc:
                raise BackendError(
                    f"Google refused the service account "
                    f"{self.credentials.service_account_email}: {exc}"
                ) from None
        raise AssertionError("unreachable: the last attempt raises")

    def _may_retry(self, attempt: int, started: float, wait: float) -> bool:
        return attempt < RETRIES and time.monotonic() - started + wait <= RETRY_BUDGET

    def _pace(self) -> None:
        """At most QUOTA requests in any minute: Google's default per-user quota."""
        now = time.monotonic()
        while self.sent and now - self.sent[0] >= 60:
            self.sent.popleft()
        if len(self.sent) >= QUOTA:
            _sleep(60 - (now - self.sent[0]))
            self.sent.popleft()
        self.sent.append(time.monotonic())

    def _explain(self, code: int, message: str) -> str:
        email = self.credentials.service_account_email
        if code == 403:
            return (
                f"the Google Sheet {self.spreadsheet} is not shared with the service account: "
                f"share it with {email} as an editor (Share, then that address), then run again"
            )
        if code == 404:
            return f"there is no Google Sheet with the id {self.spreadsheet}; check workbook:"
        return f"Google Sheets answered {code}: {message}"
