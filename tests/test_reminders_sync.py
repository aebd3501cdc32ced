"""The whole job sends what is due, once [issue 4]: sync against a real SMTP server on
loopback, twice on the same day, in and out of quiet hours, with and without consent."""

from __future__ import annotations

import datetime as dt
import email
from collections.abc import Iterator
from email.policy import default
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import xlsxwriter

from sheetcrm import sync
from sheetcrm.cli import execute
from sheetcrm.errors import TemplateError
from sheetcrm.outbound import Message, MessageKind
from sheetcrm.records import Contact
from sheetcrm.settings import load_settings
from sheetcrm.vocabulary import ContactType
from sheetcrm.write_plan import tier_history_rows, with_plans_of, write_plan
from tests.test_channels_smtp import Handler, start

TODAY = dt.date(2027, 2, 1)  # a Monday: managers get their weekly summary
SHANGHAI = ZoneInfo("Asia/Shanghai")
MORNING = dt.datetime(2027, 2, 1, 9, 30, tzinfo=SHANGHAI)
NIGHT = dt.datetime(2027, 2, 1, 22, 30, tzinfo=SHANGHAI)

# (id, name, e-mail, birthday, accepts promotions, owner)
CUSTOMERS = [
    ("C1", "王芳", "wangfang@example.com", "1980-02-01", "是", "李娜"),  # birthday today
    ("C2", "李明", "liming@example.com", "1975-02-01", "否", "李娜"),  # birthday, no consent
    ("C3", "陈静", "chenjing@example.com", "1990-06-01", "是", "李娜"),
]


def workbook(path: Path) -> Path:
    book = xlsxwriter.Workbook(str(path))
    register = book.add_worksheet("客户")
    register.write_row(0, 0, ["客户编号", "姓名", "邮箱", "生日", "接受推广", "负责人", "状态"])
    for r, row in enumerate(CUSTOMERS, start=1):
        register.write_row(r, 0, [*row, "成交客户"])
    orders = book.add_worksheet("订单")
    orders.write_row(0, 0, ["日期", "客户编号", "金额"])
    for r, cid in enumerate(("C1", "C2", "C3"), start=1):
        orders.write_row(r, 0, ["2027-01-20", cid, 1000 * r])
    staff = book.add_worksheet("员工")
    staff.write_row(0, 0, ["姓名", "邮箱", "在职", "上级"])
    staff.write_row(1, 0, ["李娜", "lina@example.com", "是", "张经理"])
    staff.write_row(2, 0, ["张经理", "boss@example.com", "是", ""])
    book.close()
    return path


@pytest.fixture
def smtp() -> Iterator[tuple[Handler, int]]:
    handler = Handler()
    controller, port = start(handler)
    try:
        yield handler, port
    finally:
        controller.stop()


def settings_file(folder: Path, port: int, extra: str = "") -> Path:
    workbook(folder / "crm.xlsx")
    config = folder / "settings.yaml"
    config.write_text(
        "workbook: crm.xlsx\n"
        "dates: {day_first: false}\n"
        "messages:\n"
        "  company: 明华家电\n"
        "  customer_channels: [email]\n"
        "  staff_channels: [email]\n"
        "channels:\n"
        f"  email: {{kind: smtp, host: 127.0.0.1, port: {port}, security: none,\n"
        "          from_address: care@example.com, from_name: 明华家电客户关怀}\n" + extra,
        "utf-8",
    )
    return config


def received(handler: Handler) -> list[tuple[str, str]]:
    """(recipient, subject) of every mail the server accepted."""
    out = []
    for _, rcpt, data in handler.received:
        mail = email.message_from_bytes(data, policy=default)
        out.append((rcpt[0], str(mail["subject"])))
    return out


