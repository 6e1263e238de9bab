"""The interruption ledger as an Excel workbook: the evidence residents and the city take to a recalculation."""
from __future__ import annotations

from datetime import datetime
from io import BytesIO
from typing import Any

from workflows.outages.ledger import LedgerRow
from workflows.outages.limits import limit_words
from workflows.outages.texts import KIND_NAMES, RESOURCE_NAMES, local

SUMMARY = ("Адрес", "Ресурс", "Месяц", "Часов без ресурса", "Разовый предел", "Месячный предел",
           "Сверх разового, ч", "Сверх месячного, ч", "Часов сверх предела", "Снижение платы, %", "Отключения №",
           "Источники")
DETAIL = ("Адрес", "Ресурс", "Месяц", "Отключения №", "Вид", "Причина", "Начало", "Восстановлено по данным РСО",
          "Восстановление подтверждено", "Конец в расчёте", "Часов всего", "Часов в месяце", "Разовый предел",
          "Правило", "Источник", "Сверх разового в месяце, ч")


def _when(value: str | None) -> str:
    return local(datetime.fromisoformat(value)) if value else "—"


def _end(item: dict[str, Any]) -> str:
    return "продолжается (не подтверждено)" if item["ongoing"] else _when(item["ends_at"])


def _detail(row: LedgerRow, item: dict[str, Any]) -> list[Any]:
    kinds = ", ".join(KIND_NAMES.get(k, k).lower() for k in item["kinds"])
    confirmed = _when(item["confirmed_restored_at"]) if item["confirmed_restored_at"] else (
        "оспорено: «Нет» " + _when(item["disputed_at"]) if item["disputed_at"] else "не подтверждено")
    return [row.address, RESOURCE_NAMES.get(row.resource, row.resource), row.month,
            ", ".join(str(o) for o in item["outage_ids"]), kinds, "; ".join(item["causes"]),
            _when(item["starts_at"]), _when(item["claimed_restored_at"]), confirmed, _end(item), item["hours"],
            item["hours_in_month"], limit_words(item["single_limit_hours"]), item["rule"], item["source"],
            item["hours_over_single_in_month"]]


def _summary(row: LedgerRow) -> list[Any]:
    f = row.figures
    return [row.address, RESOURCE_NAMES.get(row.resource, row.resource), row.month, f.hours_off,
            limit_words(row.single_limit), limit_words(f.monthly_limit), f.single_over, f.monthly_over,
            f.hours_over, f.reduction_percent, ", ".join(str(o) for o in row.outage_ids), "; ".join(row.sources)]


def to_xlsx(rows: list[LedgerRow]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    summary: Any = book.active
    summary.title = "Месяц"
    summary.append(SUMMARY)
    detail: Any = book.create_sheet("Перерывы")
    detail.append(DETAIL)
    for row in rows:
        summary.append(_summary(row))
        for item in row.interruption_dicts():
            detail.append(_detail(row, item))
    for sheet, widths in ((summary, (40, 18, 10) + (14,) * 8 + (40,)), (detail, (40, 18, 10, 14, 16, 30) + (18,) * 4
                                                                         + (10, 10, 12, 50, 40, 14))):
        for index, width in enumerate(widths):
            sheet.column_dimensions[chr(ord("A") + index)].width = width
    out = BytesIO()
    book.save(out)
    return out.getvalue()
