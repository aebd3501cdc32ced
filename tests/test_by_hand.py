"""The Outbox as a to-do list [issue 13]: a `manual` channel hands customer messages to the
owner's digest and the Outbox, with the whole text and the phone or WeChat id to copy; staff
send them from their own WeChat or WhatsApp and tick the done column; the next sync records
them as sent by hand (a contact for the plans). The ledger stays the truth: a restored sheet
neither loses a tick that was read nor revives a message."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from sheetcrm import sync
from sheetcrm.ledger import Ledger
from sheetcrm.outbound import DeliveryStatus, MessageKind
from sheetcrm.outbox_ticks import is_tick
from sheetcrm.reminders import ledger_entries, sent_contacts
from sheetcrm.settings import load_settings
from sheetcrm.state import workbook_state

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = dt.date(2027, 3, 8)


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 30), tzinfo=SHANGHAI)


def shop(folder: Path) -> Path:
    """王秀英's birthday is on 8 March; 李娜 owns her, and reads her digest in the Outbox."""
    book = xlsxwriter.Workbook(str(folder / "crm.xlsx"))
    register = book.add_worksheet("客户")
    register.write_row(0, 0, ["客户编号", "姓名", "性别", "手机", "微信", "生日", "负责人", "状态"])
    for r, row in enumerate(
        [
            ["C1", "王秀英", "女", "13800138001", "wxid_wxy", "1980-03-08", "李娜", "成交客户"],
            ["C2", "陈静", "女", "13800138002", "", "1990-06-01", "李娜", "成交客户"],
        ],
        start=1,
    ):
        register.write_row(r, 0, row)
    orders = book.add_worksheet("订单")
    orders.write_row(0, 0, ["日期", "客户编号", "金额"])
    orders.write_row(1, 0, ["2027-03-01", "C1", 5000])
    orders.write_row(2, 0, ["2027-03-01", "C2", 300])
    staff = book.add_worksheet("员工")
    staff.write_row(0, 0, ["姓名", "在职"])
    staff.write_row(1, 0, ["李娜", "是"])
    book.close()
    config = folder / "settings.yaml"
    config.write_text(
        "workbook: crm.xlsx\n"
        "messages:\n"
        "  company: 明华家电\n"
        "  customer_channels: [wechat]\n"
        "channels:\n"
        "  outbox: {kind: outbox}\n"
        "  wechat: {kind: manual}\n",
        "utf-8",
    )
    return config


def outbox(workbook: Path) -> list[dict[str, object]]:
    """The Outbox sheet as calamine reads it: one dict per row, by header."""
    rows = CalamineWorkbook.from_path(str(workbook)).get_sheet_by_name("发送记录").to_python()
    return [dict(zip(rows[0], row, strict=False)) for row in rows[1:]]


def birthday_row(workbook: Path) -> dict[str, object]:
    (row,) = [r for r in outbox(workbook) if r["消息类型"] == "生日祝福"]
    return row


def tick(workbook: Path, mark: str = "✓") -> None:
    """What staff do in Excel: a tick in the done column of the birthday's row."""
    book = openpyxl.load_workbook(workbook)
    sheet = book["发送记录"]
    header = [c.value for c in sheet[1]]
    done, kind = header.index("已发") + 1, header.index("消息类型") + 1
    for r in range(2, sheet.max_row + 1):
        if sheet.cell(r, kind).value == "生日祝福":
            sheet.cell(r, done).value = mark
    book.save(workbook)


def birthday_entry(config: Path) -> tuple[DeliveryStatus, str]:
    with Ledger.in_state_dir(workbook_state(load_settings(config))) as ledger:
        (entry,) = [e for e in ledger.entries() if e.kind is MessageKind.BIRTHDAY]
    return entry.status, entry.reason


def test_a_manual_message_is_in_the_outbox_and_the_owners_digest(tmp_path: Path) -> None:
    config = shop(tmp_path)
    report = sync.run(load_settings(config), today=MONDAY, now=at(MONDAY))
    # 王秀英's birthday greeting, and 陈静's monthly one.
    assert report.delivery is not None and report.delivery.handed == 2
    row = birthday_row(tmp_path / "crm.xlsx")
    assert row["状态"] == "待手动发送" and row["已发"] == "" and row["收件人"] == "王秀英"
    assert row["电话 / 微信 / 邮箱"] == "+8613800138001 / WeChat wxid_wxy"
    assert str(row["内容"]).startswith("王女士您好！今天是您的生日")
    (digest,) = [m for m in report.messages if m.kind is MessageKind.STAFF_DIGEST]
    assert "今天请用自己的微信或 WhatsApp 发送" in digest.body
    assert "- 王秀英，微信 wxid_wxy，+8613800138001（生日祝福，最晚 2027年3月9日）：" in digest.body
    assert "    王女士您好！今天是您的生日" in digest.body  # the whole text, to copy
    assert birthday_entry(config)[0] is DeliveryStatus.HANDED