def test_a_second_sync_the_same_day_sends_nothing(
    tmp_path: Path, smtp: tuple[Handler, int]
) -> None:
    handler, port = smtp
    settings = load_settings(settings_file(tmp_path, port))
    first = sync.run(settings, today=TODAY, now=MORNING)
    mails = received(handler)
    recipients = sorted(r for r, _ in mails)
    # C1's birthday (its monthly greeting waits: one message a day); C3's monthly greeting;
    # nothing for C2 (no promotions); Li Na's digest; the manager's Monday summary.
    assert recipients == [
        "boss@example.com",
        "chenjing@example.com",
        "lina@example.com",
        "wangfang@example.com",
    ]
    assert ("wangfang@example.com", "王芳，生日快乐！") in mails
    assert ("chenjing@example.com", "陈静，近来可好？") in mails
    assert first.delivery is not None and first.delivery.sent == 4
    second = sync.run(settings, today=TODAY, now=MORNING.replace(hour=15))
    assert len(handler.received) == 4  # nothing new went out
    assert second.delivery is not None and second.delivery.sent == 0
    assert second.result is not None and not second.result.changed


def test_customers_wait_for_the_end_of_quiet_hours_staff_do_not(
    tmp_path: Path, smtp: tuple[Handler, int]
) -> None:
    handler, port = smtp
    settings = load_settings(settings_file(tmp_path, port))
    report = sync.run(settings, today=TODAY, now=NIGHT)
    assert sorted(r for r, _ in received(handler)) == ["boss@example.com", "lina@example.com"]
    assert report.delivery is not None and report.delivery.queued == 3
    # The next morning, within the day of grace, the birthday greeting goes out late.
    sync.run(settings, today=TODAY + dt.timedelta(days=1), now=MORNING + dt.timedelta(days=1))
    assert "wangfang@example.com" in [r for r, _ in received(handler)]


def test_the_outbox_sheet_mirrors_the_ledger(tmp_path: Path, smtp: tuple[Handler, int]) -> None:
    _, port = smtp
    config = settings_file(tmp_path, port)
    sync.run(load_settings(config), today=TODAY, now=NIGHT)
    rows = list(openpyxl.load_workbook(tmp_path / "crm.xlsx")["发送记录"].values)
    header = (
        "时间", "状态", "已发", "消息类型", "收件人", "电话 / 微信 / 邮箱", "一键发送", "渠道",
        "日期", "主题", "内容", "原因", "备注", "编号",
    )  # fmt: skip
    assert rows[0] == header
    statuses = sorted((r[4], r[1], r[3]) for r in rows[1:])
    # Each message whole, to copy into WeChat; the time as a time, not a serial number.
    digest = next(r for r in rows[1:] if r[3] == "每日任务")
    assert digest[10].startswith("李娜，早上好！") and digest[10].count("\n") >= 3
    assert isinstance(digest[0], dt.datetime)
    assert digest[5] == "lina@example.com"
    sheet = openpyxl.load_workbook(tmp_path / "crm.xlsx")["发送记录"]
    assert sheet["A2"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet["K2"].alignment.wrap_text
    assert statuses == [
        ("张经理", "已发送", "每周汇总"),
        ("李娜", "已发送", "每日任务"),
        ("王芳", "待发送", "定期问候"),
        ("王芳", "待发送", "生日祝福"),
        ("陈静", "待发送", "定期问候"),
    ]


def test_a_template_error_sends_nothing(tmp_path: Path, smtp: tuple[Handler, int]) -> None:
    handler, port = smtp
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "staff_digest.zh-Hans.j2").write_text(
        "{% block subject %}待办{% endblock %}\n"
        "{% block body %}\n{{ staff.nmae }}\n{% endblock %}\n",
        "utf-8",
    )
    config = settings_file(tmp_path, port, "")
    text = config.read_text("utf-8").replace(
        "  company: 明华家电\n", "  company: 明华家电\n  templates: templates\n"
    )
    config.write_text(text, "utf-8")
    with pytest.raises(TemplateError, match=r"staff_digest\.zh-Hans\.j2 line 3: .*nmae"):
        sync.run(load_settings(config), today=TODAY, now=MORNING)
    assert handler.received == []


