"""Enumerations staff type in cells, with the words accepted for each in en / zh / es."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

LANGUAGES = ("en", "zh-Hans", "zh-Hant", "es")


class Status(StrEnum):
    """Customer lifecycle [000][003]."""

    VISITOR = "visitor"
    PROSPECT = "prospect"
    CUSTOMER = "customer"
    LOST = "lost"


class ContactType(StrEnum):
    """Kinds of entry in the contact log [000][001]."""

    VISIT = "visit"
    CALL = "call"
    SMS = "sms"
    EMAIL = "email"
    CHAT = "chat"
    COMPLAINT = "complaint"
    SURVEY = "survey"
    GREETING = "greeting"


class Gender(StrEnum):
    MALE = "male"
    FEMALE = "female"
    OTHER = "other"


class YesNo(StrEnum):
    YES = "yes"
    NO = "no"


class Tier(StrEnum):
    """Customer tiers [002][003]: A most important … D low value."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"


class Calendar(StrEnum):
    SOLAR = "solar"
    LUNAR = "lunar"


# Words per member. The first word of each language is the one sheetcrm writes itself.
STATUS_WORDS: Mapping[Status, Mapping[str, tuple[str, ...]]] = {
    Status.VISITOR: {
        "en": ("visitor", "new", "lead"),
        "zh-Hans": ("访客", "新访客", "来访"),
        "zh-Hant": ("訪客", "新訪客", "來訪"),
        "es": ("visitante", "nuevo"),
    },
    Status.PROSPECT: {
        "en": ("prospect", "potential"),
        "zh-Hans": ("潜在客户", "意向客户", "潜客"),
        "zh-Hant": ("潛在客戶", "意向客戶"),
        "es": ("prospecto", "potencial", "cliente potencial"),
    },
    Status.CUSTOMER: {
        "en": ("customer", "client", "active", "completed"),
        "zh-Hans": ("成交客户", "客户", "老客户", "已成交"),
        "zh-Hant": ("成交客戶", "客戶", "老客戶", "已成交"),
        "es": ("cliente", "activo"),
    },
    Status.LOST: {
        "en": ("lost", "churned", "chose another brand"),
        "zh-Hans": ("流失", "流失客户", "已流失", "选择其他品牌"),
        "zh-Hant": ("流失", "流失客戶", "已流失"),
        "es": ("perdido", "baja", "otra marca"),
    },
}

CONTACT_TYPE_WORDS: Mapping[ContactType, Mapping[str, tuple[str, ...]]] = {
    ContactType.VISIT: {
        "en": ("visit", "home visit", "store visit", "meeting"),
        "zh-Hans": ("拜访", "来访", "上门", "面谈"),
        "zh-Hant": ("拜訪", "來訪", "上門", "面談"),
        "es": ("visita", "reunión"),
    },
    ContactType.CALL: {
        "en": ("call", "phone", "phone call", "callback"),
        "zh-Hans": ("电话", "来电", "回访", "电话回访"),
        "zh-Hant": ("電話", "來電", "回訪", "電話回訪"),
        "es": ("llamada", "teléfono"),
    },
    ContactType.SMS: {
        "en": ("sms", "text", "text message"),
        "zh-Hans": ("短信",),
        "zh-Hant": ("簡訊", "短訊"),
        "es": ("sms", "mensaje de texto"),
    },
    ContactType.EMAIL: {
        "en": ("email", "e-mail", "mail"),
        "zh-Hans": ("邮件", "电子邮件"),
        "zh-Hant": ("郵件", "電子郵件"),
        "es": ("correo", "correo electrónico", "email"),
    },
    ContactType.CHAT: {
        "en": ("chat", "message", "wechat", "whatsapp"),
        "zh-Hans": ("微信", "消息", "聊天", "qq"),
        "zh-Hant": ("訊息", "微信", "聊天", "line"),
        "es": ("mensaje", "chat", "whatsapp"),
    },
    ContactType.COMPLAINT: {
        "en": ("complaint",),
        "zh-Hans": ("投诉",),
        "zh-Hant": ("投訴", "客訴"),
        "es": ("queja", "reclamación", "reclamo"),
    },
    ContactType.SURVEY: {
        "en": ("survey", "satisfaction survey"),
        "zh-Hans": ("调查", "满意度调查", "回访调查"),
        "zh-Hant": ("調查", "滿意度調查"),
        "es": ("encuesta", "encuesta de satisfacción"),
    },
    ContactType.GREETING: {
        "en": ("greeting", "card", "gift"),
        "zh-Hans": ("问候", "祝福", "贺卡", "礼品"),
        "zh-Hant": ("問候", "祝福", "賀卡", "禮品"),
        "es": ("saludo", "felicitación", "tarjeta", "regalo"),
    },
}

GENDER_WORDS: Mapping[Gender, Mapping[str, tuple[str, ...]]] = {
    Gender.MALE: {
        "en": ("male", "m", "man"),
        "zh-Hans": ("男", "男性", "先生"),
        "zh-Hant": ("男", "男性", "先生"),
        "es": ("hombre", "h", "masculino", "varón"),
    },
    Gender.FEMALE: {
        "en": ("female", "f", "woman"),
        "zh-Hans": ("女", "女性", "女士"),
        "zh-Hant": ("女", "女性", "女士"),
        "es": ("mujer", "femenino"),
    },
    Gender.OTHER: {
        "en": ("other", "x"),
        "zh-Hans": ("其他",),
        "zh-Hant": ("其他",),
        "es": ("otro",),
    },
}

YES_NO_WORDS: Mapping[YesNo, Mapping[str, tuple[str, ...]]] = {
    YesNo.YES: {
        "en": ("yes", "y", "true", "1", "ok"),
        "zh-Hans": ("是", "接受", "同意", "在职", "有", "对"),
        "zh-Hant": ("是", "接受", "同意", "在職", "有", "對"),
        "es": ("sí", "si", "s", "verdadero", "acepta"),
    },
    YesNo.NO: {
        "en": ("no", "n", "false", "0"),
        "zh-Hans": ("否", "不", "不接受", "拒绝", "离职", "无"),
        "zh-Hant": ("否", "不", "不接受", "拒絕", "離職", "無"),
        "es": ("no", "falso", "rechaza", "baja"),
    },
}

CALENDAR_WORDS: Mapping[Calendar, Mapping[str, tuple[str, ...]]] = {
    Calendar.SOLAR: {
        "en": ("solar", "gregorian"),
        "zh-Hans": ("公历", "阳历", "新历"),
        "zh-Hant": ("公曆", "陽曆", "新曆"),
        "es": ("solar", "gregoriano"),
    },
    Calendar.LUNAR: {
        "en": ("lunar", "chinese"),
        "zh-Hans": ("农历", "阴历", "旧历"),
        "zh-Hant": ("農曆", "陰曆", "舊曆"),
        "es": ("lunar", "chino"),
    },
}

TIER_WORDS: Mapping[Tier, Mapping[str, tuple[str, ...]]] = {
    tier: {
        "en": (tier.value, f"tier {tier.value}"),
        "zh-Hans": (f"{tier.value}类", f"{tier.value}级"),
        "zh-Hant": (f"{tier.value}類", f"{tier.value}級"),
        "es": (f"clase {tier.value}", f"nivel {tier.value}"),
    }
    for tier in Tier
}
