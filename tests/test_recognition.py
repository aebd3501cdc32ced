"""Recognition on the words of issue 12, by market: the headers, sheet names and cell words
shops and CRM exports really use (collected from how they name them, not from the code's
lists). Target: at least 95% of each market's words recognised; the README records the rates.
"""

from __future__ import annotations

import pytest

from sheetcrm.rules.layout import OWNED_COLUMNS, alias_table, find_sheet_name
from sheetcrm.rules.parsers.result import Invalid
from sheetcrm.rules.rows import ParseOptions, parsers_for
from sheetcrm.schema import FieldType, SheetKind, normalize_header

C, V, OR, S = SheetKind.CUSTOMERS, SheetKind.VISITS, SheetKind.ORDERS, SheetKind.STAFF

HEADERS = {
    "zh-Hans": {
        C: "所属销售 客户级别 跟进状态 是否接收短信 手机号码 公司名称 电子邮箱 农历生日"
        " 客户名称 联系人 手机 客户编号 生日 性别 地址 负责人",
        V: "跟进日期 跟进人 跟进方式 跟进类型 跟进内容 下次跟进日期 沟通方式 下次回访日期"
        " 处理结果 方式 类型 目的 事由 渠道 联系方式 客户编号",
        OR: "产品名称 实收金额 销售员 订单日期 订单金额 毛利润 订单号 数量 成本 毛利率",
        S: "在职状态 姓名 在职",
    },
    "zh-Hant": {
        C: "流動電話 電郵 公司名稱 負責業務 客戶等級 是否接收推廣訊息 行動電話 客戶編號"
        " 客戶名稱 生日",
        V: "內容摘要 下次聯絡日 日期 客戶編號 方式 類型",
        OR: "訂購日期 品名 實收金額 經手人 訂單編號 數量",
        S: "姓名 在職狀態",
    },
    "es": {
        C: "Razón social|Teléfono móvil|Acepta publicidad|Cliente desde|Nº cliente|Cód. cliente"
        "|Núm. cliente|N° cliente|Nombre y apellidos|Asesor|Fecha nacimiento|Estado|Correo"
        "|Estatus|Celular|Dirección",
        V: "Motivo|Comentarios|Medio|Asunto|Fecha|Canal|Tipo|Vendedor|Nº cliente|Resuelto",
        OR: "Fecha pedido|Base imponible|Importe total|Ganancia|Utilidad|Nº factura|Margen %"
        "|Cantidad|Unidades|Nº cliente|Vendedor",
        S: "Nombre|Vendedor|Estatus|Activo",
    },
    "en": {
        C: "Record ID|First Name|Last Name|Phone Number|Mobile Phone Number|Contact owner"
        "|Lifecycle Stage|Company Name|Email Address|Account Owner|Create Date",
        V: "Activity Date|Activity Type|Assigned To|Subject|Due Date|Channel|Type|Notes",
        OR: "Total Amount|Sales Rep|Revenue|Gross Profit|COGS|Invoice Number|Order Date|Margin %",
        S: "Name|Salesperson|Active|Status",
    },
}
SHEET_NAMES = {
    "zh-Hans": [("跟进记录", V), ("客户", C), ("订单", OR), ("员工", S)],
    "zh-Hant": [("客戶資料", C), ("聯絡紀錄", V), ("業務人員", S), ("訂單", OR)],
    "es": [("Seguimiento", V), ("Comerciales", S), ("Clientes", C), ("Pedidos", OR)],
    "en": [
        ("Contacts", C),
        ("Activities", V),
        ("Users", S),
        ("Orders", OR),
        ("Contacts log", V),
        ("Contact history", V),
    ],
}
T = FieldType
CELL_WORDS = {
    "zh-Hans": [
        (T.STATUS, "沉睡客户"),
        (T.STATUS, "新客户"),
        (T.STATUS, "成交"),
        (T.STATUS, "潜在"),
        (T.STATUS, "跟进中"),
        (T.YES_NO, "√"),
        (T.YES_NO, "×"),
        (T.CONTACT_TYPE, "到店"),
        (T.CONTACT_TYPE, "售后"),
        (T.CONTACT_TYPE, "报价"),
        (T.YES_NO, "已解决"),
        (T.YES_NO, "未解决"),
        (T.YES_NO, "处理中"),
        (T.SATISFACTION, "满意"),
        (T.SATISFACTION, "一般"),
        (T.SATISFACTION, "不满意"),
    ],
    "zh-Hant": [
        (T.STATUS, "舊客戶"),
        (T.STATUS, "熟客"),
        (T.STATUS, "新客"),
        (T.STATUS, "潛在"),
        (T.GENDER, "小姐"),
        (T.CONTACT_TYPE, "親訪"),
        (T.CONTACT_TYPE, "來店"),
        (T.CONTACT_TYPE, "電郵"),
        (T.CONTACT_TYPE, "售後服務"),
        (T.CONTACT_TYPE, "客訴"),
        (T.SATISFACTION, "滿意"),
        (T.SATISFACTION, "普通"),
    ],
    "es": [
        (T.STATUS, "inactivo"),
        (T.GENDER, "V"),
        (T.GENDER, "Sr."),
        (T.GENDER, "Sra."),
        (T.CONTACT_TYPE, "Seguimiento"),
        (T.CONTACT_TYPE, "Incidencia"),
        (T.CONTACT_TYPE, "Presupuesto"),
        (T.CONTACT_TYPE, "Postventa"),
        (T.YES_NO, "Pendiente"),
        (T.YES_NO, "Resuelto"),
        (T.YES_NO, "Activo"),
        (T.YES_NO, "De baja"),
        (T.SATISFACTION, "Satisfecho"),
        (T.SATISFACTION, "Regular"),
        (T.STATUS, "Prospecto"),
        (T.CONTACT_TYPE, "Queja"),
    ],
    "en": [
        (T.STATUS, "subscriber"),
        (T.STATUS, "marketingqualifiedlead"),
        (T.STATUS, "salesqualifiedlead"),
        (T.STATUS, "opportunity"),
        (T.STATUS, "evangelist"),
        (T.STATUS, "Former Customer"),
        (T.CONTACT_TYPE, "Follow-up"),
        (T.CONTACT_TYPE, "Quote"),
        (T.YES_NO, "Completed"),
        (T.YES_NO, "Open"),
        (T.YES_NO, "Active"),
        (T.YES_NO, "Inactive"),
    ],
}
TARGET = 0.95
OWNED = {
    normalize_header(word)
    for aliases in OWNED_COLUMNS.values()
    for words in aliases.values()
    for word in words
}