def test_a_tick_makes_it_sent_by_hand_and_a_contact_and_a_third_sync_changes_nothing(
    tmp_path: Path,
) -> None:
    config = shop(tmp_path)
    settings = load_settings(config)
    workbook = tmp_path / "crm.xlsx"
    sync.run(settings, today=MONDAY, now=at(MONDAY))
    tick(workbook)
    second = sync.run(settings, today=MONDAY, now=at(MONDAY, 15))
    assert birthday_entry(config) == (DeliveryStatus.SENT, "sent by hand (ticked in the Outbox)")
    row = birthday_row(workbook)
    assert (row["状态"], row["已发"]) == ("已手动发送", "✓")
    sent = sent_contacts(ledger_entries(settings, None))
    computed = sync.compute(settings, sync.open_backend(settings).read(), MONDAY, sent)
    assert computed.plans.rows["C1"].last_contact == MONDAY  # the greeting counts as a contact
    assert second.result is not None
    before = workbook.read_bytes()
    third = sync.run(settings, today=MONDAY, now=at(MONDAY, 16))
    assert third.result is not None and not third.result.changed
    assert workbook.read_bytes() == before


def test_a_restored_workbook_neither_loses_the_tick_nor_revives_the_message(
    tmp_path: Path,
) -> None:
    config = shop(tmp_path)
    settings = load_settings(config)
    workbook = tmp_path / "crm.xlsx"
    sync.run(settings, today=MONDAY, now=at(MONDAY))
    shutil.copy(workbook, tmp_path / "backup.xlsx")  # the Outbox unticked
    tick(workbook)
    sync.run(settings, today=MONDAY, now=at(MONDAY, 15))
    shutil.copy(tmp_path / "backup.xlsx", workbook)  # someone restores this morning's copy
    report = sync.run(settings, today=MONDAY, now=at(MONDAY, 16))
    assert report.delivery is not None and report.delivery.handed == 0
    assert birthday_entry(config)[0] is DeliveryStatus.SENT
    assert birthday_row(workbook)["已发"] == "✓"
    (digest,) = [m for m in report.messages if m.kind is MessageKind.STAFF_DIGEST] or [None]
    assert digest is None or "王秀英，微信" not in digest.body


def test_an_unticked_message_stays_open_in_its_grace_then_is_missed(tmp_path: Path) -> None:
    config = shop(tmp_path)
    settings = load_settings(config)
    sync.run(settings, today=MONDAY, now=at(MONDAY))
    tuesday = MONDAY + dt.timedelta(days=1)
    report = sync.run(settings, today=tuesday, now=at(tuesday))
    assert birthday_entry(config)[0] is DeliveryStatus.HANDED
    (digest,) = [m for m in report.messages if m.kind is MessageKind.STAFF_DIGEST]
    assert "- 王秀英，微信 wxid_wxy" in digest.body  # still to send: the digest says so again
    wednesday = tuesday + dt.timedelta(days=1)
    sync.run(settings, today=wednesday, now=at(wednesday))
    status, reason = birthday_entry(config)
    assert status is DeliveryStatus.SKIPPED
    assert reason == "missed: not ticked as sent by hand by 2027-03-09"
    assert birthday_row(tmp_path / "crm.xlsx")["状态"] == "未发送"


def test_quiet_hours_do_not_hold_back_what_staff_send_by_hand(tmp_path: Path) -> None:
    config = shop(tmp_path)
    report = sync.run(load_settings(config), today=MONDAY, now=at(MONDAY, 7))
    assert report.delivery is not None and report.delivery.handed == 2


@pytest.mark.parametrize(
    ("typed", "ticked"),
    [("✓", True), ("✔", True), ("是", True), ("已发", True), ("sí", True), ("x", True),
     ("X", True), ("yes", True), ("Done", True), (True, True), (1, True),
     ("", False), ("否", False), ("no", False), (0, False), ("later", False)],
)  # fmt: skip
def test_the_done_column_takes_the_ticks_staff_type(typed: object, ticked: bool) -> None:
    assert is_tick(typed) is ticked  # type: ignore[arg-type]