def test_preview_prints_what_would_be_sent_and_sends_nothing(
    tmp_path: Path, smtp: tuple[Handler, int], capsys: pytest.CaptureFixture[str]
) -> None:
    handler, port = smtp
    config = settings_file(tmp_path, port)
    before = (tmp_path / "crm.xlsx").read_bytes()
    assert execute(["-c", str(config), "preview", "--today", TODAY.isoformat()]) == 0
    out = capsys.readouterr().out
    assert (
        "birthday        → customer C1 (w***@example.com) via email "
        "[to send, or late until 2027-02-02]" in out
    )
    assert "王芳，生日快乐！" in out
    assert "C2" not in out  # no promotions: no greeting
    # The whole text, as the customer will read it, indented under its subject.
    (digest,) = [m.body for m in preview_messages_of(config) if m.kind.value == "staff_digest"]
    assert all(f"    {line}".rstrip() in out for line in digest.strip().splitlines())
    assert handler.received == []
    assert (tmp_path / "crm.xlsx").read_bytes() == before


def test_a_custom_date_is_greeted_with_its_own_template(
    tmp_path: Path, smtp: tuple[Handler, int]
) -> None:
    handler, port = smtp
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "anniversary.zh-Hans.j2").write_text(
        "{% block subject %}{{ company }}十周年{% endblock %}\n"
        "{% block body %}\n{{ customer.addressed }}，感谢您十年来的信任。\n{% endblock %}\n",
        "utf-8",
    )
    extra = "calendar:\n  custom: [{name: 店庆, date: '02-01', template: anniversary}]\n"
    config = settings_file(tmp_path, port, extra)
    text = config.read_text("utf-8").replace(
        "  company: 明华家电\n", "  company: 明华家电\n  templates: templates\n"
    )
    config.write_text(text, "utf-8")
    settings = load_settings(config)
    sync.run(settings, today=TODAY, now=MORNING)
    # C3 has no birthday today: its one message of the day is the anniversary greeting.
    assert ("chenjing@example.com", "明华家电十周年") in received(handler)


def test_preview_after_a_sync_says_what_went_out_already(
    tmp_path: Path, smtp: tuple[Handler, int], capsys: pytest.CaptureFixture[str]
) -> None:
    _, port = smtp
    config = settings_file(tmp_path, port)
    sync.run(load_settings(config), today=TODAY, now=MORNING)
    capsys.readouterr()
    assert execute(["-c", str(config), "preview", "--today", TODAY.isoformat()]) == 0
    out = capsys.readouterr().out
    assert (
        "birthday        → customer C1 (w***@example.com) via email [already sent 2027-02-01]"
        in out
    )


def preview_messages_of(config: Path) -> list[Message]:
    from sheetcrm.preview import preview

    return [line.message for line in preview(load_settings(config), today=TODAY)]


