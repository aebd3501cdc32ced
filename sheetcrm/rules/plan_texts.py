"""Plan texts in en / zh-Hans / zh-Hant / es: the plan, the next action and its reason.

The rules return structured data (`Due`, `Plan`); these functions give it words. Dates are
written ISO (2026-07-01) in every language, as the register shows them.
"""

from __future__ import annotations

from collections.abc import Mapping

from sheetcrm.rules.plan_settings import Action, Event, Every, Plan
from sheetcrm.rules.plans import Basis, Due, Task
from sheetcrm.vocabulary import CONTACT_TYPE_WORDS, LANGUAGES, STATUS_WORDS, ContactType

Texts = Mapping[str, str]

ACTIONS: Mapping[Action, Texts] = {
    Action.SMS_GREETING: {
        "en": "SMS greeting",
        "zh-Hans": "短信问候",
        "zh-Hant": "簡訊問候",
        "es": "SMS de saludo",
    },
    Action.HOME_VISIT: {
        "en": "home visit",
        "zh-Hans": "上门拜访",
        "zh-Hant": "上門拜訪",
        "es": "visita a domicilio",
    },
    Action.PHONE_CALLBACK: {
        "en": "phone callback",
        "zh-Hans": "电话回访",
        "zh-Hant": "電話回訪",
        "es": "llamada de seguimiento",
    },
    Action.ANY_CONTACT: {
        "en": "contact",
        "zh-Hans": "联系客户",
        "zh-Hant": "聯繫客戶",
        "es": "contacto",
    },
    Action.CALLBACK: {
        "en": "agreed callback",
        "zh-Hans": "约定回访",
        "zh-Hant": "約定回訪",
        "es": "llamada acordada",
    },
    Action.ORDER_CALLBACK: {
        "en": "after-sale callback",
        "zh-Hans": "售后回访",
        "zh-Hant": "售後回訪",
        "es": "llamada posventa",
    },
    Action.COMPLAINT: {
        "en": "complaint follow-up",
        "zh-Hans": "处理投诉",
        "zh-Hant": "處理投訴",
        "es": "atender la queja",
    },
}

EVENTS: Mapping[Event, Texts] = {
    Event.BIRTHDAY_SMS: {
        "en": "birthday SMS",
        "zh-Hans": "生日短信",
        "zh-Hant": "生日簡訊",
        "es": "SMS de cumpleaños",
    },
    Event.HOLIDAY_CARD: {
        "en": "holiday card",
        "zh-Hans": "节日贺卡",
        "zh-Hant": "節日賀卡",
        "es": "tarjeta navideña",
    },
    Event.HOLIDAY_SMS: {
        "en": "holiday SMS",
        "zh-Hans": "节日短信",
        "zh-Hant": "節日簡訊",
        "es": "SMS festivo",
    },
    Event.HOLIDAY_GREETING: {
        "en": "holiday greetings",
        "zh-Hans": "节日问候",
        "zh-Hant": "節日問候",
        "es": "felicitaciones en fiestas",
    },
    Event.MOVING_GIFT: {
        "en": "house-moving gift",
        "zh-Hans": "乔迁礼品",
        "zh-Hant": "喬遷禮品",
        "es": "regalo por mudanza",
    },
    Event.LUCKY_DRAW: {"en": "lucky draw", "zh-Hans": "抽奖", "zh-Hant": "抽獎", "es": "sorteo"},
}

# Cadences: a fixed phrase for the common ones, a pattern with {n} for the rest.
EVERY: Mapping[str, Texts] = {
    "en": {
        "week": "every week",
        "weeks": "every {n} weeks",
        "days": "every {n} days",
        "month": "every month",
        "quarter": "every quarter",
        "half": "every six months",
        "months": "every {n} months",
        "year": "every year",
        "years": "every {n} years",
    },
    "zh-Hans": {
        "week": "每周",
        "weeks": "每 {n} 周",
        "days": "每 {n} 天",
        "month": "每月",
        "quarter": "每季度",
        "half": "每半年",
        "months": "每 {n} 个月",
        "year": "每年",
        "years": "每 {n} 年",
    },
    "zh-Hant": {
        "week": "每週",
        "weeks": "每 {n} 週",
        "days": "每 {n} 天",
        "month": "每月",
        "quarter": "每季",
        "half": "每半年",
        "months": "每 {n} 個月",
        "year": "每年",
        "years": "每 {n} 年",
    },
    "es": {
        "week": "cada semana",
        "weeks": "cada {n} semanas",
        "days": "cada {n} días",
        "month": "cada mes",
        "quarter": "cada trimestre",
        "half": "cada semestre",
        "months": "cada {n} meses",
        "year": "cada año",
        "years": "cada {n} años",
    },
}

