"""The workbook's sheets and columns: canonical names, types and the headers staff may type.

Headers are matched after `normalize_header` (NFKC, case-folded, spaces and punctuation
removed), so "E-mail", "email" and "ｅｍａｉｌ" are the same header. The first alias of each
language is the header sheetcrm writes itself (starter workbook, demo, owned columns).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class SheetKind(StrEnum):
    CUSTOMERS = "customers"
    VISITS = "visits"
    ORDERS = "orders"
    STAFF = "staff"


class FieldType(StrEnum):
    ID = "id"  # text or whole number, unique on the register
    TEXT = "text"
    PHONE = "phone"
    EMAIL = "email"
    DATE = "date"
    AMOUNT = "amount"
    INTEGER = "integer"
    STATUS = "status"
    CONTACT_TYPE = "contact_type"
    GENDER = "gender"
    YES_NO = "yes_no"
    CALENDAR = "calendar"
    LANGUAGE = "language"
    STAFF_REF = "staff_ref"  # a staff member's name
    CUSTOMER_REF = "customer_ref"  # a customer id that must exist on the register
    TIER = "tier"


Aliases = Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class Field:
    name: str
    type: FieldType
    aliases: Aliases
    required: bool = False


def _f(
    name: str, type_: FieldType, en: str, hans: str, hant: str, es: str, *, required: bool = False
) -> Field:
    """A field from "|"-separated alias lists, one per language."""
    return Field(
        name=name,
        type=type_,
        required=required,
        aliases={
            "en": tuple(en.split("|")),
            "zh-Hans": tuple(hans.split("|")),
            "zh-Hant": tuple(hant.split("|")),
            "es": tuple(es.split("|")),
        },
    )


T = FieldType

CUSTOMER_FIELDS: tuple[Field, ...] = (
    _f(
        "id",
        T.ID,
        "Customer ID|ID|Customer No|Customer Number|Code",
        "客户编号|编号|客户ID|客户代码",
        "客戶編號|編號|客戶ID|客戶代碼",
        "ID cliente|ID|Código|Código cliente|Nº cliente|Número de cliente",
        required=True,
    ),
    _f(
        "name",
        T.TEXT,
        "Name|Customer|Customer name|Full name",
        "客户名称|姓名|客户姓名|名称|客户",
        "客戶名稱|姓名|客戶姓名|名稱|客戶",
        "Nombre|Cliente|Nombre del cliente|Nombre completo",
        required=True,
    ),
    _f(
        "phone",
        T.PHONE,
        "Phone|Mobile|Telephone|Tel|Cell",
        "电话|手机|联系电话|手机号|电话号码",
        "電話|手機|聯絡電話|手機號碼|電話號碼",
        "Teléfono|Móvil|Celular|Tel",
    ),
    _f(
        "email",
        T.EMAIL,
        "E-mail|Email|Mail",
        "邮箱|电子邮件|邮件",
        "電子郵件|郵箱|郵件",
        "Correo|Correo electrónico|E-mail|Email",
    ),
    _f("gender", T.GENDER, "Gender|Sex", "性别", "性別", "Sexo|Género"),
    _f(
        "birthday",
        T.DATE,
        "Birthday|Date of birth|Birth date|DOB",
        "生日|出生日期",
        "生日|出生日期",
        "Fecha de nacimiento|Cumpleaños|Nacimiento",
    ),
    _f(
        "birthday_calendar",
        T.CALENDAR,
        "Birthday calendar|Calendar",
        "生日历法|历法|公历农历",
        "生日曆法|曆法|公曆農曆",
        "Calendario|Calendario del cumpleaños",
    ),
    _f("address", T.TEXT, "Address", "地址|住址", "地址|住址", "Dirección|Domicilio"),
    _f(
        "organisation",
        T.TEXT,
        "Company|Organisation|Organization|Work unit",
        "单位|公司|工作单位",
        "單位|公司|工作單位",
        "Empresa|Organización",
    ),
    _f(
        "status",
        T.STATUS,
        "Status|Stage|Lifecycle",
        "状态|客户状态|阶段",
        "狀態|客戶狀態|階段",
        "Estado|Etapa",
    ),
    _f(
        "owner",
        T.STAFF_REF,
        "Owner|Account manager|Sales rep|Salesperson",
        "负责人|业务员|客户经理|销售",
        "負責人|業務員|客戶經理|銷售",
        "Responsable|Vendedor|Comercial|Gestor",
    ),
    _f("language", T.LANGUAGE, "Language", "语言", "語言", "Idioma"),
    _f(
        "accepts_promotions",
        T.YES_NO,
        "Accepts promotions|Promotions|Marketing consent",
        "接受推广|接受促销|接受营销信息",
        "接受推廣|接受促銷|接受行銷訊息",
        "Acepta promociones|Promociones|Consentimiento",
    ),
    _f(
        "since",
        T.DATE,
        "Since|Registered|First contact|Date registered",
        "登记日期|建档日期|首次接触",
        "登記日期|建檔日期|首次接觸",
        "Fecha de alta|Alta|Primer contacto",
    ),
    _f(
        "notes",
        T.TEXT,
        "Notes|Preferences|Remarks",
        "备注|偏好",
        "備註|偏好",
        "Notas|Preferencias|Observaciones",
    ),
    _f(
        "tier_override",
        T.TIER,
        "Tier override|Manual tier",
        "人工等级|指定等级",
        "人工等級|指定等級",
        "Nivel manual|Nivel asignado",
    ),
    _f(
        "tier_approver",
        T.STAFF_REF,
        "Tier approved by|Approved by",
        "等级审批人|审批人",
        "等級審批人|審批人",
        "Nivel aprobado por|Aprobado por",
    ),
    _f(
        "vip_approver",
        T.STAFF_REF,
        "VIP approved by",
        "VIP审批人",
        "VIP審批人",
        "VIP aprobado por",
    ),
)

VISIT_FIELDS: tuple[Field, ...] = (
    _f(
        "date",
        T.DATE,
        "Date|Visit date|Contact date",
        "日期|拜访日期|来访日期|联系日期",
        "日期|拜訪日期|來訪日期|聯絡日期",
        "Fecha|Fecha de visita|Fecha de contacto",
        required=True,
    ),
    _f(
        "customer_id",
        T.CUSTOMER_REF,
        "Customer ID|ID|Customer No",
        "客户编号|编号|客户ID",
        "客戶編號|編號|客戶ID",
        "ID cliente|ID|Código cliente",
    ),
    _f(
        "customer_name",
        T.TEXT,
        "Customer|Name|Customer name",
        "客户名称|姓名|客户",
        "客戶名稱|姓名|客戶",
        "Cliente|Nombre",
    ),
    _f(
        "phone",
        T.PHONE,
        "Phone|Mobile|Tel",
        "电话|手机|联系电话",
        "電話|手機|聯絡電話",
        "Teléfono|Móvil|Tel",
    ),
    _f(
        "staff",
        T.STAFF_REF,
        "Staff|By|Contacted by|Owner",
        "员工|经办人|接待人|负责人",
        "員工|經辦人|接待人|負責人",
        "Empleado|Atendido por|Responsable",
    ),
    _f(
        "type",
        T.CONTACT_TYPE,
        "Type|Kind|Channel",
        "类型|方式|联系方式",
        "類型|方式|聯絡方式",
        "Tipo|Canal",
        required=True,
    ),
    _f(
        "summary",
        T.TEXT,
        "Summary|Notes|Outcome|What was said",
        "内容|摘要|沟通内容|结果",
        "內容|摘要|溝通內容|結果",
        "Resumen|Notas|Resultado",
    ),
    _f(
        "intention",
        T.TEXT,
        "Purchase intention|Intention",
        "购买意向|意向",
        "購買意向|意向",
        "Intención de compra|Intención",
    ),
    _f(
        "callback",
        T.DATE,
        "Callback date|Callback|Follow up on",
        "回访日期|回访|下次联系",
        "回訪日期|回訪|下次聯絡",
        "Fecha de seguimiento|Seguimiento|Volver a llamar",
    ),
    _f(
        "resolved",
        T.YES_NO,
        "Resolved|Closed",
        "已解决|是否解决",
        "已解決|是否解決",
        "Resuelto|Cerrado",
    ),
    _f(
        "satisfaction",
        T.INTEGER,
        "Satisfaction|Rating",
        "满意度|评分",
        "滿意度|評分",
        "Satisfacción|Valoración",
    ),
)

ORDER_FIELDS: tuple[Field, ...] = (
    _f(
        "order_id",
        T.ID,
        "Order ID|Order No|Order number|Invoice",
        "订单编号|订单号|单号",
        "訂單編號|訂單號|單號",
        "Nº pedido|Pedido|Número de pedido|Factura",
    ),
    _f(
        "date",
        T.DATE,
        "Date|Order date",
        "日期|下单日期|成交日期",
        "日期|下單日期|成交日期",
        "Fecha|Fecha del pedido",
        required=True,
    ),
    _f(
        "customer_id",
        T.CUSTOMER_REF,
        "Customer ID|ID|Customer No",
        "客户编号|编号|客户ID",
        "客戶編號|編號|客戶ID",
        "ID cliente|ID|Código cliente",
        required=True,
    ),
    _f(
        "product",
        T.TEXT,
        "Product|Model|Item",
        "产品|型号|商品",
        "產品|型號|商品",
        "Producto|Modelo|Artículo",
    ),
    _f("quantity", T.INTEGER, "Quantity|Qty", "数量", "數量", "Cantidad"),
    _f(
        "amount",
        T.AMOUNT,
        "Amount|Total|Contract amount|Sales",
        "金额|合同金额|销售额|成交金额",
        "金額|合約金額|銷售額|成交金額",
        "Importe|Total|Monto",
        required=True,
    ),
    _f("profit", T.AMOUNT, "Profit|Margin", "利润|毛利", "利潤|毛利", "Beneficio|Margen"),
    _f("cost", T.AMOUNT, "Cost", "成本", "成本", "Coste|Costo"),
    _f(
        "staff",
        T.STAFF_REF,
        "Staff|Salesperson|Sold by",
        "业务员|销售|经办人",
        "業務員|銷售|經辦人",
        "Vendedor|Empleado",
    ),
)

STAFF_FIELDS: tuple[Field, ...] = (
    _f(
        "name",
        T.TEXT,
        "Name|Staff|Employee",
        "姓名|员工|员工姓名",
        "姓名|員工|員工姓名",
        "Nombre|Empleado",
        required=True,
    ),
    _f(
        "email",
        T.EMAIL,
        "E-mail|Email",
        "邮箱|电子邮件",
        "電子郵件|郵箱",
        "Correo|Correo electrónico|E-mail|Email",
    ),
    _f("phone", T.PHONE, "Phone|Mobile", "电话|手机", "電話|手機", "Teléfono|Móvil"),
    _f(
        "chat_id",
        T.TEXT,
        "Chat ID|WeCom ID|Slack ID",
        "企业微信|微信号|钉钉号|飞书号",
        "企業微信|微信號|釘釘號|飛書號",
        "ID de chat|Chat",
    ),
    _f(
        "active",
        T.YES_NO,
        "Active|Employed",
        "在职|是否在职",
        "在職|是否在職",
        "Activo|En plantilla",
    ),
    _f(
        "manager",
        T.STAFF_REF,
        "Manager|Reports to",
        "主管|经理|上级",
        "主管|經理|上級",
        "Jefe|Responsable|Gerente",
    ),
    _f("role", T.TEXT, "Role|Position", "职位|岗位", "職位|崗位", "Puesto|Cargo"),
)

FIELDS: Mapping[SheetKind, tuple[Field, ...]] = {
    SheetKind.CUSTOMERS: CUSTOMER_FIELDS,
    SheetKind.VISITS: VISIT_FIELDS,
    SheetKind.ORDERS: ORDER_FIELDS,
    SheetKind.STAFF: STAFF_FIELDS,
}

SHEET_NAMES: Mapping[SheetKind, Aliases] = {
    SheetKind.CUSTOMERS: {
        "en": ("Customers", "Clients", "Register"),
        "zh-Hans": ("客户", "客户档案", "客户名单"),
        "zh-Hant": ("客戶", "客戶檔案", "客戶名單"),
        "es": ("Clientes", "Registro"),
    },
    SheetKind.VISITS: {
        "en": ("Visits", "Contacts", "Contact log", "Log"),
        "zh-Hans": ("拜访记录", "联系记录", "来访登记", "拜访"),
        "zh-Hant": ("拜訪記錄", "聯絡記錄", "來訪登記", "拜訪"),
        "es": ("Visitas", "Contactos", "Registro de contactos"),
    },
    SheetKind.ORDERS: {
        "en": ("Orders", "Sales", "Transactions"),
        "zh-Hans": ("订单", "交易记录", "销售记录"),
        "zh-Hant": ("訂單", "交易記錄", "銷售記錄"),
        "es": ("Pedidos", "Ventas", "Transacciones"),
    },
    SheetKind.STAFF: {
        "en": ("Staff", "Team", "Employees"),
        "zh-Hans": ("员工", "员工名单", "团队"),
        "zh-Hant": ("員工", "員工名單", "團隊"),
        "es": ("Personal", "Empleados", "Equipo"),
    },
}

# Sheets the job generates, by language.
PROBLEMS_SHEET: Aliases = {
    "en": ("Problems",),
    "zh-Hans": ("问题",),
    "zh-Hant": ("問題",),
    "es": ("Problemas",),
}

# Columns the job owns on staff sheets (issue: Excel sync). Later issues add tier, plan...
PROBLEMS_COLUMN: Aliases = {
    "en": ("Problems",),
    "zh-Hans": ("问题",),
    "zh-Hant": ("問題",),
    "es": ("Problemas",),
}

# Tier columns on the register (issue: customer value and tiers).
TIER_COLUMN: Aliases = {
    "en": ("Tier",),
    "zh-Hans": ("客户等级",),
    "zh-Hant": ("客戶等級",),
    "es": ("Nivel",),
}
SCORE_COLUMN: Aliases = {
    "en": ("Score",),
    "zh-Hans": ("价值得分",),
    "zh-Hant": ("價值得分",),
    "es": ("Puntuación",),
}
VIP_COLUMN: Aliases = {"en": ("VIP",), "zh-Hans": ("VIP",), "zh-Hant": ("VIP",), "es": ("VIP",)}

# The value columns of the register [issue 3], by the name CustomerValue gives them. Their
# headers differ from every field header: an owned header is recognised on any sheet.
VALUE_COLUMNS: Mapping[str, Aliases] = {
    "amount": {
        "en": ("Recent amount",),
        "zh-Hans": ("近期金额",),
        "zh-Hant": ("近期金額",),
        "es": ("Importe reciente",),
    },
    "profit": {
        "en": ("Recent profit",),
        "zh-Hans": ("近期利润",),
        "zh-Hant": ("近期利潤",),
        "es": ("Beneficio reciente",),
    },
    "profit_share": {
        "en": ("Profit share",),
        "zh-Hans": ("利润贡献率",),
        "zh-Hant": ("利潤貢獻率",),
        "es": ("Contribución al beneficio",),
    },
    "frequency": {
        "en": ("Purchase frequency",),
        "zh-Hans": ("购买频次",),
        "zh-Hant": ("購買頻次",),
        "es": ("Frecuencia de compra",),
    },
    "last_purchase": {
        "en": ("Last purchase",),
        "zh-Hans": ("最近购买",),
        "zh-Hant": ("最近購買",),
        "es": ("Última compra",),
    },
    "lifetime_spend": {
        "en": ("Lifetime spend",),
        "zh-Hans": ("累计消费",),
        "zh-Hant": ("累計消費",),
        "es": ("Gasto total",),
    },
    "rfm": {"en": ("RFM",), "zh-Hans": ("RFM",), "zh-Hant": ("RFM",), "es": ("RFM",)},
}

# The maintenance-plan columns of the register [issue 4].
PLAN_COLUMNS: Mapping[str, Aliases] = {
    "last_contact": {
        "en": ("Last contact",),
        "zh-Hans": ("最近联系",),
        "zh-Hant": ("最近聯絡",),
        "es": ("Último contacto",),
    },
    "next_contact": {
        "en": ("Next contact",),
        "zh-Hans": ("下次跟进",),
        "zh-Hant": ("下次跟進",),
        "es": ("Próximo contacto",),
    },
    "next_action": {
        "en": ("Next action",),
        "zh-Hans": ("下一步",),
        "zh-Hant": ("下一步",),
        "es": ("Próxima acción",),
    },
    "plan": {
        "en": ("Plan",),
        "zh-Hans": ("维护计划",),
        "zh-Hant": ("維護計畫",),
        "es": ("Plan",),
    },
    "days_overdue": {
        "en": ("Days overdue",),
        "zh-Hans": ("逾期天数",),
        "zh-Hant": ("逾期天數",),
        "es": ("Días de retraso",),
    },
    "effective_owner": {
        "en": ("Acting owner",),
        "zh-Hans": ("实际负责人",),
        "zh-Hant": ("實際負責人",),
        "es": ("Responsable actual",),
    },
}
# The Outbox sheet: what the job sent, or will send, and why.
OUTBOX_SHEET: Aliases = {
    "en": ("Outbox",),
    "zh-Hans": ("发送记录",),
    "zh-Hant": ("發送記錄",),
    "es": ("Mensajes",),
}

# One generated sheet per tier, for managers [issue 3]; "{tier}" is the tier letter.
TIER_SHEET: Aliases = {
    "en": ("Tier {tier}",),
    "zh-Hans": ("{tier}类客户",),
    "zh-Hant": ("{tier}類客戶",),
    "es": ("Clientes {tier}",),
}
# The append-only record of tier changes.
TIER_HISTORY_SHEET: Aliases = {
    "en": ("Tier history",),
    "zh-Hans": ("等级变更记录",),
    "zh-Hant": ("等級變更記錄",),
    "es": ("Historial de niveles",),
}
# The optional sheet where managers set tier parameters without touching settings.yaml.
TIERS_SETTINGS_SHEET: Aliases = {
    "en": ("Tiers",),
    "zh-Hans": ("等级设置",),
    "zh-Hant": ("等級設定",),
    "es": ("Niveles",),
}

_PUNCT = re.compile(r"[\s_\-–—.:：*#/()（）\[\]【】·'\"“”]+")


def normalize_header(text: str) -> str:
    """The form headers are compared in: NFKC, case-folded, without spaces or punctuation;
    a header made of punctuation only (`#`, `Nº`'s cousin `No.`) keeps its marks."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _PUNCT.sub("", folded) or "".join(folded.split())


def header_text(aliases: Aliases, language: str) -> str:
    """The header sheetcrm writes for `aliases` in `language` (en when it has none)."""
    words = aliases.get(language) or aliases["en"]
    return words[0]
