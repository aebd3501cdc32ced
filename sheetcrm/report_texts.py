"""The CLI's own lines, in the language of the workbook's report (en / zh-Hans / zh-Hant / es).

Problem messages have their own catalog (rules/parsers/catalog.py); these are the lines
around them: what was read, sent and written, and what to do next.
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "created_demo": {
        "en": "Created the demo workbook {path}.",
        "zh-Hans": "已创建演示工作簿 {path}。",
        "zh-Hant": "已建立示範活頁簿 {path}。",
        "es": "Se ha creado el libro de demostración {path}.",
    },
    "workbook": {
        "en": "Workbook: {path} (headers: {language}, today: {today})",
        "zh-Hans": "工作簿：{path}（表头语言：{language}，今天：{today}）",
        "zh-Hant": "活頁簿：{path}（表頭語言：{language}，今天：{today}）",
        "es": "Libro: {path} (encabezados: {language}, hoy: {today})",
    },
    "rows_read": {
        "en": "Rows read: {sheets}",
        "zh-Hans": "读取行数：{sheets}",
        "zh-Hant": "讀取列數：{sheets}",
        "es": "Filas leídas: {sheets}",
    },
    "amount_before_tax": {
        "en": "Amounts on {sheet} are read from {read} (before tax), not from {other}",
        "zh-Hans": "{sheet} 的金额按 {read}（不含税）读取，不读取 {other}",
        "zh-Hant": "{sheet} 的金額按 {read}（未稅）讀取，不讀取 {other}",
        "es": "Los importes de {sheet} se leen de {read} (sin impuestos), no de {other}",
    },
    "progress_read": {
        "en": "read {rows} rows of {sheets} sheets",
        "zh-Hans": "已读取 {sheets} 个工作表，共 {rows} 行",
        "zh-Hant": "已讀取 {sheets} 個工作表，共 {rows} 列",
        "es": "leídas {rows} filas de {sheets} hojas",
    },
    "progress_validate": {
        "en": "checked {customers} customers, {problems} problems; tiers and plans done",
        "zh-Hans": "已检查 {customers} 位客户，{problems} 个问题；分级与计划完成",
        "zh-Hant": "已檢查 {customers} 位客戶，{problems} 個問題；分級與計畫完成",
        "es": "revisados {customers} clientes, {problems} problemas; niveles y planes listos",
    },
    "progress_send": {
        "en": "{messages} messages due, sent or queued",
        "zh-Hans": "到期消息 {messages} 条，已发送或排队",
        "zh-Hant": "到期訊息 {messages} 則，已發送或排隊",
        "es": "{messages} mensajes pendientes, enviados o en cola",
    },
    "progress_write": {
        "en": "wrote {cells} cells",
        "zh-Hans": "已写入 {cells} 个单元格",
        "zh-Hant": "已寫入 {cells} 個儲存格",
        "es": "escritas {cells} celdas",
    },
    "problems": {
        "en": "Problems: {errors} errors, {warnings} warnings",
        "zh-Hans": "问题：{errors} 个错误，{warnings} 个警告",
        "zh-Hant": "問題：{errors} 個錯誤，{warnings} 個警告",
        "es": "Problemas: {errors} errores, {warnings} avisos",
    },
    "problems_more": {
        "en": "  … {count} more (see the {sheet} sheet)",
        "zh-Hans": "  … 另有 {count} 条（见「{sheet}」工作表）",
        "zh-Hant": "  … 另有 {count} 筆（見「{sheet}」工作表）",
        "es": "  … {count} más (vea la hoja {sheet})",
    },
    "problems_none": {
        "en": "Problems: none",
        "zh-Hans": "问题：无",
        "zh-Hant": "問題：無",
        "es": "Problemas: ninguno",
    },
    "messages": {
        "en": "Messages: {sent} sent, {queued} queued, {skipped} skipped, {failed} failed",
        "zh-Hans": "消息：已发送 {sent}，待发送 {queued}，跳过 {skipped}，失败 {failed}",
        "zh-Hant": "訊息：已發送 {sent}，待發送 {queued}，略過 {skipped}，失敗 {failed}",
        "es": "Mensajes: {sent} enviados, {queued} en espera, {skipped} omitidos, "
        "{failed} fallidos",
    },
    "handed": {
        "en": "; {count} for staff to send by hand (in the Outbox and their digests)",
        "zh-Hans": "；待员工手动发送 {count}（见发送记录和员工日报）",
        "zh-Hant": "；待員工手動發送 {count}（見發送記錄和員工日報）",
        "es": "; {count} para enviar a mano (en la hoja Mensajes y en las tareas del día)",
    },
    "handed_before": {
        "en": "; {count} handed to staff before, not ticked as sent yet",
        "zh-Hans": "；此前已交员工手动发送、尚未打勾 {count}",
        "zh-Hant": "；先前已交員工手動發送、尚未打勾 {count}",
        "es": "; {count} pasados antes al personal, aún sin marcar",
    },
    "sent_before": {
        "en": "; {count} sent before",
        "zh-Hans": "；此前已发送 {count}",
        "zh-Hant": "；先前已發送 {count}",
        "es": "; {count} enviados antes",
    },
    "settled_before": {
        "en": "; {count} failed, skipped or unknown before, not tried again",
        "zh-Hans": "；此前失败、跳过或结果不明 {count}，不再重试",
        "zh-Hant": "；先前失敗、略過或結果不明 {count}，不再重試",
        "es": "; {count} fallidos, omitidos o sin confirmar antes, no se reintentan",
    },
    "interrupted": {
        "en": "  interrupted earlier, not resent: {key}",
        "zh-Hans": "  此前发送中断，不再重发：{key}",
        "zh-Hant": "  先前發送中斷，不再重發：{key}",
        "es": "  interrumpido antes, no se reenvía: {key}",
    },
    "wrote": {
        "en": "Wrote {cells} cells; sheets: {sheets}",
        "zh-Hans": "已写入 {cells} 个单元格；工作表：{sheets}",
        "zh-Hant": "已寫入 {cells} 個儲存格；工作表：{sheets}",
        "es": "Escritas {cells} celdas; hojas: {sheets}",
    },
    "kept": {
        "en": "Kept {count} cells staff changed while sync ran, as they typed them: {cells}",
        "zh-Hans": "同步期间有 {count} 个单元格被改动，已保留所填内容：{cells}",
        "zh-Hant": "同步期間有 {count} 個儲存格被改動，已保留所填內容：{cells}",
        "es": "Se mantienen {count} celdas que se cambiaron durante la sincronización: {cells}",
    },
    "deleted": {
        "en": "Skipped {count} rows deleted while sync ran: {keys}",
        "zh-Hans": "跳过同步期间被删除的 {count} 行：{keys}",
        "zh-Hant": "略過同步期間被刪除的 {count} 列：{keys}",
        "es": "Se omiten {count} filas borradas durante la sincronización: {keys}",
    },
    "moved": {
        "en": "{count} rows moved while sync was writing; run sync again to put every value in "
        "its row",
        "zh-Hans": "写入期间有 {count} 行被移动；请再运行一次 sync，使每个值回到其所在行",
        "zh-Hant": "寫入期間有 {count} 列被移動；請再執行一次 sync，使每個值回到其所在列",
        "es": "{count} filas se movieron mientras se escribía; ejecute sync otra vez para que "
        "cada valor quede en su fila",
    },
    "backup": {
        "en": "Backup: {path}",
        "zh-Hans": "备份：{path}",
        "zh-Hant": "備份：{path}",
        "es": "Copia de seguridad: {path}",
    },
    "unchanged": {
        "en": "Nothing changed; the workbook was not rewritten.",
        "zh-Hans": "没有变化；工作簿未改写。",
        "zh-Hant": "沒有變化；活頁簿未改寫。",
        "es": "Nada cambió; el libro no se ha reescrito.",
    },
    "next_open": {
        "en": "Next: open {path}: the {problems} sheet lists every problem, the register "
        "shows tiers and plans, and {outbox} the messages.",
        "zh-Hans": "下一步：打开 {path}：「{problems}」工作表列出所有问题，客户表上有等级和"
        "维护计划，「{outbox}」列出消息。",
        "zh-Hant": "下一步：開啟 {path}：「{problems}」工作表列出所有問題，客戶表上有等級和"
        "維護計畫，「{outbox}」列出訊息。",
        "es": "Siguiente: abra {path}: la hoja {problems} lista cada problema, el registro "
        "muestra niveles y planes, y {outbox} los mensajes.",
    },
    "next_fix": {
        "en": "Next: correct the cells above (sync also lists them in the {problems} sheet), "
        "then run check again.",
        "zh-Hans": "下一步：修改上面列出的单元格（sync 也会把它们列在「{problems}」工作表），"
        "然后再运行 check。",
        "zh-Hant": "下一步：修改上面列出的儲存格（sync 也會把它們列在「{problems}」工作表），"
        "然後再執行 check。",
        "es": "Siguiente: corrija las celdas indicadas (sync también las lista en la hoja "
        "{problems}) y vuelva a ejecutar check.",
    },
    "next_sync": {
        "en": "Next: sync writes tiers and plans into the workbook and sends what is due.",
        "zh-Hans": "下一步：运行 sync，把等级和维护计划写入工作簿，并发送到期的消息。",
        "zh-Hant": "下一步：執行 sync，把等級和維護計畫寫入活頁簿，並發送到期的訊息。",
        "es": "Siguiente: sync escribe niveles y planes en el libro y envía lo que toca.",
    },
    "next_write": {
        "en": "Next: run sync without --dry-run to write these and send what is due.",
        "zh-Hans": "下一步：不带 --dry-run 运行 sync，写入这些内容并发送到期的消息。",
        "zh-Hant": "下一步：不帶 --dry-run 執行 sync，寫入這些內容並發送到期的訊息。",
        "es": "Siguiente: ejecute sync sin --dry-run para escribir esto y enviar lo que toca.",
    },
    "dry_run": {
        "en": "Dry run: nothing sent, nothing written. A sync would change {count} cells:",
        "zh-Hans": "试运行：未发送、未写入。正式同步将修改 {count} 个单元格：",
        "zh-Hant": "試執行：未發送、未寫入。正式同步將修改 {count} 個儲存格：",
        "es": "Simulación: nada enviado ni escrito. Una sincronización cambiaría {count} celdas:",
    },
    "dry_run_more": {
        "en": "  … {count} more cells",
        "zh-Hans": "  … 另有 {count} 个单元格",
        "zh-Hant": "  … 另有 {count} 個儲存格",
        "es": "  … {count} celdas más",
    },
    "dry_run_sheet": {
        "en": "  sheet {sheet}: rewritten with {rows} rows",
        "zh-Hans": "  工作表「{sheet}」：重新生成，共 {rows} 行",
        "zh-Hant": "  工作表「{sheet}」：重新產生，共 {rows} 列",
        "es": "  hoja {sheet}: se reescribe con {rows} filas",
    },
    "dry_run_appended": {
        "en": "  sheet {sheet}: {rows} rows added below the last one",
        "zh-Hans": "  工作表「{sheet}」：在末尾追加 {rows} 行",
        "zh-Hant": "  工作表「{sheet}」：在末尾追加 {rows} 列",
        "es": "  hoja {sheet}: {rows} filas añadidas al final",
    },
    "empty": {
        "en": "(empty)",
        "zh-Hans": "（空）",
        "zh-Hant": "（空）",
        "es": "(vacía)",
    },
}


def text(name: str, language: str, /, **params: object) -> str:
    """The line `name` in `language` (English where the language is not one of the four)."""
    by_language = TEXTS[name]
    return by_language.get(language, by_language["en"]).format(**params)
