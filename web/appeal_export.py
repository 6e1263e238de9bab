"""The dispatch log as an Excel workbook (openpyxl, streamed row by row)."""
from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from web.labels import category_label, channel_label, status_label
from workflows.appeals.dispatch_log import COLUMNS, LogRow

LABELLERS = {"channel": channel_label, "category": category_label, "status": status_label}
WIDTHS = {"number": 14, "registered_at": 17, "address": 34, "text": 60, "organization": 30, "result": 40}
# A formula-looking text cell would run in the reader's Excel (CSV/XLSX injection): keep it text.
FORMULA_START = ("=", "+", "-", "@")


def _cell_value(column: str, value: Any, zone: ZoneInfo) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(zone).replace(tzinfo=None)
    if isinstance(value, bool):
        return "да" if value else "нет"
    if column in LABELLERS:
        return LABELLERS[column](value)
    return value


def workbook_bytes(rows: Iterable[LogRow], timezone: str) -> bytes:
    zone = ZoneInfo(timezone)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Журнал обращений")
    for index, (column, _) in enumerate(COLUMNS):
        sheet.column_dimensions[chr(ord("A") + index)].width = WIDTHS.get(column, 16)
    header = []
    for _, title in COLUMNS:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        values = []
        for column, _ in COLUMNS:
            value = _cell_value(column, row.value(column), zone)
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, datetime):
                cell.number_format = "DD.MM.YYYY HH:MM"
            elif isinstance(value, str) and value.startswith(FORMULA_START):
                cell.data_type = "s"
            values.append(cell)
        sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