def test_the_run_says_how_many_wait_for_staff(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sheetcrm.cli import execute

    config = shop(tmp_path)
    argv = ["-c", str(config), "sync", "--today", MONDAY.isoformat()]
    assert execute(argv) == 0
    assert "；待员工手动发送 2（见发送记录和员工日报）" in capsys.readouterr().out
    assert execute(argv) == 0
    assert "；此前已交员工手动发送、尚未打勾 2" in capsys.readouterr().out


def spanish_shop(folder: Path) -> Path:
    """A shop in Madrid: its staff greet customers from WhatsApp (manual is the default)."""
    book = xlsxwriter.Workbook(str(folder / "clientes.xlsx"))
    register = book.add_worksheet("Clientes")
    register.write_row(
        0, 0, ["Nº cliente", "Nombre", "Sexo", "Móvil", "Cumpleaños", "Responsable", "Estado"]
    )
    register.write_row(
        1, 0, ["C1", "María García López", "M", "612 345 678", "08/03/1980", "Ana", "cliente"]
    )
    orders = book.add_worksheet("Pedidos")
    orders.write_row(0, 0, ["Fecha", "Nº cliente", "Importe"])
    orders.write_row(1, 0, ["01/03/2027", "C1", 900])
    staff = book.add_worksheet("Empleados")
    staff.write_row(0, 0, ["Nombre", "Activo"])
    staff.write_row(1, 0, ["Ana", "sí"])
    book.close()
    config = folder / "settings.yaml"
    config.write_text(
        "workbook: clientes.xlsx\nlanguage: es\nphone_region: ES\n"
        "dates: {day_first: true}\nmessages: {company: Electrodomésticos Ruiz}\n"
        "calendar: {country: ES}\n",
        "utf-8",
    )
    return config


def test_a_whatsapp_message_carries_a_link_that_opens_the_chat_with_the_text(
    tmp_path: Path,
) -> None:
    from urllib.parse import parse_qs, urlsplit

    from tests.excel_fixtures import libreoffice
    from tests.xlsx_rules import assert_sync_kept_it_valid, sdk_errors

    config = spanish_shop(tmp_path)
    workbook = tmp_path / "clientes.xlsx"
    before = sdk_errors(workbook)
    sync.run(load_settings(config), today=MONDAY, now=at(MONDAY))
    assert_sync_kept_it_valid(workbook, before)
    sheet = openpyxl.load_workbook(workbook)["Mensajes"]
    header = [c.value for c in sheet[1]]
    row = next(
        r for r in sheet.iter_rows(min_row=2) if r[header.index("Mensaje")].value == "cumpleaños"
    )
    cell = row[header.index("Enviar")]
    text = row[header.index("Texto")].value
    assert cell.value == "WhatsApp" and cell.hyperlink is not None
    link = urlsplit(cell.hyperlink.target)
    assert (link.scheme, link.netloc, link.path) == ("https", "wa.me", "/34612345678")
    assert parse_qs(link.query)["text"] == [text]
    assert text.startswith("¡Feliz cumpleaños, Sra. García!")
    assert cell.data_type == "s"  # a link on a text cell, not a =HYPERLINK formula
    # LibreOffice opens the link too: its HTML export of the sheet carries it.
    libreoffice(
        ["--convert-to", "html", "--outdir", str(tmp_path / "html"), str(workbook)], tmp_path
    )
    html = (tmp_path / "html" / "clientes.html").read_text("utf-8", "replace")
    assert 'href="https://wa.me/34612345678?text=' in html
    # A second sync changes no byte.
    again = sync.run(load_settings(config), today=MONDAY, now=at(MONDAY, 15))
    assert again.result is not None and not again.result.changed


def test_a_chinese_shop_gets_no_whatsapp_links(tmp_path: Path) -> None:
    config = shop(tmp_path)
    sync.run(load_settings(config), today=MONDAY, now=at(MONDAY))
    row = birthday_row(tmp_path / "crm.xlsx")
    assert row["一键发送"] == ""


def test_settings_choose_the_channel_by_tier_or_language(tmp_path: Path) -> None:
    """A customers get their greetings by a channel that sends on its own; the rest by hand."""
    config = shop(tmp_path)
    text = config.read_text("utf-8").replace(
        "  customer_channels: [wechat]\n",
        "  customer_channels: [wechat]\n  channels_by_tier: {A: [outbox]}\n"
        "  channels_by_language: {es: [outbox]}\n",
    )
    config.write_text(text, "utf-8")
    settings = load_settings(config)
    report = sync.run(settings, today=MONDAY, now=at(MONDAY))
    computed = sync.compute(settings, sync.open_backend(settings).read(), MONDAY)
    assert {cid: row.tier.value for cid, row in computed.tiers.items() if row.tier} == {
        "C1": "A",
        "C2": "C",
    }
    by = {(m.recipient.id, m.kind): m.channel for m in report.messages}
    assert by[("C1", MessageKind.BIRTHDAY)] == "outbox"
    assert by[("C2", MessageKind.TOUCH)] == "wechat"


def test_a_channel_list_naming_no_channel_is_refused(tmp_path: Path) -> None:
    from sheetcrm.errors import ConfigError

    config = shop(tmp_path)
    text = config.read_text("utf-8").replace(
        "  customer_channels: [wechat]\n",
        "  customer_channels: [wechat]\n  channels_by_tier: {A: [sms]}\n",
    )
    config.write_text(text, "utf-8")
    with pytest.raises(ConfigError, match=r"messages\.channels_by_tier\.A names the channel 'sms'"):
        load_settings(config)
