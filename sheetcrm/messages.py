"""Problem messages in en / zh-Hans / zh-Hant / es, by code.

Parsers bring their own catalog (`sheetcrm.rules.parsers.catalog`); the codes below are the
ones validation itself raises. Messages say what was expected and how to fix it.
"""

from __future__ import annotations

from collections.abc import Mapping

from sheetcrm.rules.parsers.catalog import MESSAGES as PARSER_MESSAGES

VALIDATION_MESSAGES: dict[str, dict[str, str]] = {
    "required.missing": {
        "en": "this row needs a value here",
        "zh-Hans": "此行这一项不能为空",
        "zh-Hant": "此行這一項不能為空",
        "es": "esta fila necesita un valor aquí",
    },
    "customer.duplicate_id": {
        "en": "customer id {id} is used on several rows ({rows}); each customer needs its own id",
        "zh-Hans": "客户编号 {id} 重复出现在第 {rows} 行；每位客户的编号必须唯一",
        "zh-Hant": "客戶編號 {id} 重複出現在第 {rows} 列；每位客戶的編號必須唯一",
        "es": "el ID de cliente {id} aparece en varias filas ({rows}); cada cliente necesita "
        "su propio ID",
    },
    "order.duplicate_id": {
        "en": "order id {id} is used on several rows ({rows}); the order is counted once",
        "zh-Hans": "订单编号 {id} 重复出现在第 {rows} 行；该订单只计算一次",
        "zh-Hant": "訂單編號 {id} 重複出現在第 {rows} 列；該訂單只計算一次",
        "es": "el número de pedido {id} aparece en varias filas ({rows}); se cuenta una vez",
    },
    "staff.duplicate_name": {
        "en": "staff member {name} is listed on several rows ({rows}); the first one is used",
        "zh-Hans": "员工 {name} 重复出现在第 {rows} 行；以第一行为准",
        "zh-Hant": "員工 {name} 重複出現在第 {rows} 列；以第一列為準",
        "es": "el empleado {name} aparece en varias filas ({rows}); se usa la primera",
    },
    "ref.unknown_customer": {
        "en": "no customer with id {id} on sheet {sheet}; check the id or add the customer",
        "zh-Hans": "工作表「{sheet}」中没有编号为 {id} 的客户；请核对编号或先登记该客户",
        "zh-Hant": "工作表「{sheet}」中沒有編號為 {id} 的客戶；請核對編號或先登記該客戶",
        "es": "no hay ningún cliente con ID {id} en la hoja {sheet}; revise el ID o dé de alta "
        "al cliente",
    },
    "ref.unknown_phone": {
        "en": "no customer id, and no customer on sheet {sheet} has this phone number",
        "zh-Hans": "没有客户编号，且工作表「{sheet}」中没有客户使用这个电话号码",
        "zh-Hant": "沒有客戶編號，且工作表「{sheet}」中沒有客戶使用這個電話號碼",
        "es": "no hay ID de cliente y ningún cliente de la hoja {sheet} tiene este teléfono",
    },
    "ref.no_customer": {
        "en": "neither a customer id nor a phone number: this entry cannot be linked to a customer",
        "zh-Hans": "既没有客户编号也没有电话号码，无法对应到客户",
        "zh-Hant": "既沒有客戶編號也沒有電話號碼，無法對應到客戶",
        "es": "no hay ID de cliente ni teléfono: no se puede asociar a ningún cliente",
    },
    "ref.unknown_staff": {
        "en": "no staff member named {name} on sheet {sheet}",
        "zh-Hans": "工作表「{sheet}」中没有名为 {name} 的员工",
        "zh-Hant": "工作表「{sheet}」中沒有名為 {name} 的員工",
        "es": "no hay ningún empleado llamado {name} en la hoja {sheet}",
    },
    "cell.error_value": {
        "en": "the cell shows the error {error}; fix its formula or type the value",
        "zh-Hans": "单元格显示错误 {error}；请修正公式或直接输入数值",
        "zh-Hant": "儲存格顯示錯誤 {error}；請修正公式或直接輸入數值",
        "es": "la celda muestra el error {error}; corrija la fórmula o escriba el valor",
    },
    "cell.formula_no_result": {
        "en": "a formula with no calculated result; open and save the workbook in Excel or "
        "LibreOffice, or type the value",
        "zh-Hans": "公式没有计算结果；请用 Excel 或 WPS 打开并保存工作簿，或直接输入数值",
        "zh-Hant": "公式沒有計算結果；請用 Excel 開啟並儲存活頁簿，或直接輸入數值",
        "es": "fórmula sin resultado calculado; abra y guarde el libro en Excel o LibreOffice, "
        "o escriba el valor",
    },
    "cell.merged": {
        "en": "merged cells {range} inside the data; only the first cell is read, unmerge them",
        "zh-Hans": "数据区域内有合并单元格 {range}；只读取第一个单元格，请取消合并",
        "zh-Hant": "資料區域內有合併儲存格 {range}；只讀取第一個儲存格，請取消合併",
        "es": "celdas combinadas {range} dentro de los datos; solo se lee la primera, sepárelas",
    },
    "row.no_id": {
        "en": "this row has data but no customer id, so it is not read as a customer",
        "zh-Hans": "此行有内容但没有客户编号，不会被当作客户读取",
        "zh-Hant": "此列有內容但沒有客戶編號，不會被當作客戶讀取",
        "es": "esta fila tiene datos pero no tiene ID de cliente; no se lee como cliente",
    },
    "column.owned_clash": {
        "en": "this column of yours has the name of one the job writes, and holds your values "
        "({value!r} in {example}): it is left alone, and the job writes its own as {job}",
        "zh-Hans": "此列与系统写入的列同名，但存有您的数据（{example} 的 {value!r}）："
        "系统不改动它，另写入 {job} 列",
        "zh-Hant": "此欄與系統寫入的欄同名，但存有您的資料（{example} 的 {value!r}）："
        "系統不改動它，另寫入 {job} 欄",
        "es": "esta columna suya se llama como una que escribe el programa y tiene sus datos "
        "({value!r} en {example}): no se toca, y el programa escribe la suya como {job}",
    },
    "column.duplicate": {
        "en": "this column repeats column {other} ({field}); only the first one is read",
        "zh-Hans": "此列与 {other} 列重复（{field}）；只读取第一列",
        "zh-Hant": "此欄與 {other} 欄重複（{field}）；只讀取第一欄",
        "es": "esta columna repite la columna {other} ({field}); solo se lee la primera",
    },
    "date.in_future": {
        "en": "the date is after today ({today}); check the year",
        "zh-Hans": "日期晚于今天（{today}）；请检查年份",
        "zh-Hant": "日期晚於今天（{today}）；請檢查年份",
        "es": "la fecha es posterior a hoy ({today}); revise el año",
    },
    "tier.override_unapproved": {
        "en": "a tier override counts only when a manager fills in who approved it; the "
        "computed tier is used",
        "zh-Hans": "人工指定的等级须由经理填写审批人后才生效；目前使用系统计算的等级",
        "zh-Hant": "人工指定的等級須由經理填寫審批人後才生效；目前使用系統計算的等級",
        "es": "un nivel manual solo cuenta si un responsable indica quién lo aprobó; se usa "
        "el nivel calculado",
    },
    "plan.owner_inactive": {
        "en": "this staff member is marked inactive: give the customer a new owner",
        "zh-Hans": "该员工已标记为离职/停用：请为客户指定新的负责人",
        "zh-Hant": "該員工已標記為離職/停用：請為客戶指定新的負責人",
        "es": "este empleado está marcado como inactivo: asigne otro responsable al cliente",
    },
    "plan.owner_reassigned": {
        "en": "this staff member is marked inactive: their manager {manager} takes the "
        "customer's tasks until a new owner is typed here",
        "zh-Hans": "该员工已标记为离职/停用：在此填写新负责人之前，由其经理 {manager} 负责该客户",
        "zh-Hant": "該員工已標記為離職/停用：在此填寫新負責人之前，由其經理 {manager} 負責該客戶",
        "es": "este empleado está marcado como inactivo: su responsable {manager} atiende al "
        "cliente hasta que se indique aquí otro responsable",
    },
    "tiers.unknown": {
        "en": "not a tier setting; this row is ignored (see the README for the settings a Tiers "
        "sheet can hold)",
        "zh-Hans": "不是等级设置项，本行被忽略（可用的设置项见说明文档）",
        "zh-Hant": "不是等級設定項，本列被忽略（可用的設定項見說明文件）",
        "es": "no es un ajuste de niveles; se ignora esta fila (vea en el README los ajustes "
        "posibles)",
    },
    "tiers.bad_percent": {
        "en": "expected a percentage such as 15 or 15%; settings.yaml's value is used",
        "zh-Hans": "应填写百分比，如 15 或 15%；目前使用 settings.yaml 中的设置",
        "zh-Hant": "應填寫百分比，如 15 或 15%；目前使用 settings.yaml 中的設定",
        "es": "se esperaba un porcentaje como 15 o 15%; se usa el valor de settings.yaml",
    },
    "tiers.bad_amount": {
        "en": "expected an amount such as 80000; settings.yaml's value is used",
        "zh-Hans": "应填写金额，如 80000；目前使用 settings.yaml 中的设置",
        "zh-Hant": "應填寫金額，如 80000；目前使用 settings.yaml 中的設定",
        "es": "se esperaba un importe como 80000; se usa el valor de settings.yaml",
    },
    "tiers.bad_days": {
        "en": "expected a whole number of days such as 365; settings.yaml's value is used",
        "zh-Hans": "应填写天数（整数），如 365；目前使用 settings.yaml 中的设置",
        "zh-Hant": "應填寫天數（整數），如 365；目前使用 settings.yaml 中的設定",
        "es": "se esperaba un número entero de días como 365; se usa el valor de settings.yaml",
    },
    "tiers.bad_months": {
        "en": "expected a whole number of months such as 3; settings.yaml's plan is used",
        "zh-Hans": "应填写月数（整数），如 3；目前使用 settings.yaml 中的计划",
        "zh-Hant": "應填寫月數（整數），如 3；目前使用 settings.yaml 中的計畫",
        "es": "se esperaba un número entero de meses como 3; se usa el plan de settings.yaml",
    },
    "tiers.bad_method": {
        "en": "expected weighted_rank, thresholds or profit_rank; settings.yaml's value is used",
        "zh-Hans": "应填写 加权排名、消费门槛 或 利润排名；目前使用 settings.yaml 中的设置",
        "zh-Hant": "應填寫 加權排名、消費門檻 或 利潤排名；目前使用 settings.yaml 中的設定",
        "es": "se esperaba ponderado, umbrales o beneficio; se usa el valor de settings.yaml",
    },
    "tiers.bad_basis": {
        "en": "expected lifetime or window; settings.yaml's value is used",
        "zh-Hans": "应填写 累计 或 统计期；目前使用 settings.yaml 中的设置",
        "zh-Hant": "應填寫 累計 或 統計期；目前使用 settings.yaml 中的設定",
        "es": "se esperaba total o ventana; se usa el valor de settings.yaml",
    },
    "tiers.group_shares": {
        "en": "the shares of A, B, C and D must add up to 100%; settings.yaml's shares are used",
        "zh-Hans": "A、B、C、D 四类占比之和须为 100%；目前使用 settings.yaml 中的占比",
        "zh-Hant": "A、B、C、D 四類占比之和須為 100%；目前使用 settings.yaml 中的占比",
        "es": "las proporciones de A, B, C y D deben sumar 100%; se usan las de settings.yaml",
    },
    "tiers.group_weights": {
        "en": "the three weights must be 0–100 and add up to 100%; settings.yaml's weights are "
        "used",
        "zh-Hans": "三项权重须在 0–100 之间且合计 100%；目前使用 settings.yaml 中的权重",
        "zh-Hant": "三項權重須在 0–100 之間且合計 100%；目前使用 settings.yaml 中的權重",
        "es": "los tres pesos deben estar entre 0 y 100 y sumar 100%; se usan los de settings.yaml",
    },
    "tiers.group_thresholds": {
        "en": "thresholds cannot be negative and B's cannot be above A's; settings.yaml's "
        "thresholds are used",
        "zh-Hans": "门槛不能为负，且B类门槛不能高于A类；目前使用 settings.yaml 中的门槛",
        "zh-Hant": "門檻不能為負，且B類門檻不能高於A類；目前使用 settings.yaml 中的門檻",
        "es": "los umbrales no pueden ser negativos y el de B no puede superar al de A; se usan "
        "los de settings.yaml",
    },
    "tiers.group_vip": {
        "en": "VIP amounts must be above 0; settings.yaml's are used",
        "zh-Hans": "VIP 金额须大于 0；目前使用 settings.yaml 中的设置",
        "zh-Hant": "VIP 金額須大於 0；目前使用 settings.yaml 中的設定",
        "es": "los importes VIP deben ser mayores que 0; se usan los de settings.yaml",
    },
    "tiers.group_window_days": {
        "en": "the window must be 1 to 3660 days; settings.yaml's is used",
        "zh-Hans": "统计天数须在 1 到 3660 之间；目前使用 settings.yaml 中的设置",
        "zh-Hant": "統計天數須在 1 到 3660 之間；目前使用 settings.yaml 中的設定",
        "es": "la ventana debe ser de 1 a 3660 días; se usa la de settings.yaml",
    },
    "tiers.group_plans": {
        "en": "expected a whole number of months (1–120) or days (1–365); settings.yaml's plan "
        "is used",
        "zh-Hans": "应填写整数月数（1–120）或天数（1–365）；目前使用 settings.yaml 中的计划",
        "zh-Hant": "應填寫整數月數（1–120）或天數（1–365）；目前使用 settings.yaml 中的計畫",
        "es": "se esperaba un número entero de meses (1–120) o días (1–365); se usa el plan de "
        "settings.yaml",
    },
    "tiers.group_method": {
        "en": "not a tier method; settings.yaml's is used",
        "zh-Hans": "不是有效的分级方法；目前使用 settings.yaml 中的设置",
        "zh-Hant": "不是有效的分級方法；目前使用 settings.yaml 中的設定",
        "es": "no es un método de niveles; se usa el de settings.yaml",
    },
    "amount.negative": {
        "en": "a negative amount; type refunds as their own order with a note",
        "zh-Hans": "金额为负数；退款请另起一行并注明",
        "zh-Hant": "金額為負數；退款請另起一列並註明",
        "es": "importe negativo; registre las devoluciones como pedido aparte con una nota",
    },
}

