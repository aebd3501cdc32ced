"""Enumerations staff type in cells, with the words accepted for each in en / zh / es."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

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
    QUOTE = "quote"
    AFTER_SALES = "after_sales"
    DELIVERY = "delivery"
    FOLLOW_UP = "follow_up"
    OTHER = "other"


class Gender(StrEnum):
    MALE = "male"
    FEMALE = "female"
    OTHER = "other"


class YesNo(StrEnum):
    YES = "yes"
    NO = "no"


class Satisfaction(StrEnum):
    """How a survey or a callback found the customer [001], on the usual five-point scale
    (the score is what the cell holds when staff type a number)."""

    VERY_DISSATISFIED = "very_dissatisfied"
    DISSATISFIED = "dissatisfied"
    NEUTRAL = "neutral"
    SATISFIED = "satisfied"
    VERY_SATISFIED = "very_satisfied"

    @property
    def score(self) -> int:
        return list(Satisfaction).index(self) + 1


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
        "en": ("visitor", "new", "lead", "new lead", "subscriber", "walk-in"),
        "zh-Hans": ("访客", "新访客", "来访", "到店咨询", "咨询"),
        "zh-Hant": ("訪客", "新訪客", "來訪", "諮詢", "來店諮詢"),
        "es": ("visitante", "nuevo", "nueva"),
    },
    Status.PROSPECT: {
        "en": (
            "prospect", "potential", "opportunity", "interested", "qualified", "in progress",
            "marketingqualifiedlead", "salesqualifiedlead", "mql", "sql",
        ),
        "zh-Hans": ("潜在客户", "意向客户", "潜客", "意向", "跟进中", "洽谈中", "报价中"),
        "zh-Hant": ("潛在客戶", "意向客戶", "潛在", "意向", "跟進中", "洽談中", "潛客"),
        "es": (
            "prospecto", "potencial", "cliente potencial", "interesado", "interesada",
            "en seguimiento", "en negociación",
        ),
    },
    Status.CUSTOMER: {
        "en": (
            "customer", "client", "active", "completed", "won", "closed won", "regular",
            "repeat customer", "evangelist",
        ),
        "zh-Hans": (
            "成交客户", "客户", "老客户", "已成交", "回头客", "熟客", "新客户", "已签约", "合作中",
            "长期客户",
        ),
        "zh-Hant": (
            "成交客戶", "客戶", "老客戶", "已成交", "舊客", "舊客戶", "熟客", "新客", "新客戶",
            "回頭客", "常客", "合作中",
        ),
        "es": (
            "cliente", "activo", "activa", "habitual", "cliente habitual", "fiel", "recurrente",
        ),
    },
    Status.LOST: {
        "en": (
            "lost", "churned", "chose another brand", "former customer", "inactive", "dormant",
            "closed lost",
        ),
        "zh-Hans": (
            "流失", "流失客户", "已流失", "选择其他品牌", "沉睡", "沉睡客户", "休眠", "不活跃",
        ),
        "zh-Hant": ("流失", "流失客戶", "已流失", "沉睡", "沉睡客戶", "休眠"),
        "es": (
            "perdido", "perdida", "baja", "otra marca", "inactivo", "inactiva", "dormido",
            "antiguo cliente", "ex cliente",
        ),
    },
}  # fmt: skip

CONTACT_TYPE_WORDS: Mapping[ContactType, Mapping[str, tuple[str, ...]]] = {
    # How: the channel.
    ContactType.VISIT: {
        "en": ("visit", "home visit", "store visit", "meeting", "in person", "walk-in visit"),
        "zh-Hans": ("拜访", "来访", "上门", "面谈", "亲访", "到店", "来店", "上门拜访", "门店"),
        "zh-Hant": ("拜訪", "來訪", "上門", "面談", "親訪", "到店", "來店", "門市"),
        "es": ("visita", "reunión", "visita a domicilio", "visita en tienda", "en persona"),
    },
    ContactType.CALL: {
        "en": ("call", "phone", "phone call", "callback", "telephone"),
        "zh-Hans": ("电话", "来电", "回访", "电话回访", "致电", "去电", "电话沟通"),
        "zh-Hant": ("電話", "來電", "回訪", "電話回訪", "致電", "去電"),
        "es": ("llamada", "teléfono", "llamada telefónica", "telefono"),
    },
    ContactType.SMS: {
        "en": ("sms", "text", "text message"),
        "zh-Hans": ("短信", "短讯"),
        "zh-Hant": ("簡訊", "短訊"),
        "es": ("sms", "mensaje de texto"),
    },
    ContactType.EMAIL: {
        "en": ("email", "e-mail", "mail"),
        "zh-Hans": ("邮件", "电子邮件", "电邮"),
        "zh-Hant": ("郵件", "電子郵件", "電郵"),
        "es": ("correo", "correo electrónico", "email"),
    },
    ContactType.CHAT: {
        "en": ("chat", "message", "wechat", "whatsapp", "line", "messenger", "telegram"),
        "zh-Hans": ("微信", "消息", "聊天", "qq", "私信", "微信聊天"),
        "zh-Hant": ("訊息", "微信", "聊天", "私訊", "line訊息"),
        "es": ("mensaje", "chat", "whatsapp", "wasap"),
    },
    # What: the purpose.
    ContactType.COMPLAINT: {
        "en": ("complaint", "claim"),
        "zh-Hans": ("投诉", "客诉"),
        "zh-Hant": ("投訴", "客訴"),
        "es": ("queja", "reclamación", "reclamo", "incidencia"),
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
    ContactType.QUOTE: {
        "en": ("quote", "quotation", "proposal"),
        "zh-Hans": ("报价", "询价"),
        "zh-Hant": ("報價", "詢價"),
        "es": ("presupuesto", "cotización", "oferta"),
    },
    ContactType.AFTER_SALES: {
        "en": ("after-sales", "service", "repair", "maintenance", "support", "installation"),
        "zh-Hans": ("售后", "售后服务", "维修", "保养", "安装"),
        "zh-Hant": ("售後", "售後服務", "維修", "保養", "安裝"),
        "es": ("postventa", "servicio técnico", "reparación", "mantenimiento", "instalación"),
    },
    ContactType.DELIVERY: {
        "en": ("delivery", "shipping"),
        "zh-Hans": ("送货", "配送", "发货"),
        "zh-Hant": ("送貨", "配送", "出貨"),
        "es": ("entrega", "envío", "reparto"),
    },
    ContactType.FOLLOW_UP: {
        "en": ("follow-up", "check-in"),
        "zh-Hans": ("跟进", "跟踪", "回访跟进"),
        "zh-Hant": ("跟進", "追蹤"),
        "es": ("seguimiento", "contacto de seguimiento"),
    },
    ContactType.OTHER: {
        "en": ("other", "note"),
        "zh-Hans": ("其他",),
        "zh-Hant": ("其他",),
        "es": ("otro", "otros"),
    },
}

# Purposes: what a contact was about, whatever its channel. A log with a "how" and a "what"
# column files each contact under its purpose and counts it as a contact of its channel too.
PURPOSES = frozenset(
    {
        ContactType.COMPLAINT,
        ContactType.SURVEY,
        ContactType.GREETING,
        ContactType.QUOTE,
        ContactType.AFTER_SALES,
        ContactType.DELIVERY,
        ContactType.FOLLOW_UP,
        ContactType.OTHER,
    }
)

GENDER_WORDS: Mapping[Gender, Mapping[str, tuple[str, ...]]] = {
    Gender.MALE: {
        "en": ("male", "man", "mr"),
        "zh-Hans": ("男", "男性", "先生", "男士"),
        "zh-Hant": ("男", "男性", "先生", "男士"),
        "es": ("hombre", "masculino", "varón", "sr", "señor"),
    },
    Gender.FEMALE: {
        "en": ("female", "woman", "mrs", "ms", "miss"),
        "zh-Hans": ("女", "女性", "女士", "小姐"),
        "zh-Hant": ("女", "女性", "女士", "小姐"),
        "es": ("mujer", "femenino", "sra", "señora", "srta", "señorita"),
    },
    Gender.OTHER: {
        "en": ("other", "x"),
        "zh-Hans": ("其他",),
        "zh-Hant": ("其他",),
        "es": ("otro",),
    },
}

# Yes and no, and what stands for them in a column that asks: accepts promotions, staff
# active, complaint resolved. Ticks and crosses are how many sheets say it.
YES_NO_WORDS: Mapping[YesNo, Mapping[str, tuple[str, ...]]] = {
    YesNo.YES: {
        "en": (
            "yes", "y", "true", "1", "ok", "√", "✓", "✔", "active", "resolved", "done", "closed",
            "completed", "complete",
        ),
        "zh-Hans": (
            "是", "接受", "同意", "在职", "有", "对", "已解决", "已处理", "需要", "愿意", "已完成",
        ),
        "zh-Hant": (
            "是", "接受", "同意", "在職", "有", "對", "已解決", "已處理", "需要", "願意", "已完成",
        ),
        "es": (
            "sí", "si", "s", "verdadero", "acepta", "activo", "activa", "resuelto", "resuelta",
            "completado", "finalizado", "cerrado", "cerrada",
        ),
    },
    YesNo.NO: {
        "en": (
            "no", "n", "false", "0", "×", "✗", "✘", "inactive", "open", "pending", "unresolved",
        ),
        "zh-Hans": (
            "否", "不", "不接受", "拒绝", "离职", "无", "未解决", "处理中", "不需要", "不愿意",
        ),
        "zh-Hant": (
            "否", "不", "不接受", "拒絕", "離職", "無", "未解決", "處理中", "不需要", "不願意",
        ),
        "es": (
            "no", "falso", "rechaza", "baja", "de baja", "inactivo", "inactiva", "pendiente",
            "abierta", "abierto", "sin resolver",
        ),
    },
}  # fmt: skip

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


SATISFACTION_WORDS: Mapping[Satisfaction, Mapping[str, tuple[str, ...]]] = {
    Satisfaction.VERY_DISSATISFIED: {
        "en": ("very dissatisfied", "very unhappy", "very poor", "terrible"),
        "zh-Hans": ("非常不满意", "很不满意", "极不满意", "差评", "很差"),
        "zh-Hant": ("非常不滿意", "很不滿意", "極不滿意", "很差"),
        "es": ("muy insatisfecho", "muy insatisfecha", "muy mal", "pésimo"),
    },
    Satisfaction.DISSATISFIED: {
        "en": ("dissatisfied", "unsatisfied", "unhappy", "poor", "bad"),
        "zh-Hans": ("不满意", "较差", "差"),
        "zh-Hant": ("不滿意", "較差", "差"),
        "es": ("insatisfecho", "insatisfecha", "mal", "malo", "no satisfecho"),
    },
    Satisfaction.NEUTRAL: {
        "en": ("neutral", "average", "ok", "fair", "so-so"),
        "zh-Hans": ("一般", "还行", "还可以", "中评", "中等"),
        "zh-Hant": ("一般", "還行", "還可以", "普通", "中等"),
        "es": ("regular", "normal", "neutral", "aceptable"),
    },
    Satisfaction.SATISFIED: {
        "en": ("satisfied", "happy", "good"),
        "zh-Hans": ("满意", "比较满意", "较满意", "好评", "好"),
        "zh-Hant": ("滿意", "比較滿意", "較滿意", "好"),
        "es": ("satisfecho", "satisfecha", "bien", "bueno", "buena"),
    },
    Satisfaction.VERY_SATISFIED: {
        "en": ("very satisfied", "very happy", "excellent", "very good"),
        "zh-Hans": ("非常满意", "很满意", "十分满意", "非常好"),
        "zh-Hant": ("非常滿意", "很滿意", "十分滿意", "非常好"),
        "es": ("muy satisfecho", "muy satisfecha", "excelente", "muy bien", "muy bueno"),
    },
}

# settings.yaml `vocabulary:` keys: the shop's own words for each enumeration, e.g.
# {status: {customer: [合作中]}, contact: {complaint: [差评]}}.
VOCABULARIES: Mapping[str, tuple[type[StrEnum], Mapping[Any, Mapping[str, tuple[str, ...]]]]] = {
    "status": (Status, STATUS_WORDS),
    "contact": (ContactType, CONTACT_TYPE_WORDS),
    "gender": (Gender, GENDER_WORDS),
    "yes_no": (YesNo, YES_NO_WORDS),
    "calendar": (Calendar, CALENDAR_WORDS),
    "tier": (Tier, TIER_WORDS),
    "satisfaction": (Satisfaction, SATISFACTION_WORDS),
}


def with_shop_words(
    words: Mapping[Any, Mapping[str, tuple[str, ...]]], extra: Mapping[str, tuple[str, ...]]
) -> Mapping[Any, Mapping[str, tuple[str, ...]]]:
    """The built-in words of an enumeration plus a shop's own (member value → words)."""
    if not extra:
        return words
    return {
        member: {**by_language, "shop": tuple(extra.get(member.value, ()))}
        for member, by_language in words.items()
    }


def words_markdown() -> str:
    """The accepted words of every vocabulary, as README shows them (a test keeps it equal)."""
    lines = ["| list | member | en | zh-Hans | zh-Hant | es |", "|---|---|---|---|---|---|"]
    for key, (_, words) in VOCABULARIES.items():
        for member, by_language in words.items():
            cells = [", ".join(by_language.get(lang, ())) for lang in LANGUAGES]
            lines.append(f"| {key} | {member.value} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


# One-letter genders read by the workbook's language: M is mujer in Spanish, male in English
# (and in Chinese sheets, which borrow the English letters). None: the language is unknown.
GENDER_LETTERS: Mapping[str | None, Mapping[str, Gender]] = {
    "es": {"m": Gender.FEMALE, "f": Gender.FEMALE, "h": Gender.MALE, "v": Gender.MALE},
    "en": {"m": Gender.MALE, "f": Gender.FEMALE},
    "zh-Hans": {"m": Gender.MALE, "f": Gender.FEMALE},
    "zh-Hant": {"m": Gender.MALE, "f": Gender.FEMALE},
    None: {"f": Gender.FEMALE, "h": Gender.MALE, "v": Gender.MALE},  # "m": ambiguous
}