def _words(text: str) -> list[str]:
    return [w.strip() for w in (text.split("|") if "|" in text else text.split()) if w.strip()]


def missed_headers(market: str) -> tuple[int, list[str]]:
    total, missed = 0, []
    for kind, text in HEADERS[market].items():
        table = alias_table(kind)
        for header in _words(text):
            total += 1
            # 客戶等級 is the job's own tier column: recognised as the column it writes.
            if normalize_header(header) not in table and normalize_header(header) not in OWNED:
                missed.append(f"{kind.value}: {header}")
    return total, missed


def missed_words(market: str) -> tuple[int, list[str]]:
    language = "es" if market.startswith("es") else market
    parsers = parsers_for(ParseOptions(language=language))
    missed = [
        f"{kind.value}: {word}"
        for kind, word in CELL_WORDS[market]
        if isinstance(parsers[kind](word), Invalid)
    ]
    return len(CELL_WORDS[market]), missed


@pytest.mark.parametrize("market", list(HEADERS))
def test_headers_are_recognised(market: str) -> None:
    total, missed = missed_headers(market)
    assert (total - len(missed)) / total >= TARGET, missed


@pytest.mark.parametrize("market", list(CELL_WORDS))
def test_cell_words_are_recognised(market: str) -> None:
    total, missed = missed_words(market)
    assert (total - len(missed)) / total >= TARGET, missed


@pytest.mark.parametrize("market", list(SHEET_NAMES))
def test_sheet_names_are_recognised(market: str) -> None:
    for name, kind in SHEET_NAMES[market]:
        assert find_sheet_name([name], kind, None) == name, (name, kind)
