"""Exactly once means once [issue 18]: a send whose request reached the provider and whose
answer was lost (a dropped connection before SMTP's "250", a late answer, an HTTP gateway
that hangs or closes without answering) is recorded as unknown and never sent again, by this
run or any later one. A send that surely did not reach the provider is still retried.

The servers are real sockets on loopback that misbehave the way real ones do."""

from __future__ import annotations

import contextlib
import datetime as dt
import socket
import socketserver
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from sheetcrm.channels.sms import HttpSmsChannel
from sheetcrm.channels.smtp import SmtpChannel
from sheetcrm.delivery import DeliveryPolicy, RetryPolicy, deliver
from sheetcrm.ledger import Ledger, LedgerEntry
from sheetcrm.outbound import DeliveryStatus, Message, MessageKind, Recipient, RecipientKind
from tests.delivery_fixtures import NOON, at, message, staff

RUNS = 3  # each message offered to the channel on three runs


@contextmanager
def server(handle: Callable[[socket.socket], None]) -> Iterator[tuple[int, list[int]]]:
    """A TCP server on loopback; `handle` serves one connection; yields (port, deliveries)."""
    deliveries: list[int] = []

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            with contextlib.suppress(OSError):  # the client hung up, as real clients do
                handle(self.request, deliveries)  # type: ignore[call-arg]

    tcp = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    tcp.daemon_threads = True
    thread = threading.Thread(target=tcp.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield tcp.server_address[1], deliveries
    finally:
        tcp.shutdown()
        tcp.server_close()


def lines(sock: socket.socket) -> Iterator[bytes]:
    buffer = b""
    while True:
        while b"\r\n" not in buffer:
            chunk = sock.recv(4096)
            if not chunk:
                return
            buffer += chunk
        line, buffer = buffer.split(b"\r\n", 1)
        yield line


def smtp_that(after_data: str) -> Callable[..., None]:
    """An SMTP server that stores the message, then drops the line or answers too late."""

    def handle(sock: socket.socket, deliveries: list[int]) -> None:
        sock.sendall(b"220 mail.example.com ESMTP\r\n")
        reading = False
        for line in lines(sock):
            if reading:
                if line == b".":
                    deliveries.append(1)  # stored: the recipient will get it
                    if after_data == "drop":
                        sock.close()
                        return
                    time.sleep(1.5)  # the client gave up at 0.5 s
                    sock.sendall(b"250 OK queued\r\n")
                    reading = False
                continue
            verb = line.split(b" ")[0].upper()
            if verb in (b"EHLO", b"HELO"):
                sock.sendall(b"250-mail.example.com\r\n250 8BITMIME\r\n")
            elif verb == b"DATA":
                sock.sendall(b"354 go ahead\r\n")
                reading = True
            elif verb == b"QUIT":
                sock.sendall(b"221 bye\r\n")
                return
            else:
                sock.sendall(b"250 OK\r\n")

    return handle


def http_that(after_request: str) -> Callable[..., None]:
    """An SMS gateway that handles the request, then closes, hangs or answers too late."""

    def handle(sock: socket.socket, deliveries: list[int]) -> None:
        data = b""
        while b"\r\n\r\n" not in data:
            data += sock.recv(4096)
        head, _, body = data.partition(b"\r\n\r\n")
        length = int(next(
            (line.split(b":")[1] for line in head.split(b"\r\n")
             if line.lower().startswith(b"content-length")), b"0",
        ))  # fmt: skip
        while len(body) < length:
            body += sock.recv(4096)
        deliveries.append(1)  # handled: the SMS is on its way
        if after_request == "close":
            sock.close()
            return
        time.sleep(1.5)  # hangs, or answers after the client's timeout
        if after_request == "late":
            sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")

    return handle


def digest() -> Message:
    """A staff digest for Wang, who has an e-mail and a mobile."""
    wang = Recipient(
        RecipientKind.STAFF, "Wang", "Wang", "en", email="wang@example.com", phone="+8613800138000"
    )
    return message(kind=MessageKind.STAFF_DIGEST, channel="ch", recipient=wang)


def offered(tmp_path: Path, channel: object) -> tuple[list[str], str]:
    """A staff digest offered on RUNS runs: its status each time, and the last reason."""
    msg = digest()
    statuses = []
    policy = DeliveryPolicy(retry=RetryPolicy(attempts=3, base_delay=0, sleep=lambda s: None))
    for run in range(RUNS):
        with Ledger(tmp_path / "ledger.sqlite3") as ledger:
            channels = {"ch": channel}
            report = deliver([msg], ledger, channels, now=NOON, policy=policy)  # type: ignore[arg-type]
            statuses.append(report.outcomes[0].status)
            reason = report.outcomes[0].reason
            if run == 0:
                entry = ledger.get(msg.key)
                assert entry is not None and entry.unknown, entry
    return [str(s) for s in statuses], reason


@pytest.mark.parametrize("after", ["drop", "late"], ids=["drops before 250", "250 too late"])
def test_an_smtp_server_that_kept_the_mail_gets_it_once(tmp_path: Path, after: str) -> None:
    with server(smtp_that(after)) as (port, deliveries):
        channel = SmtpChannel(
            "ch", host="127.0.0.1", port=port, from_address="shop@example.com",
            security="none", timeout=0.5,
        )  # fmt: skip
        statuses, reason = offered(tmp_path, channel)
    assert len(deliveries) == 1
    assert statuses[0] == DeliveryStatus.FAILED
    assert reason.startswith("already failed") and "unknown: the request reached" in reason


@pytest.mark.parametrize("after", ["close", "hang", "late"])
def test_an_sms_gateway_that_handled_the_request_sends_it_once(tmp_path: Path, after: str) -> None:
    with server(http_that(after)) as (port, deliveries):
        channel = HttpSmsChannel(
            "ch", url=f"http://127.0.0.1:{port}/send", body={"to": "{phone}", "text": "{text}"},
            timeout=0.5,
        )  # fmt: skip
        statuses, reason = offered(tmp_path, channel)
    assert len(deliveries) == 1
    assert statuses == [DeliveryStatus.FAILED] * RUNS and "unknown: the request" in reason


def test_a_refused_connection_is_still_retried(tmp_path: Path) -> None:
    """Nothing reached anyone: trying again is safe, and it is done."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: connecting is refused
    channel = SmtpChannel(
        "ch", host="127.0.0.1", port=port, from_address="shop@example.com", security="none",
        timeout=0.5,
    )  # fmt: skip
    msg = message(kind=MessageKind.STAFF_DIGEST, channel="ch", recipient=staff())
    tries: list[float] = []
    policy = DeliveryPolicy(retry=RetryPolicy(attempts=3, base_delay=0, sleep=tries.append))
    with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        report = deliver([msg], ledger, {"ch": channel}, now=at(12), policy=policy)
        entry = ledger.get(msg.key)
    assert len(tries) == 2  # three tries in the run
    assert entry is not None and not entry.unknown and not entry.permanent
    assert "will retry" in report.outcomes[0].reason or "connection failed" in entry.reason


def test_the_report_counts_only_what_went_out_as_sent_before() -> None:
    """Two 550s yesterday are not "2 sent before" today."""
    from sheetcrm.delivery import DeliveryReport, Outcome
    from sheetcrm.views import _delivery_lines

    report = DeliveryReport(
        (
            Outcome("a", DeliveryStatus.FAILED, "already failed: 550", new=False),
            Outcome("b", DeliveryStatus.FAILED, "already failed: 550", new=False),
            Outcome("c", DeliveryStatus.SENT, "already sent", new=False),
        )
    )
    (line,) = _delivery_lines(report, "en")
    assert line.endswith("; 1 sent before; 2 failed, skipped or unknown before, not tried again")


def test_a_name_of_32767_characters_is_a_problem_not_the_end_of_the_day(tmp_path: Path) -> None:
    """It made a digest exceed its cap and stopped the whole sync: now the cell is a warning,
    the messages use its start, and everything else is done."""
    import datetime as dt

    import xlsxwriter

    from sheetcrm import sync
    from sheetcrm.settings import load_settings
    from sheetcrm.templating import MAX_CHARS

    book = xlsxwriter.Workbook(str(tmp_path / "crm.xlsx"))
    sheet = book.add_worksheet("Customers")
    sheet.write_row(0, 0, ["Customer ID", "Name", "Phone", "Birthday", "Owner"])
    sheet.write_row(1, 0, ["C1", "A" * 32767, "+86 138 0013 8000", "1980-12-04", "Kim"])
    sheet.write_row(2, 0, ["C2", "Bo Li", "+86 138 0013 8001", "1981-12-04", "Kim"])
    staff = book.add_worksheet("Staff")
    staff.write_row(0, 0, ["Name", "Active"])
    staff.write_row(1, 0, ["Kim", "yes"])
    book.close()
    config = tmp_path / "settings.yaml"
    config.write_text("workbook: crm.xlsx\nlanguage: en\n", "utf-8")
    now = dt.datetime(2026, 12, 4, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    report = sync.run(load_settings(config), today=now.date(), now=now)
    assert [(p.cell, p.code) for p in report.problems] == [("B2", "text.too_long")]
    assert report.result is not None and report.result.changed
    assert report.delivery is not None and report.delivery.sent == len(report.messages) > 0
    assert all(len(m.body) <= MAX_CHARS[m.kind] for m in report.messages)


def lost_answer(tmp_path: Path) -> list[LedgerEntry]:
    """The ledger after a digest whose SMTP server dropped the line before its "250"."""
    with server(smtp_that("drop")) as (port, _):
        channel = SmtpChannel(
            "ch", host="127.0.0.1", port=port, from_address="shop@example.com",
            security="none", timeout=0.5,
        )  # fmt: skip
        offered(tmp_path, channel)
    with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        return ledger.entries(None)


def test_the_outbox_says_unknown_where_it_cannot_know(tmp_path: Path) -> None:
    from sheetcrm.reminders import outbox_sheet

    sheet = outbox_sheet(("Outbox",), lost_answer(tmp_path), "en")
    (row,) = sheet.rows
    assert row[1] == "unknown: check" and str(row[-2]).startswith("unknown: the request reached")


def test_with_an_idempotency_key_a_lost_answer_is_tried_again_and_sent_once(
    tmp_path: Path,
) -> None:
    """A gateway that drops a repeat of a key it has seen: the first answer is lost, the
    second try carries the same key, the gateway answers without sending twice."""
    seen: dict[str, int] = {}

    def handle(sock: socket.socket, deliveries: list[int]) -> None:
        data = b""
        while b"\r\n\r\n" not in data:
            data += sock.recv(4096)
        head = data.split(b"\r\n\r\n")[0].decode()
        key = next(
            line.split(":", 1)[1].strip()
            for line in head.split("\r\n")
            if line.lower().startswith("idempotency-key:")
        )
        seen[key] = seen.get(key, 0) + 1
        if seen[key] == 1:
            deliveries.append(1)  # sent to the phone; the answer is then lost
            sock.close()
            return
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")  # a repeat: not resent

    with server(handle) as (port, deliveries):
        channel = HttpSmsChannel(
            "ch", url=f"http://127.0.0.1:{port}/send", body={"to": "{phone}", "text": "{text}"},
            timeout=0.5, idempotency_header="Idempotency-Key",
        )  # fmt: skip
        statuses, reason = offered_once(tmp_path, channel)
    assert len(deliveries) == 1 and list(seen.values()) == [2]
    assert statuses == DeliveryStatus.SENT, reason


def offered_once(tmp_path: Path, channel: object) -> tuple[DeliveryStatus, str]:
    msg = digest()
    policy = DeliveryPolicy(retry=RetryPolicy(attempts=3, base_delay=0, sleep=lambda s: None))
    with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        report = deliver([msg], ledger, {"ch": channel}, now=NOON, policy=policy)  # type: ignore[dict-item]
    return report.outcomes[0].status, report.outcomes[0].reason


SUMMARY_SAYS = {
    "zh-Hans": ("无法确定对方是否收到", "每日任务 → Wang（渠道：ch）", "请手工补发"),
    "zh-Hant": ("無法確定對方是否收到", "每日任務 → Wang（管道：ch）", "請手動補發"),
    "es": ("no se sabe si llegaron", "→ Wang (canal ch)", "envíelo a mano"),
    "en": ("may or may not have arrived", "→ Wang (channel ch)", "send it by hand"),
}


@pytest.mark.parametrize("language", SUMMARY_SAYS)
def test_the_managers_summary_lists_what_may_not_have_arrived(
    tmp_path: Path, language: str
) -> None:
    """A lost answer this week is in the Monday summary, with what to check; one of an
    earlier week is not listed again."""
    from sheetcrm.message_context import ManagerSummaryContext, StaffContext, as_context
    from sheetcrm.reminders import unknown_sends
    from sheetcrm.templating import TemplateLibrary

    (unknown,) = unknown_sends(lost_answer(tmp_path), language)
    week = NOON.date() - dt.timedelta(days=6), NOON.date()
    context = ManagerSummaryContext(StaffContext("Zhang"), "Shop", *week, unknown_sends=(unknown,))
    body = (
        TemplateLibrary(None)
        .render(MessageKind.MANAGER_SUMMARY, language, as_context(context))
        .body
    )
    for words in SUMMARY_SAYS[language]:
        assert words in body, body


def test_only_the_weeks_unknown_sends_are_summarised() -> None:
    from sheetcrm.message_context import UnknownSend
    from sheetcrm.records import StaffMember
    from sheetcrm.rules.plans import PlanResult
    from sheetcrm.rules.reminders import ReminderParams, manager_intents

    monday = dt.date(2026, 11, 23)
    boss = [StaffMember(2, "Zhang", email="zhang@example.com", role="manager")]
    nothing = PlanResult(rows={}, tasks={}, unassigned=(), unowned=())
    sends = [
        UnknownSend("This week", "birthday", "sms", monday - dt.timedelta(days=3)),
        UnknownSend("Last week", "birthday", "sms", monday - dt.timedelta(days=8)),
    ]
    (intent,) = manager_intents(
        [], boss, [], nothing, {}, [], 0, monday, ReminderParams("Shop", "en"), sends
    )
    assert [u.recipient for u in intent.context.unknown_sends] == ["This week"]  # type: ignore[union-attr]
