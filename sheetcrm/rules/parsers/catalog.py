"""Messages for the codes the parsers return, in en / zh-Hans / zh-Hant / es."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "id.not_an_id": {
        "en": "not an id; expected text such as C001 or a whole number",
        "zh-Hans": "不是有效的编号；应为 C001 这样的文字或整数",
        "zh-Hant": "不是有效的編號；應為 C001 這樣的文字或整數",
        "es": "no es un ID; se espera un texto como C001 o un número entero",
    },
    "id.fraction": {
        "en": "an id cannot have decimals",
        "zh-Hans": "编号不能带小数",
        "zh-Hant": "編號不能帶小數",
        "es": "un ID no puede tener decimales",
    },
    "integer.unreadable": {
        "en": "not a whole number; expected e.g. 3",
        "zh-Hans": "不是整数；应填写如 3",
        "zh-Hant": "不是整數；應填寫如 3",
        "es": "no es un número entero; se espera p. ej. 3",
    },
    "integer.fraction": {
        "en": "expected a whole number, without decimals",
        "zh-Hans": "应为整数，不能带小数",
        "zh-Hant": "應為整數，不能帶小數",
        "es": "se espera un número entero, sin decimales",
    },
    "enum.unknown": {
        "en": "not one of the known words; expected {expected} (or the same in 中文/español)",
        "zh-Hans": "无法识别；应为 {expected} 之一（英文、西班牙文均可）",
        "zh-Hant": "無法識別；應為 {expected} 之一（英文、西班牙文均可）",
        "es": "palabra desconocida; se espera {expected} (o lo mismo en inglés/chino)",
    },
    "enum.unknown_word": {
        "en": "'{word}' is not a known word here ({count} cells: {cells}); expected {expected} "
        "(or the same in 中文/español). If it means one of them, add to settings.yaml: {fix}",
        "zh-Hans": "「{word}」无法识别（共 {count} 个单元格：{cells}）；应为 {expected} 之一"
        "（英文、西班牙文均可）。如果它表示其中之一，请在 settings.yaml 中加上：{fix}",
        "zh-Hant": "「{word}」無法識別（共 {count} 個儲存格：{cells}）；應為 {expected} 之一"
        "（英文、西班牙文均可）。如果它表示其中之一，請在 settings.yaml 中加上：{fix}",
        "es": "«{word}» no es una palabra conocida aquí ({count} celdas: {cells}); se espera "
        "{expected} (o lo mismo en inglés/chino). Si significa una de ellas, añada en "
        "settings.yaml: {fix}",
    },
    "enum.dropdown_unknown": {
        "en": "this column's dropdown offers '{word}', which is not a known word; expected "
        "{expected}. If it means one of them, add to settings.yaml: {fix}",
        "zh-Hans": "此列的下拉选项「{word}」无法识别；应为 {expected} 之一。"
        "如果它表示其中之一，请在 settings.yaml 中加上：{fix}",
        "zh-Hant": "此欄的下拉選項「{word}」無法識別；應為 {expected} 之一。"
        "如果它表示其中之一，請在 settings.yaml 中加上：{fix}",
        "es": "el desplegable de esta columna ofrece «{word}», que no es una palabra conocida; "
        "se espera {expected}. Si significa una de ellas, añada en settings.yaml: {fix}",
    },
    "schedule.outside_quiet_hours": {
        "en": "the daily run at {at} is outside the hours customers may get messages "
        "({start}–{end}): their greetings wait — `sheetcrm run` sends them at {start}, a cron "
        "or systemd sync at {at} never does; set schedule.at between {start} and {end}",
        "zh-Hans": "每天 {at} 运行不在可以给客户发消息的时间（{start}–{end}）内：问候要等待——"
        "`sheetcrm run` 会在 {start} 发出，cron 或 systemd 在 {at} 的 sync 永远发不出去；"
        "请把 schedule.at 设在 {start} 到 {end} 之间",
        "zh-Hant": "每天 {at} 執行不在可以給客戶發訊息的時間（{start}–{end}）內：問候要等待——"
        "`sheetcrm run` 會在 {start} 發出，cron 或 systemd 在 {at} 的 sync 永遠發不出去；"
        "請把 schedule.at 設在 {start} 到 {end} 之間",
        "es": "la ejecución diaria a las {at} queda fuera del horario en que los clientes "
        "pueden recibir mensajes ({start}–{end}): sus felicitaciones esperan — `sheetcrm run` "
        "las envía a las {start}, un sync de cron o systemd a las {at} nunca; ponga "
        "schedule.at entre {start} y {end}",
    },
    "gender.ambiguous": {
        "en": "'M' is male in English and mujer (female) in Spanish, and nothing tells this "
        "workbook's language; write the word (male, hombre, 男...) or set language: in "
        "settings.yaml",
        "zh-Hans": "「M」在英文中是男性、在西班牙文中是女性（mujer），无法判断本工作簿的语言；"
        "请写完整（男、女、male、mujer…），或在 settings.yaml 中设置 language:",
        "zh-Hant": "「M」在英文中是男性、在西班牙文中是女性（mujer），無法判斷本活頁簿的語言；"
        "請寫完整（男、女、male、mujer…），或在 settings.yaml 中設定 language:",
        "es": "«M» es hombre (male) en inglés y mujer en español, y nada indica el idioma de "
        "este libro; escriba la palabra (hombre, mujer…) o ponga language: en settings.yaml",
    },
    "sheet.unread": {
        "en": "this sheet looks like the {kind} sheet but is not read (another sheet is, or "
        "its name is not one sheetcrm knows); to read it, add to settings.yaml: {fix}",
        "zh-Hans": "此工作表看起来是 {kind} 表，但没有被读取（已读取另一个工作表，"
        "或名称无法识别）；如需读取，请在 settings.yaml 中加上：{fix}",
        "zh-Hant": "此工作表看起來是 {kind} 表，但沒有被讀取（已讀取另一個工作表，"
        "或名稱無法識別）；如需讀取，請在 settings.yaml 中加上：{fix}",
        "es": "esta hoja parece la hoja de {kind} pero no se lee (se lee otra, o su nombre no es "
        "uno conocido); para leerla, añada en settings.yaml: {fix}",
    },
    "column.unread": {
        "en": "this column is not read, though its header looks like {field}; if it is, add "
        "to settings.yaml: {fix}",
        "zh-Hans": "此列没有被读取，但表头看起来像 {field}；"
        "如果是，请在 settings.yaml 中加上：{fix}",
        "zh-Hant": "此欄沒有被讀取，但表頭看起來像 {field}；"
        "如果是，請在 settings.yaml 中加上：{fix}",
        "es": "esta columna no se lee, aunque su encabezado parece {field}; si lo es, añada en "
        "settings.yaml: {fix}",
    },
    "language.unknown": {
        "en": "unknown language; expected English, 简体中文, 繁體中文 or español",
        "zh-Hans": "无法识别的语言；应为 English、简体中文、繁體中文 或 español",
        "zh-Hant": "無法識別的語言；應為 English、简体中文、繁體中文 或 español",
        "es": "idioma desconocido; se espera English, 简体中文, 繁體中文 o español",
    },
    "email.no_at": {
        "en": "not an e-mail address: it needs exactly one @, as in li.fang@example.com",
        "zh-Hans": "不是电子邮件地址：应有且只有一个 @，例如 li.fang@example.com",
        "zh-Hant": "不是電子郵件地址：應有且只有一個 @，例如 li.fang@example.com",
        "es": "no es un correo: necesita exactamente una @, como ana@ejemplo.es",
    },
    "email.bad_name": {
        "en": "the part before the @ of this e-mail address is not valid (spaces, two dots?)",
        "zh-Hans": "电子邮件地址中 @ 前面的部分无效（有空格或连续两个点？）",
        "zh-Hant": "電子郵件地址中 @ 前面的部分無效（有空格或連續兩個點？）",
        "es": "la parte antes de la @ del correo no es válida (¿espacios, dos puntos seguidos?)",
    },
    "email.bad_domain": {
        "en": "the part after the @ of this e-mail address is not a valid domain, like example.com",
        "zh-Hans": "电子邮件地址中 @ 后面的部分不是有效的域名（例如 example.com）",
        "zh-Hant": "電子郵件地址中 @ 後面的部分不是有效的網域（例如 example.com）",
        "es": "la parte después de la @ del correo no es un dominio válido, como ejemplo.es",
    },
    "phone.not_a_number": {
        "en": "not a phone number; expected digits such as 138 0013 8000 or +34 612 345 678",
        "zh-Hans": "不是电话号码；应为 138 0013 8000 或 +34 612 345 678 这样的数字",
        "zh-Hant": "不是電話號碼；應為 0912 345 678 或 +34 612 345 678 這樣的數字",
        "es": "no es un teléfono; se esperan dígitos como +34 612 345 678 o 138 0013 8000",
    },
    "phone.invalid": {
        "en": "not a valid phone number for {region}; check the digits or add the country "
        "code (+86, +34…)",
        "zh-Hans": "不是有效的 {region} 电话号码；请核对位数，或加上国家区号（+86、+34…）",
        "zh-Hant": "不是有效的 {region} 電話號碼；請核對位數，或加上國碼（+886、+86…）",
        "es": "no es un teléfono válido de {region}; revise los dígitos o añada el prefijo "
        "del país (+34, +52…)",
    },
    "phone.other_region": {
        "en": "reads as a {other} number only if its first digit is a trunk prefix, not as "
        "a {region} one; write it with its country code (+1…, +86…)",
        "zh-Hans": "只有把开头的数字当作长途前缀时才能读成 {other} 号码，不是 {region} "
        "号码；请加上国家区号（+86、+1…）",
        "zh-Hant": "只有把開頭的數字當作長途字首時才能讀成 {other} 號碼，不是 {region} "
        "號碼；請加上國碼（+886、+86…）",
        "es": "solo se lee como número de {other} tomando su primera cifra como prefijo, "
        "no de {region}; escríbalo con el prefijo del país (+34, +86…)",
    },
    "date.serial_out_of_range": {
        "en": "a number that is not a date; expected e.g. 2024-03-05",
        "zh-Hans": "这个数字不是日期；应填写如 2024-03-05",
        "zh-Hant": "這個數字不是日期；應填寫如 2024-03-05",
        "es": "un número que no es una fecha; se espera p. ej. 2024-03-05",
    },
    "date.year_only": {
        "en": "only a year; expected a full date such as 2024-03-05",
        "zh-Hans": "只有年份；应填写完整日期，如 2024-03-05",
        "zh-Hant": "只有年份；應填寫完整日期，如 2024-03-05",
        "es": "solo un año; se espera una fecha completa como 2024-03-05",
    },
    "date.impossible": {
        "en": "this date does not exist (check the day and the month)",
        "zh-Hans": "日期不存在（请检查日和月）",
        "zh-Hant": "日期不存在（請檢查日和月）",
        "es": "esta fecha no existe (revise el día y el mes)",
    },
    "date.unreadable": {
        "en": "not a date; expected e.g. 2024-03-05, 2024年3月5日 or 5 de marzo de 2024",
        "zh-Hans": "不是日期；应填写如 2024-03-05、2024年3月5日",
        "zh-Hant": "不是日期；應填寫如 2024-03-05、2024年3月5日",
        "es": "no es una fecha; se espera p. ej. 5 de marzo de 2024, 2024-03-05 o 05/03/2024",
    },
    "date.ambiguous": {
        "en": "could be {day_first} or {month_first}; set dates.day_first in settings.yaml "
        "or type 2024-03-05",
        "zh-Hans": "可能是 {day_first}，也可能是 {month_first}；请在 settings.yaml 中设置 "
        "dates.day_first，或写成 2024-03-05",
        "zh-Hant": "可能是 {day_first}，也可能是 {month_first}；請在 settings.yaml 中設定 "
        "dates.day_first，或寫成 2024-03-05",
        "es": "puede ser {day_first} o {month_first}; configure dates.day_first en "
        "settings.yaml o escriba 2024-03-05",
    },
    "date.contradicts_order": {
        "en": "not a date when read as {order} (settings dates.day_first); type 2024-03-05",
        "zh-Hans": "按 {order} 顺序（settings 中的 dates.day_first）读不成日期；请写成 2024-03-05",
        "zh-Hant": "按 {order} 順序（settings 中的 dates.day_first）讀不成日期；請寫成 2024-03-05",
        "es": "no es una fecha leída como {order} (dates.day_first); escriba 2024-03-05",
    },
    "text.too_long": {
        "en": "a name of {length} characters; messages use its first 200: shorten it",
        "zh-Hans": "名称长达 {length} 个字符；消息只用前 200 个：请缩短",
        "zh-Hant": "名稱長達 {length} 個字元；訊息只用前 200 個：請縮短",
        "es": "un nombre de {length} caracteres; los mensajes usan los primeros 200: acórtelo",
    },
    "amount.percent": {
        "en": "a percentage where an amount is expected; a column of margins as percentages "
        "is read when headed Margin %",
        "zh-Hans": "此处应为金额，却是百分比；按百分比填写的毛利请把列名改为“毛利率”",
        "zh-Hant": "此處應為金額，卻是百分比；按百分比填寫的毛利請把欄名改為「毛利率」",
        "es": "un porcentaje donde se espera un importe; una columna de márgenes en "
        "porcentaje se lee si se titula Margen %",
    },
    "percent.unreadable": {
        "en": "not a percentage; expected e.g. 25%, 25 or 0.25",
        "zh-Hans": "不是百分比；应填写如 25%、25 或 0.25",
        "zh-Hant": "不是百分比；應填寫如 25%、25 或 0.25",
        "es": "no es un porcentaje; se espera p. ej. 25 %, 25 o 0,25",
    },
    "percent.out_of_range": {
        "en": "a percentage outside 0–100%",
        "zh-Hans": "百分比不在 0–100% 之间",
        "zh-Hant": "百分比不在 0–100% 之間",
        "es": "un porcentaje fuera de 0–100 %",
    },
    "amount.unreadable": {
        "en": "not an amount; expected e.g. 80000, ¥80,000, 8万 or 1.2k",
        "zh-Hans": "不是金额；应填写如 80000、¥80,000、8万",
        "zh-Hant": "不是金額；應填寫如 80000、NT$80,000、8萬",
        "es": "no es un importe; se espera p. ej. 80000, 80.000 € o 1,2k",
    },
    "amount.bad_separators": {
        "en": "the thousands and decimal separators do not fit together; type e.g. 80000.50",
        "zh-Hans": "千位分隔符与小数点不一致；请写成 80000.50 这样的格式",
        "zh-Hant": "千位分隔符與小數點不一致；請寫成 80000.50 這樣的格式",
        "es": "los separadores de miles y decimales no encajan; escriba p. ej. 80000,50",
    },
    "amount.ambiguous_separator": {
        "en": "could be a decimal or a thousands separator; set amounts.decimal_comma in "
        "settings.yaml or type the amount without separators",
        "zh-Hans": "分隔符可能是小数点也可能是千位符；请在 settings.yaml 中设置 "
        "amounts.decimal_comma，或不加分隔符",
        "zh-Hant": "分隔符可能是小數點也可能是千位符；請在 settings.yaml 中設定 "
        "amounts.decimal_comma，或不加分隔符",
        "es": "el separador puede ser decimal o de miles; configure amounts.decimal_comma en "
        "settings.yaml o escriba el importe sin separadores",
    },
}