def test_preview_short_prints_one_line_and_the_subject(
    tmp_path: Path, smtp: tuple[Handler, int], capsys: pytest.CaptureFixture[str]
) -> None:
    _, port = smtp
    config = settings_file(tmp_path, port)
    assert execute(["-c", str(config), "preview", "--today", TODAY.isoformat(), "--short"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 * len(preview_messages_of(config))


def test_the_monday_summary_names_a_greeting_that_may_not_have_arrived(
    tmp_path: Path, smtp: tuple[Handler, int]
) -> None:
    """Friday's greeting to 王芳 went to the provider and its answer was lost [issue 18]:
    Monday's summary asks the manager to check it, and it is not sent again."""
    from sheetcrm.ledger import Ledger
    from sheetcrm.ledger_schema import UNKNOWN
    from sheetcrm.state import workbook_state
    from tests.delivery_fixtures import customer, message

    handler, port = smtp
    settings = load_settings(settings_file(tmp_path, port))
    friday = MORNING - dt.timedelta(days=3)
    lost = message(occasion=friday.date(), recipient=customer("C1", "王芳"))
    with Ledger.in_state_dir(workbook_state(settings)) as ledger:
        ledger.claim(lost, now=friday)
        ledger.mark_failed(lost.key, UNKNOWN.format(error="timed out"), permanent=True, now=friday)
    sync.run(settings, today=TODAY, now=MORNING)
    (summary,) = [
        email.message_from_bytes(data, policy=default)
        for _, rcpt, data in handler.received
        if rcpt == ["boss@example.com"]
    ]
    body = summary.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "2027年1月29日，生日祝福 → 王芳（渠道：email）" in body, body
    assert "请向收件人确认" in body


def test_preview_lists_a_greeting_once_with_the_days_it_may_go_out(
    tmp_path: Path, smtp: tuple[Handler, int], capsys: pytest.CaptureFixture[str]
) -> None:
    """Due on its day and, within its grace, the next: one message, not two [issue 13]."""
    _, port = smtp
    config = settings_file(tmp_path, port)
    assert execute(["-c", str(config), "preview", "--today", TODAY.isoformat(), "--days", "3"]) == 0
    out = capsys.readouterr().out
    birthday = [line for line in out.splitlines() if "birthday" in line and "C1" in line]
    assert len(birthday) == 1, out
    assert birthday[0].startswith("2027-02-01  birthday")
    assert "[to send, or late until 2027-02-02]" in birthday[0]


def test_a_digest_by_e_mail_has_its_sections_as_html_tables_escaped(
    tmp_path: Path, smtp: tuple[Handler, int]
) -> None:
    """Multipart text + HTML; a customer typed as <script> shows as text [issue 13]."""
    import lxml.html

    handler, port = smtp
    config = settings_file(tmp_path, port)
    book = openpyxl.load_workbook(tmp_path / "crm.xlsx")
    book["客户"]["B4"] = "<script>alert(1)</script>"  # C3, 李娜's customer
    book.save(tmp_path / "crm.xlsx")
    sync.run(load_settings(config), today=TODAY, now=MORNING)
    mails = {
        rcpt[0]: email.message_from_bytes(data, policy=default)
        for _, rcpt, data in handler.received
    }
    for who in ("lina@example.com", "boss@example.com"):
        mail = mails[who]
        assert mail.get_content_type() == "multipart/alternative"
        plain = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        html = mail.get_body(("html",)).get_content()  # type: ignore[union-attr]
        page = lxml.html.document_fromstring(html)
        assert page.xpath("//script") == []
        assert page.xpath("//table"), html
        assert plain.splitlines()[0] == page.xpath("//p")[0].text_content()
    digest = lxml.html.document_fromstring(
        mails["lina@example.com"].get_body(("html",)).get_content()  # type: ignore[union-attr]
    )
    cells = [td.text_content() for td in digest.xpath("//td")]
    assert "<script>alert(1)</script>" in cells
    headers = [th.text_content() for th in digest.xpath("//th")]
    assert {"客户", "电话", "事项"} <= set(headers)


def test_a_digest_has_html_tables_only_when_it_goes_by_e_mail(
    tmp_path: Path, smtp: tuple[Handler, int]
) -> None:
    _, port = smtp
    (tmp_path / "mail").mkdir()
    (tmp_path / "desk").mkdir()
    by_mail = settings_file(tmp_path / "mail", port)
    by_desk = settings_file(tmp_path / "desk", port, "  desk: {kind: outbox}\n")
    text = by_desk.read_text("utf-8").replace("staff_channels: [email]", "staff_channels: [desk]")
    by_desk.write_text(text, "utf-8")
    for config, channel, tables in ((by_mail, "email", True), (by_desk, "desk", False)):
        digests = [m for m in preview_messages_of(config) if m.kind is MessageKind.STAFF_DIGEST]
        assert digests, config
        assert {(m.channel, bool(m.html)) for m in digests} == {(channel, tables)}


def test_only_the_plan_columns_are_made_again_for_customers_greeted_now(
    tmp_path: Path, smtp: tuple[Handler, int]
) -> None:
    """A sync that greets customers itself plans them again after sending. Of the write plan
    made beside the messages, only the register's plan columns change: as a write plan made
    afresh from the new plans has them."""
    _, port = smtp
    settings = load_settings(settings_file(tmp_path, port))
    snapshot = sync.open_backend(settings).read()
    computed = sync.compute(settings, snapshot, TODAY)
    history = tier_history_rows(snapshot, computed)
    ahead = write_plan(settings, snapshot, computed, history)
    greeted = {"C1", "C3"}
    sent = [
        Contact(row=-1, date=TODAY, type=ContactType.GREETING, customer_id=cid)
        for cid in sorted(greeted)
    ]
    after = sync._replan_greeted(computed, greeted, sent)
    assert after.plans.rows["C1"] != computed.plans.rows["C1"]  # the greeting counts
    assert with_plans_of(ahead, after) == write_plan(settings, snapshot, after, history)