SHEET_TEXT: dict[str, dict[str, str]] = {
    "col.sheet": {"en": "Sheet", "zh-Hans": "工作表", "zh-Hant": "工作表", "es": "Hoja"},
    "col.cell": {"en": "Cell", "zh-Hans": "单元格", "zh-Hant": "儲存格", "es": "Celda"},
    "col.column": {"en": "Column", "zh-Hans": "列名", "zh-Hant": "欄名", "es": "Columna"},
    "col.value": {"en": "Value", "zh-Hans": "填写内容", "zh-Hant": "填寫內容", "es": "Valor"},
    "col.problem": {"en": "Problem", "zh-Hans": "问题", "zh-Hant": "問題", "es": "Problema"},
    "col.severity": {"en": "Severity", "zh-Hans": "级别", "zh-Hant": "級別", "es": "Gravedad"},
    "severity.error": {"en": "error", "zh-Hans": "错误", "zh-Hant": "錯誤", "es": "error"},
    "severity.warning": {"en": "warning", "zh-Hans": "提醒", "zh-Hant": "提醒", "es": "aviso"},
    "outbox.time": {"en": "Time", "zh-Hans": "时间", "zh-Hant": "時間", "es": "Hora"},
    "outbox.status": {"en": "Status", "zh-Hans": "状态", "zh-Hant": "狀態", "es": "Estado"},
    "outbox.kind": {"en": "Message", "zh-Hans": "消息类型", "zh-Hant": "訊息類型", "es": "Mensaje"},
    "outbox.to": {"en": "To", "zh-Hans": "收件人", "zh-Hant": "收件人", "es": "Para"},
    "outbox.channel": {"en": "Channel", "zh-Hans": "渠道", "zh-Hant": "管道", "es": "Canal"},
    "outbox.occasion": {"en": "For", "zh-Hans": "日期", "zh-Hant": "日期", "es": "Fecha"},
    "outbox.subject": {"en": "Subject", "zh-Hans": "主题", "zh-Hant": "主旨", "es": "Asunto"},
    "outbox.text": {"en": "Text", "zh-Hans": "内容", "zh-Hant": "內容", "es": "Texto"},
    "outbox.why": {"en": "Why", "zh-Hans": "原因", "zh-Hant": "原因", "es": "Motivo"},
    "outbox.note": {"en": "Note", "zh-Hans": "备注", "zh-Hant": "備註", "es": "Nota"},
    # Staff tick it once they sent the message by hand; the next sync records it.
    "outbox.done": {"en": "Done", "zh-Hans": "已发", "zh-Hant": "已發", "es": "Hecho"},
    "outbox.contact": {
        "en": "Phone / address",
        "zh-Hans": "电话 / 微信 / 邮箱",
        "zh-Hant": "電話 / 微信 / 郵箱",
        "es": "Teléfono / dirección",
    },
    "outbox.link": {"en": "Send", "zh-Hans": "一键发送", "zh-Hant": "一鍵發送", "es": "Enviar"},
    "outbox.key": {"en": "Key", "zh-Hans": "编号", "zh-Hant": "編號", "es": "Clave"},
    "status.queued": {"en": "queued", "zh-Hans": "待发送", "zh-Hant": "待發送", "es": "en cola"},
    "status.claimed": {"en": "sending", "zh-Hans": "发送中", "zh-Hant": "發送中", "es": "enviando"},
    "status.sent": {"en": "sent", "zh-Hans": "已发送", "zh-Hant": "已發送", "es": "enviado"},
    "status.sent_by_hand": {
        "en": "sent by hand",
        "zh-Hans": "已手动发送",
        "zh-Hant": "已手動發送",
        "es": "enviado a mano",
    },
    "status.handed": {
        "en": "to send by hand",
        "zh-Hans": "待手动发送",
        "zh-Hant": "待手動發送",
        "es": "por enviar a mano",
    },
    "status.failed": {"en": "failed", "zh-Hans": "失败", "zh-Hant": "失敗", "es": "fallido"},
    "status.unknown": {
        "en": "unknown: check",
        "zh-Hans": "结果不明：请核实",
        "zh-Hant": "結果不明：請核實",
        "es": "sin confirmar: compruebe",
    },
    "status.skipped": {"en": "skipped", "zh-Hans": "未发送", "zh-Hant": "未發送", "es": "omitido"},
    "kind.birthday": {
        "en": "birthday",
        "zh-Hans": "生日祝福",
        "zh-Hant": "生日祝福",
        "es": "cumpleaños",
    },
    "kind.holiday": {
        "en": "holiday",
        "zh-Hans": "节日问候",
        "zh-Hant": "節日問候",
        "es": "festivo",
    },
    "kind.touch": {"en": "greeting", "zh-Hans": "定期问候", "zh-Hant": "定期問候", "es": "saludo"},
    "kind.staff_digest": {
        "en": "daily tasks",
        "zh-Hans": "每日任务",
        "zh-Hant": "每日任務",
        "es": "tareas del día",
    },
    "kind.manager_summary": {
        "en": "weekly summary",
        "zh-Hans": "每周汇总",
        "zh-Hant": "每週彙總",
        "es": "resumen semanal",
    },
    "why.birthday": {"en": "birthday", "zh-Hans": "生日", "zh-Hant": "生日", "es": "cumpleaños"},
    "why.digest": {
        "en": "{tasks} tasks, {birthdays} birthdays coming",
        "zh-Hans": "待办 {tasks} 项，近期生日 {birthdays} 位",
        "zh-Hant": "待辦 {tasks} 項，近期生日 {birthdays} 位",
        "es": "{tasks} tareas, {birthdays} cumpleaños próximos",
    },
    "why.summary": {
        "en": "weekly summary {start} – {end}",
        "zh-Hans": "每周汇总 {start} 至 {end}",
        "zh-Hant": "每週彙總 {start} 至 {end}",
        "es": "resumen semanal {start} – {end}",
    },
    "col.date": {"en": "Date", "zh-Hans": "日期", "zh-Hant": "日期", "es": "Fecha"},
    "col.from": {"en": "From", "zh-Hans": "原等级", "zh-Hant": "原等級", "es": "Antes"},
    "col.to": {"en": "To", "zh-Hans": "新等级", "zh-Hant": "新等級", "es": "Ahora"},
    "col.reason": {"en": "Reason", "zh-Hans": "原因", "zh-Hant": "原因", "es": "Motivo"},
    "reason.computed": {"en": "computed", "zh-Hans": "计算", "zh-Hant": "計算", "es": "calculado"},
    "reason.override": {
        "en": "override by {approver}",
        "zh-Hans": "人工指定（审批人：{approver}）",
        "zh-Hant": "人工指定（審批人：{approver}）",
        "es": "asignado por {approver}",
    },
    "reason.lost": {"en": "lost", "zh-Hans": "流失", "zh-Hant": "流失", "es": "perdido"},
    "more": {
        "en": "… and {n} more problems not listed",
        "zh-Hans": "……另有 {n} 个问题未列出",
        "zh-Hant": "……另有 {n} 個問題未列出",
        "es": "… y {n} problemas más sin listar",
    },
}

CATALOG: Mapping[str, Mapping[str, str]] = {**PARSER_MESSAGES, **VALIDATION_MESSAGES}


def render(code: str, params: Mapping[str, str], language: str) -> str:
    """The message for `code` in `language` (English when the language has none)."""
    texts = CATALOG.get(code)
    if texts is None:
        raise KeyError(f"no message for problem code {code!r}")
    template = texts.get(language) or texts["en"]
    return template.format_map(localized(params, language))


def localized(params: Mapping[str, str], language: str) -> dict[str, str]:
    """Params for `language`: `expected_es` stands in for `expected` in a Spanish message, so a
    problem lists the accepted words in the language its reader reads."""
    suffix = "_" + language.replace("-", "_").lower()
    values = dict(params)
    for name, value in params.items():
        if name.endswith(suffix):
            values[name.removesuffix(suffix)] = value
    return values


def text(key: str, language: str, **params: object) -> str:
    texts = SHEET_TEXT[key]
    return (texts.get(language) or texts["en"]).format(**params)
