"""The HTML part of a staff digest or a manager summary sent by e-mail [issue 13]: a table
per section, beside the plain text (multipart/alternative). Every value is escaped: a
customer typed as `<script>` reads as those characters, never runs."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from html import escape

from sheetcrm.message_context import KindContext, ManagerSummaryContext, StaffDigestContext

Formatters = Mapping[str, Callable[..., str]]  # the templates' `date` and `money` filters

# Each section: the context's list, and the item fields shown as columns.
Sections = tuple[tuple[str, tuple[str, ...]], ...]
DIGEST_SECTIONS: Sections = (
    ("by_hand", ("customer", "phone", "wechat", "kind", "text", "until")),
    ("tasks", ("customer", "tier", "phone", "action", "reason")),
    ("overdue", ("customer", "tier", "phone", "action", "reason", "due", "days_overdue")),
    ("birthdays", ("customer", "tier", "phone", "birthday", "in_days", "gift")),
    ("complaints", ("customer", "tier", "phone", "summary", "opened", "days_open")),
)
SUMMARY_SECTIONS: Sections = (
    ("tier_changes", ("customer", "old_tier", "new_tier", "staff")),
    ("quiet", ("customer", "tier", "staff", "days_quiet", "last_purchase", "last_contact")),
    ("inactive_staff", ("staff", "customers", "key_customers")),
    ("unknown_sends", ("day", "kind", "recipient", "channel")),
)

_L = dict[str, str]
LABELS: Mapping[str, _L] = {
    "zh-Hans": {
        "by_hand": "今天请用自己的微信或 WhatsApp 发送（发出后在发送记录表打 ✓）",
        "tasks": "今天的回访和拜访", "overdue": "已逾期", "birthdays": "即将过生日的客户",
        "complaints": "未解决的投诉", "tier_changes": "客户等级变化",
        "quiet": "长期没有购买或联系的 A、B 类客户", "inactive_staff": "已离职员工名下的客户",
        "unknown_sends": "已交给服务商但结果不明的消息（请核实，未收到的请手工补发）",
        "customer": "客户", "tier": "等级", "phone": "电话", "wechat": "微信", "kind": "消息",
        "text": "内容", "until": "最晚", "action": "事项", "reason": "原因", "due": "应办日期",
        "days_overdue": "逾期天数", "birthday": "生日", "in_days": "还有几天", "gift": "备礼",
        "summary": "内容", "opened": "开始", "days_open": "已有天数", "old_tier": "原等级",
        "new_tier": "新等级", "staff": "负责人", "days_quiet": "无往来天数",
        "last_purchase": "最近购买", "last_contact": "最近联系", "customers": "客户数",
        "key_customers": "其中 A、B 类", "day": "日期", "recipient": "收件人",
        "channel": "渠道", "spent": "本期客户消费总额", "problems": "表格中的问题",
    },
    "zh-Hant": {
        "by_hand": "今天請用自己的微信或 WhatsApp 發送（發出後在發送記錄表打 ✓）",
        "tasks": "今天的回訪與拜訪", "overdue": "已逾期", "birthdays": "即將生日的客戶",
        "complaints": "尚未結案的客訴", "tier_changes": "客戶等級變動",
        "quiet": "長時間沒有購買或聯絡的 A、B 級客戶", "inactive_staff": "已離職員工名下的客戶",
        "unknown_sends": "已交給服務商但結果不明的訊息（請核實，未收到的請手動補發）",
        "customer": "客戶", "tier": "等級", "phone": "電話", "wechat": "微信", "kind": "訊息",
        "text": "內容", "until": "最晚", "action": "事項", "reason": "原因", "due": "應辦日期",
        "days_overdue": "逾期天數", "birthday": "生日", "in_days": "還有幾天", "gift": "備禮",
        "summary": "內容", "opened": "開始", "days_open": "已有天數", "old_tier": "原等級",
        "new_tier": "新等級", "staff": "負責人", "days_quiet": "無往來天數",
        "last_purchase": "最近購買", "last_contact": "最近聯絡", "customers": "客戶數",
        "key_customers": "其中 A、B 級", "day": "日期", "recipient": "收件人",
        "channel": "管道", "spent": "本期客戶消費總額", "problems": "試算表中的問題",
    },
    "es": {
        "by_hand": "Para enviar hoy desde su WhatsApp o WeChat (luego, márquelo en Mensajes)",
        "tasks": "Llamadas y visitas de hoy", "overdue": "Atrasadas",
        "birthdays": "Próximos cumpleaños", "complaints": "Quejas abiertas",
        "tier_changes": "Cambios de nivel",
        "quiet": "Clientes A y B sin compras ni contacto desde hace tiempo",
        "inactive_staff": "Clientes de empleados que ya no están activos",
        "unknown_sends": "Mensajes sin confirmar (compruebe si llegaron; si no, envíelos a mano)",
        "customer": "Cliente", "tier": "Nivel", "phone": "Teléfono", "wechat": "WeChat",
        "kind": "Mensaje", "text": "Texto", "until": "Como muy tarde", "action": "Qué hacer",
        "reason": "Motivo", "due": "Prevista", "days_overdue": "Días de retraso",
        "birthday": "Cumpleaños", "in_days": "Faltan (días)", "gift": "Regalo",
        "summary": "Asunto", "opened": "Desde", "days_open": "Días abierta",
        "old_tier": "Nivel anterior", "new_tier": "Nivel nuevo", "staff": "Responsable",
        "days_quiet": "Días sin actividad", "last_purchase": "Última compra",
        "last_contact": "Último contacto", "customers": "Clientes",
        "key_customers": "De ellos A o B", "day": "Fecha", "recipient": "Para",
        "channel": "Canal", "spent": "Gasto de los clientes en el periodo",
        "problems": "Problemas en las hojas",
    },
    "en": {
        "by_hand": "To send today from your own WhatsApp or WeChat (then tick it in the Outbox)",
        "tasks": "Today's callbacks and visits", "overdue": "Overdue",
        "birthdays": "Birthdays coming", "complaints": "Open complaints",
        "tier_changes": "Tier changes", "quiet": "A and B customers quiet for long",
        "inactive_staff": "Customers of staff no longer active",
        "unknown_sends": "Messages that may not have arrived (check; send by hand if not)",
        "customer": "Customer", "tier": "Tier", "phone": "Phone", "wechat": "WeChat",
        "kind": "Message", "text": "Text", "until": "By", "action": "To do",
        "reason": "Why", "due": "Due", "days_overdue": "Days overdue",
        "birthday": "Birthday", "in_days": "In (days)", "gift": "Gift",
        "summary": "About", "opened": "Since", "days_open": "Days open",
        "old_tier": "From", "new_tier": "To", "staff": "Owner",
        "days_quiet": "Days quiet", "last_purchase": "Last purchase",
        "last_contact": "Last contact", "customers": "Customers",
        "key_customers": "Of them A or B", "day": "Day", "recipient": "To",
        "channel": "Channel", "spent": "Customer spend in this period",
        "problems": "Problems in the sheets",
    },
}  # fmt: skip
_TABLE = 'style="border-collapse:collapse" border="1" cellpadding="4"'


def digest_html(context: KindContext, greeting: str, language: str, formatters: Formatters) -> str:
    """The HTML part of a digest or summary ("" for other kinds): `greeting`, the plain
    text's first line, then a table per section that has items."""
    labels = LABELS.get(language, LABELS["en"])
    sections: Sections
    if isinstance(context, StaffDigestContext):
        sections = DIGEST_SECTIONS
    elif isinstance(context, ManagerSummaryContext):
        sections = SUMMARY_SECTIONS
    else:
        return ""
    parts = [f"<p>{escape(greeting)}</p>"]
    for name, columns in sections:
        items: Sequence[object] = getattr(context, name)
        if items:
            parts.append(f"<h3>{escape(labels[name])}</h3>")
            parts.append(_table(items, columns, labels, formatters))
    if isinstance(context, ManagerSummaryContext):
        spent = formatters["money"](context.total_spent)
        parts.append(f"<p>{escape(labels['spent'])}: {escape(spent)}</p>")
        parts.append(f"<p>{escape(labels['problems'])}: {context.problem_count}</p>")
    body = "\n".join(parts)
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(language)}"><head><meta charset="utf-8">'
        f"</head><body>\n{body}\n</body></html>"
    )


def _table(
    items: Sequence[object], columns: Sequence[str], labels: _L, formatters: Formatters
) -> str:
    head = "".join(f"<th>{escape(labels[c])}</th>" for c in columns)
    rows = [
        "<tr>"
        + "".join(f"<td>{_cell(getattr(item, c), formatters)}</td>" for c in columns)
        + "</tr>"
        for item in items
    ]
    return f"<table {_TABLE}><tr>{head}</tr>\n" + "\n".join(rows) + "\n</table>"


def _cell(value: object, formatters: Formatters) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, dt.date):
        return escape(formatters["date"](value))
    if isinstance(value, Decimal):
        return escape(formatters["money"](value))
    text = str(value)
    if _PLAIN.fullmatch(text):  # most cells: one scan instead of escape's five
        return text
    return escape(text).replace("\n", "<br>")


_PLAIN = re.compile("[^&<>\"'\n]*")
