"""The channel interface, and the one place HTTP requests leave the process.

Every channel (SMTP, SMS, chat webhooks, the outbox) implements `Channel`: one `send` that
returns when the provider accepted the message and raises `DeliveryError` otherwise, with
`permanent` saying whether retrying could help. HTTP channels never call urllib themselves:
they take an `HttpTransport` (tests pass a fake or point at a loopback server) and go through
`send_http`, which maps status codes to errors the same way for every provider.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import logging
import ssl
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any, Protocol

from sheetcrm.channels.masking import mask_text, redact
from sheetcrm.errors import DeliveryError
from sheetcrm.outbound import Message

log = logging.getLogger(__name__)

# Enough of a provider's answer to name the fault, short enough for one log line.
EXCERPT_CHARS = 200
# A webhook answer is a few hundred bytes; more is a proxy page we do not need in full.
MAX_BODY_BYTES = 1 << 20


class Channel(Protocol):
    """Hands one rendered message to one outside system."""

    name: str

    def send(self, message: Message) -> None:
        """Return when the provider accepted `message`; raise `DeliveryError` otherwise."""
        ...


@dataclass(frozen=True, slots=True)
class HttpResponse:
    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        """Header lookup ignoring case, as HTTP does."""
        wanted = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == wanted), None)

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


class HttpTransport(Protocol):
    """Sends one HTTP request and returns whatever status came back.

    A transport only raises for requests that got no answer at all (refused, reset, timed
    out), as a transient `DeliveryError`; deciding what a status means is `send_http`'s job.
    """

    def request(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | None,
        timeout: float,
    ) -> HttpResponse: ...


class HttpDeliveryError(DeliveryError):
    """A `DeliveryError` that keeps what the provider answered, for logs and retry timing."""

    def __init__(
        self,
        message: str,
        *,
        permanent: bool,
        status: int | None = None,
        excerpt: str = "",
        retry_after: float | None = None,
        unknown: bool = False,
    ) -> None:
        super().__init__(message, permanent=permanent, unknown=unknown)
        self.status = status
        self.excerpt = excerpt
        self.retry_after = retry_after


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A webhook that redirects is misconfigured; following it would turn POST into GET."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class UrllibTransport:
    """The stdlib transport: no extra dependency, certificate checks on, no redirects."""

    def __init__(self, ssl_context: ssl.SSLContext | None = None) -> None:
        self._context = ssl_context
        self._built: urllib.request.OpenerDirector | None = None

    @property
    def _opener(self) -> urllib.request.OpenerDirector:
        # Made at the first request: loading the system's certificates takes 40 ms, and
        # most syncs send nothing over HTTP.
        if self._built is None:
            context = self._context or ssl.create_default_context()
            self._built = urllib.request.build_opener(
                _NoRedirect(), urllib.request.HTTPSHandler(context=context)
            )
        return self._built

    def request(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | None,
        timeout: float,
    ) -> HttpResponse:
        req = urllib.request.Request(url, data=body, headers=dict(headers), method=method)
        try:
            with self._opener.open(req, timeout=timeout) as resp:
                return HttpResponse(resp.status, dict(resp.headers), resp.read(MAX_BODY_BYTES))
        except urllib.error.HTTPError as exc:  # a status outside 2xx: still an answer
            with exc:
                return HttpResponse(exc.code, dict(exc.headers or {}), exc.read(MAX_BODY_BYTES))
        except urllib.error.URLError as exc:
            reason = exc.reason
            # A bad certificate will not fix itself by the next retry; the settings must.
            permanent = isinstance(reason, ssl.SSLCertVerificationError)
            raise HttpDeliveryError(
                f"no answer from {safe_origin(url)}: {_describe(reason)}", permanent=permanent
            ) from exc
        except (TimeoutError, OSError, http.client.HTTPException) as exc:
            # urllib wraps what fails while the request is sent in URLError (above): this
            # failed after it was sent, waiting for the answer — delivered or not, unknown.
            raise HttpDeliveryError(
                f"no answer from {safe_origin(url)} after the request was sent: {_describe(exc)}",
                permanent=False,
                unknown=True,
            ) from exc


def _describe(reason: object) -> str:
    if isinstance(reason, BaseException):
        text = str(reason)
        return f"{type(reason).__name__}: {text}" if text else type(reason).__name__
    return str(reason)


def safe_origin(url: str) -> str:
    """scheme://host[:port] only: paths and queries of webhook URLs carry their tokens."""
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}{f':{parts.port}' if parts.port else ''}"


def excerpt(body: bytes, secrets: Iterable[str] = ()) -> str:
    """One short line of a provider's answer, with secrets cut out and contacts masked
    (providers like to quote the number they refused, and errors end up in the Outbox sheet)."""
    text = body[: EXCERPT_CHARS * 4].decode("utf-8", errors="replace")
    text = " ".join(mask_text(text, secrets).split())
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1] + "…"


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After is either seconds or an HTTP date; anything else is ignored."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


def is_transient_status(status: int) -> bool:
    """429 and 5xx may pass later; other 4xx mean the request itself is wrong."""
    return status == 429 or status >= 500


def send_http(
    transport: HttpTransport,
    method: str,
    url: str,
    *,
    what: str,
    headers: Mapping[str, str] | None = None,
    body: bytes | None = None,
    timeout: float = 10.0,
    secrets: Iterable[str] = (),
) -> HttpResponse:
    """The choke point: send, then map the status to success or a `DeliveryError`.

    `what` names the channel in errors ("wecom channel 'team'"); `secrets` are cut out of any
    excerpt of the answer, and the URL appears only as its origin, never its path or query.
    """
    secrets = tuple(secrets)
    try:
        response = transport.request(method, url, headers or {}, body, timeout)
    except DeliveryError as exc:
        raise HttpDeliveryError(
            f"{what}: {redact(str(exc), secrets)}", permanent=exc.permanent, unknown=exc.unknown
        ) from exc
    if 200 <= response.status < 300:
        return response
    text = excerpt(response.body, secrets)
    permanent = not is_transient_status(response.status)
    log.debug("%s: HTTP %s from %s", what, response.status, safe_origin(url))
    raise HttpDeliveryError(
        f"{what}: HTTP {response.status} from {safe_origin(url)}" + (f": {text}" if text else ""),
        permanent=permanent,
        status=response.status,
        excerpt=text,
        retry_after=retry_after_seconds(response.header("Retry-After")),
    )


def answer_json(response: HttpResponse, what: str, secrets: Iterable[str] = ()) -> Any:
    """The JSON of a 2xx answer. Unreadable means we cannot tell whether the provider took the
    message, so it is permanent: retrying could post it twice."""
    try:
        return response.json()
    except (UnicodeDecodeError, ValueError) as exc:
        text = excerpt(response.body, secrets)
        raise HttpDeliveryError(
            f"{what}: answer is not JSON: {text}",
            permanent=True,
            status=response.status,
            excerpt=text,
        ) from exc