# Sentence patterns per language.
PATTERNS: Mapping[str, Texts] = {
    "en": {
        "item": "{action} {every}",
        "per_year": "{event} {n}× a year",
        "join": "; ",
        "describe": "{action} ({reason})",
        "overdue": "{text}, {n} days overdue",
        "tier": "tier {tier}",
        "last_match": "{every}, {source}; last {type} {date}",
        "since": "{every}, {source}; nothing logged, customer since {date}",
        "no_history": "{every}, {source}; nothing logged yet",
        "log_callback": "set on {date}",
        "order": "{days} days after the order of {date}",
        "complaint": "complaint of {date} not resolved",
    },
    "zh-Hans": {
        "item": "{every}{action}",
        "per_year": "每年{event} {n} 次",
        "join": "；",
        "describe": "{action}（{reason}）",
        "overdue": "{text}，逾期 {n} 天",
        "tier": "{tier}类",
        "last_match": "{every}，{source}；上次{type} {date}",
        "since": "{every}，{source}；尚无记录，{date} 起成为客户",
        "no_history": "{every}，{source}；尚无联系记录",
        "log_callback": "{date} 约定",
        "order": "{date} 下单后 {days} 天",
        "complaint": "{date} 的投诉尚未解决",
    },
    "zh-Hant": {
        "item": "{every}{action}",
        "per_year": "每年{event} {n} 次",
        "join": "；",
        "describe": "{action}（{reason}）",
        "overdue": "{text}，逾期 {n} 天",
        "tier": "{tier}類",
        "last_match": "{every}，{source}；上次{type} {date}",
        "since": "{every}，{source}；尚無記錄，{date} 起成為客戶",
        "no_history": "{every}，{source}；尚無聯繫記錄",
        "log_callback": "{date} 約定",
        "order": "{date} 下單後 {days} 天",
        "complaint": "{date} 的投訴尚未解決",
    },
    "es": {
        "item": "{action} {every}",
        "per_year": "{event} {n} veces al año",
        "join": "; ",
        "describe": "{action} ({reason})",
        "overdue": "{text}, {n} días de retraso",
        "tier": "clase {tier}",
        "last_match": "{every}, {source}; último contacto: {type}, {date}",
        "since": "{every}, {source}; sin registros, cliente desde el {date}",
        "no_history": "{every}, {source}; aún sin contactos registrados",
        "log_callback": "acordada el {date}",
        "order": "{days} días después del pedido del {date}",
        "complaint": "queja del {date} sin resolver",
    },
}


def _patterns(language: str) -> Texts:
    if language not in PATTERNS:
        raise ValueError(f"no plan texts in {language!r}; use one of {', '.join(LANGUAGES)}")
    return PATTERNS[language]


def describe_every(every: Every, language: str) -> str:
    """A cadence in words: "every week", "每季度", "cada 2 meses"."""
    words = EVERY[language] if language in EVERY else _patterns(language)
    if every.days:
        if every.days == 7:
            return words["week"]
        if every.days % 7 == 0:
            return words["weeks"].format(n=every.days // 7)
        return words["days"].format(n=every.days)
    months = every.months
    fixed = {1: "month", 3: "quarter", 6: "half", 12: "year"}
    if months in fixed:
        return words[fixed[months]]
    if months % 12 == 0:
        return words["years"].format(n=months // 12)
    return words["months"].format(n=months)


def describe_plan(plan: Plan, language: str) -> str:
    """The plan as one short text, e.g. "SMS greeting every quarter; home visit every year;
    birthday SMS; holiday card; house-moving gift; lucky draw 2× a year"."""
    p = _patterns(language)
    parts = [
        p["item"].format(
            action=ACTIONS[c.action][language], every=describe_every(c.every, language)
        )
        for c in plan.cadenced
    ]
    parts += [EVENTS[e][language] for e in plan.events]
    parts += [p["per_year"].format(event=EVENTS[e][language], n=n) for e, n in plan.per_year]
    return p["join"].join(parts)


def _type_word(kind: ContactType, language: str) -> str:
    word = CONTACT_TYPE_WORDS[kind][language][0]
    return word.upper() if word == "sms" else word


def describe_reason(due: Due, language: str) -> str:
    """Why the item is due, e.g. "every quarter, tier A; last SMS 2026-07-01"."""
    p = _patterns(language)
    date = due.ref.isoformat() if due.ref else ""
    if due.basis in (Basis.LAST_MATCH, Basis.SINCE, Basis.NO_HISTORY):
        if due.tier is not None:
            source = p["tier"].format(tier=due.tier.value)
        else:
            source = STATUS_WORDS[due.status][language][0] if due.status else ""
        every = describe_every(due.every, language) if due.every else ""
        kind = _type_word(due.matched, language) if due.matched else ""
        return p[due.basis.value].format(every=every, source=source, type=kind, date=date)
    return p[due.basis.value].format(date=date, days=due.days)


def describe(due: Due, language: str) -> str:
    """What and why, for the register's next-action column."""
    reason = describe_reason(due, language)
    return _patterns(language)["describe"].format(
        action=ACTIONS[due.action][language], reason=reason
    )


def describe_task(task: Task, language: str) -> str:
    """A task line: what, why, and how late."""
    text = describe(task.due, language)
    if task.days_overdue <= 0:
        return text
    return _patterns(language)["overdue"].format(text=text, n=task.days_overdue)
