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
    BIRTHDAY = "birthday"  # a date, or a lunar date as Chinese registers type it: 农历三月初八
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
    PERCENT = "percent"  # 25%, 25 or 0.25, read as the fraction 0.25
    SATISFACTION = "satisfaction"  # a score (1–5) or a word (满意, Regular, very satisfied)


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
    # An export with first and last names and no name column: the name is made of both.
    _f(
        "given_name",
        T.TEXT,
        "First Name|Given name|Forename",
        "名|名字",
        "名|名字",
        "Nombre de pila",
    ),
    _f(
        "family_name",
        T.TEXT,
        "Last Name|Surname|Family name",
        "姓|姓氏",
        "姓|姓氏",
        "Apellidos|Apellido|Primer apellido",
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
    # A chat handle, not a phone: messages sent by hand from WeChat go to it.
    _f("wechat", T.TEXT, "WeChat|WeChat ID", "微信|微信号", "微信|微信號", "WeChat"),
    _f("gender", T.GENDER, "Gender|Sex", "性别", "性別", "Sexo|Género"),
    # How messages address the customer when staff know better than surname and gender.
    _f(
        "salutation",
        T.TEXT,
        "Salutation|Form of address|Addressed as",
        "称呼|尊称",
        "稱呼|尊稱",
        "Tratamiento|Cómo dirigirse",
    ),
    _f(
        "birthday",
        T.BIRTHDAY,
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
    # What the contact was about (visit, call... or complaint, quote: one column may hold both)
    _f(
        "type",
        T.CONTACT_TYPE,
        "Type|Kind|Purpose|Reason|Activity Type|Contact type",
        "类型|目的|事由|跟进类型|联系类型|事项",
        "類型|目的|事由|跟進類型|聯絡類型|事項",
        "Tipo|Motivo|Tipo de contacto",
    ),
    # How it happened, when the log has a column of its own for that.
    _f(
        "channel",
        T.CONTACT_TYPE,
        "Channel|Via|Medium|Contact method",
        "方式|渠道|联系方式|跟进方式|沟通方式",
        "方式|管道|渠道|聯絡方式|跟進方式|溝通方式",
        "Canal|Medio|Vía|Forma de contacto",
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
        T.SATISFACTION,
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
        "Order ID|Order No|Order number|Invoice|Invoice Number|Invoice No",
        "订单编号|订单号|单号|发票号",
        "訂單編號|訂單號|單號|發票號碼",
        "Nº pedido|Pedido|Número de pedido|Factura|Nº factura|Número de factura|Folio",
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
    _f("quantity", T.INTEGER, "Quantity|Qty|Units", "数量|件数", "數量|件數", "Cantidad|Unidades"),
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
    _f(
        "margin_rate",
        T.PERCENT,
        "Margin %|Margin (%)|Margin rate|Profit margin|GP %|Gross margin %",
        "毛利率|利润率|毛利%",
        "毛利率|利潤率|毛利%",
        "Margen %|Margen (%)|% Margen|% de margen|Margen porcentual|Porcentaje de margen",
    ),
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

# Headers as shops and CRM exports write them (HubSpot and Salesforce exports, Chinese CRM
# exports, Spanish and Latin American shops), beyond the first names above.
# A customer's number as the register heads it, and as the log and the orders refer to it.
_CUSTOMER_NUMBER = {
    "en": "Record ID|Contact ID|Account ID|Customer code",
    "zh-Hans": "客户代号|客户号",
    "zh-Hant": "客戶代號|客戶號",
    "es": "Cód. cliente|Cod. cliente|Núm. cliente|N° cliente|Nro. cliente|Código de cliente",
}
_CUSTOMER_REFERENCE = {
    language: words + {"es": "|Nº cliente|Número de cliente"}.get(language, "")
    for language, words in _CUSTOMER_NUMBER.items()
}
EXPORT_HEADERS: Mapping[SheetKind, Mapping[str, Mapping[str, str]]] = {
    SheetKind.CUSTOMERS: {
        "id": _CUSTOMER_NUMBER,
        "name": {
            "en": "Contact name|Account name|Client name",
            "zh-Hans": "联系人|客户名",
            "zh-Hant": "聯絡人|客戶名",
            "es": "Nombre y apellidos|Razón social|Nombre completo del cliente",
        },
        "phone": {
            "en": "Phone Number|Mobile Phone Number|Mobile phone|Cell phone|WhatsApp",
            "zh-Hans": "手机号码|移动电话|联系方式电话",
            "zh-Hant": "流動電話|行動電話|手機號|聯絡電話號碼",
            "es": "Teléfono móvil|Móvil|Celular|Número de teléfono|WhatsApp",
        },
        "email": {
            "en": "Email Address|E-mail address",
            "zh-Hans": "电子邮箱|邮箱地址|电邮",
            "zh-Hant": "電郵|電子郵箱|電郵地址",
            "es": "Correo-e|Dirección de correo|Email del cliente",
        },
        "birthday": {
            "en": "Birth date|Birthdate|Lunar birthday",
            "zh-Hans": "出生年月|生日日期|农历生日|阴历生日",
            "zh-Hant": "出生年月|生日日期|農曆生日|陰曆生日",
            "es": "Fecha nacimiento|F. nacimiento",
        },
        "organisation": {
            "en": "Company Name|Account|Business",
            "zh-Hans": "公司名称|单位名称|企业名称",
            "zh-Hant": "公司名稱|單位名稱|企業名稱",
            "es": "Nombre de la empresa|Compañía",
        },
        "status": {
            "en": "Lifecycle Stage|Lead Status|Customer status",
            "zh-Hans": "跟进状态|客户阶段|成交状态",
            "zh-Hant": "跟進狀態|客戶階段|成交狀態",
            "es": "Estado del cliente|Situación|Tipo de cliente|Estatus|Estatus del cliente",
        },
        "owner": {
            "en": "Contact owner|Account Owner|Assigned to|Sales Rep",
            "zh-Hans": "所属销售|销售员|跟进人|归属人|负责销售",
            "zh-Hant": "負責業務|業務|所屬業務|跟進人",
            "es": "Asesor|Comercial asignado|Agente",
        },
        "accepts_promotions": {
            "en": "Marketing emails|Opted in|Email opt-in|Accepts marketing",
            "zh-Hans": "是否接收短信|是否接收推广|接收短信|同意营销",
            "zh-Hant": "是否接收推廣訊息|是否接收簡訊|接收簡訊",
            "es": "Acepta publicidad|Acepta comunicaciones|Publicidad",
        },
        "since": {
            "en": "Create Date|Created|Customer since|Created Date|Date created",
            "zh-Hans": "创建日期|建档时间|录入日期|创建时间|建档日期",
            "zh-Hant": "建立日期|建檔時間|建立時間|建檔日期",
            "es": "Cliente desde|Fecha de registro|Fecha de alta|Alta",
        },
        "notes": {
            "en": "Description|Comments",
            "zh-Hans": "客户备注|说明",
            "zh-Hant": "客戶備註|說明",
            "es": "Comentarios|Observaciones del cliente",
        },
        "tier_override": {
            "en": "Customer tier|Customer level",
            "zh-Hans": "客户级别|客户分级",
            "zh-Hant": "客戶級別|客戶分級",
            "es": "Categoría de cliente",
        },
    },
    SheetKind.VISITS: {
        "customer_id": _CUSTOMER_REFERENCE,
        "date": {
            "en": "Activity Date|Follow-up date",
            "zh-Hans": "跟进日期|回访时间|联系时间",
            "zh-Hant": "跟進日期|聯絡時間",
            "es": "Fecha del contacto|Fecha de la visita",
        },
        "staff": {
            "en": "Assigned To|Activity owner|Sales Rep",
            "zh-Hans": "跟进人|销售员|联系人员|拜访人|业务员|回访人",
            "zh-Hant": "跟進人|經手人|業務|拜訪人|業務員|回訪人",
            "es": "Asesor|Vendedor|Comercial|Atendido por",
        },
        "summary": {
            "en": "Subject|Body|Details|Description",
            "zh-Hans": "跟进内容|沟通记录|详情",
            "zh-Hant": "內容摘要|跟進內容|溝通紀錄",
            "es": "Comentarios|Asunto|Detalle",
        },
        "callback": {
            "en": "Due Date|Next follow-up|Next follow-up date",
            "zh-Hans": "下次跟进日期|下次回访日期|下次联系日期",
            "zh-Hant": "下次聯絡日|下次跟進日期|下次回訪日期",
            "es": "Próxima llamada|Fecha próximo contacto|Volver a contactar",
        },
        "resolved": {
            "en": "Resolution|Status of complaint",
            "zh-Hans": "处理结果|处理状态|是否已处理",
            "zh-Hant": "處理結果|處理狀態",
            "es": "Estado de la incidencia|Resolución",
        },
    },
    SheetKind.ORDERS: {
        "customer_id": _CUSTOMER_REFERENCE,
        "date": {
            "en": "Close Date|Order date|Invoice date",
            "zh-Hans": "订单日期|下单日期|成交日期",
            "zh-Hant": "訂購日期|訂單日期|成交日期",
            "es": "Fecha pedido|Fecha de pedido|Fecha factura",
        },
        "product": {
            "en": "Product name|Item",
            "zh-Hans": "产品名称|商品名称|型号",
            "zh-Hant": "品名|產品名稱|商品名稱",
            "es": "Artículo|Descripción",
        },
        "amount": {
            "en": "Total Amount|Revenue|Deal amount|Net amount|Subtotal|Amount excl. tax",
            "zh-Hans": "实收金额|订单金额|成交金额|不含税金额|未税金额|含税金额|价税合计",
            "zh-Hant": "實收金額|訂單金額|成交金額|未稅金額|不含稅金額|含稅金額",
            "es": "Base imponible|Importe neto|Subtotal|Importe total|Total factura|Total con IVA",
        },
        "profit": {
            "en": "Gross Profit|Margin amount",
            "zh-Hans": "毛利润|利润额",
            "zh-Hant": "毛利潤|利潤額",
            "es": "Ganancia|Utilidad|Margen bruto",
        },
        "cost": {
            "en": "COGS|Cost of goods",
            "zh-Hans": "进货成本|成本价",
            "zh-Hant": "進貨成本|成本價",
            "es": "Coste de venta|Costo de venta",
        },
        "staff": {
            "en": "Sales Rep|Deal owner|Salesperson",
            "zh-Hans": "销售员|经手人|业务员",
            "zh-Hant": "經手人|業務員|業務",
            "es": "Vendedor|Asesor|Comercial",
        },
    },
    SheetKind.STAFF: {
        "name": {  # a team list headed by what its people are
            "en": "Salesperson|Sales Rep|User|Full name",
            "zh-Hans": "销售员|业务员|销售人员",
            "zh-Hant": "業務員|業務人員|銷售人員",
            "es": "Vendedor|Vendedora|Asesor|Comercial|Nombre y apellidos",
        },
        "active": {
            "en": "Status|Employment status",
            "zh-Hans": "在职状态|是否在职",
            "zh-Hant": "在職狀態|是否在職",
            "es": "Estado|Situación|Estatus",
        },
    },
}


def _with_export_headers(kind: SheetKind, fields: tuple[Field, ...]) -> tuple[Field, ...]:
    extra = EXPORT_HEADERS.get(kind, {})
    return tuple(
        Field(
            f.name,
            f.type,
            {
                lang: (*words, *(w for w in extra.get(f.name, {}).get(lang, "").split("|") if w))
                for lang, words in f.aliases.items()
            },
            f.required,
        )
        for f in fields
    )


FIELDS: Mapping[SheetKind, tuple[Field, ...]] = {
    SheetKind.CUSTOMERS: _with_export_headers(SheetKind.CUSTOMERS, CUSTOMER_FIELDS),
    SheetKind.VISITS: _with_export_headers(SheetKind.VISITS, VISIT_FIELDS),
    SheetKind.ORDERS: _with_export_headers(SheetKind.ORDERS, ORDER_FIELDS),
    SheetKind.STAFF: _with_export_headers(SheetKind.STAFF, STAFF_FIELDS),
}

SHEET_NAMES: Mapping[SheetKind, Aliases] = {
    SheetKind.CUSTOMERS: {
        # HubSpot and Salesforce call the people they export "contacts".
        "en": ("Customers", "Clients", "Register", "Contacts", "Accounts"),
        "zh-Hans": ("客户", "客户档案", "客户名单", "客户资料", "客户信息", "客户列表"),
        "zh-Hant": ("客戶", "客戶檔案", "客戶名單", "客戶資料", "客戶資訊", "客戶列表"),
        "es": ("Clientes", "Registro", "Cartera de clientes", "Fichas de clientes"),
    },
    SheetKind.VISITS: {
        "en": (
            "Visits", "Contact log", "Contacts log", "Contact history", "Log", "Activities",
            "Interactions", "Follow-ups",
        ),
        "zh-Hans": (
            "拜访记录", "联系记录", "来访登记", "拜访", "跟进记录", "回访记录", "沟通记录",
            "客户跟进",
        ),
        "zh-Hant": (
            "拜訪記錄", "聯絡記錄", "來訪登記", "拜訪", "聯絡紀錄", "拜訪紀錄", "跟進紀錄",
            "跟進記錄", "回訪紀錄",
        ),
        "es": (
            "Visitas", "Contactos", "Registro de contactos", "Seguimiento", "Seguimientos",
            "Actividades", "Llamadas",
        ),
    },
    SheetKind.ORDERS: {
        "en": ("Orders", "Sales", "Transactions", "Deals", "Invoices"),
        "zh-Hans": ("订单", "交易记录", "销售记录", "订单记录", "销售明细"),
        "zh-Hant": ("訂單", "交易記錄", "銷售記錄", "訂單紀錄", "銷售紀錄", "銷售明細"),
        "es": ("Pedidos", "Ventas", "Transacciones", "Facturas"),
    },
    SheetKind.STAFF: {
        "en": ("Staff", "Team", "Employees", "Users", "Sales reps"),
        "zh-Hans": ("员工", "员工名单", "团队", "销售人员", "业务员"),
        "zh-Hant": ("員工", "員工名單", "團隊", "業務人員", "業務員"),
        "es": ("Personal", "Empleados", "Equipo", "Comerciales", "Vendedores", "Asesores"),
    },
}  # fmt: skip

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


# Amount headers that name the amount before tax. An orders sheet often has both that and a
# total with tax (Spain's "Base imponible" and "Total" with IVA): value and tiers are read
# from the amount before tax, and the sheet is told which column was used.
NET_AMOUNT_HEADERS = frozenset(
    normalize_header(word)
    for word in (
        "Net amount", "Subtotal", "Amount excl. tax", "不含税金额", "未税金额", "未稅金額",
        "不含稅金額", "Base imponible", "Importe neto",
    )
)  # fmt: skip


# Headers of an address's parts. "Estado" beside them is the state of the address (Jalisco,
# Nuevo León), not the customer's status: it is then left to staff, not read as a status.
PLACE_HEADERS = frozenset(
    normalize_header(word)
    for word in (
        "Dirección", "Domicilio", "Calle", "Colonia", "Municipio", "Delegación", "Alcaldía",
        "Ciudad", "Localidad", "Población", "Provincia", "Código postal", "CP", "C.P.", "País",
        "Address", "Street", "City", "Zip", "Zip code", "Postal code", "Country",
    )
)  # fmt: skip
STATE_OR_STATUS = normalize_header("Estado")
