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

from web.labels import category_label, channel_label, event_label, role_label, status_label
from workflows.appeals.dispatch_log import COLUMNS, STEP_COLUMNS_TITLES, LogRow, StepRow

LABELLERS = {"channel": channel_label, "category": category_label, "status": status_label, "kind": event_label,
             "role": role_label}
WIDTHS = {"number": 14, "registered_at": 17, "address": 34, "text": 60, "organization": 30, "result": 40, "at": 17,
          "kind": 28, "person": 26, "role": 24, "registered_by": 30, "accepted_by": 30, "resolved_by": 30}
# A formula-looking text cell would run in the reader's Excel (CSV/XLSX injection): keep it text.
FORMULA_START = ("=", "+", "-", "@")


def _cell_value(column: str, value: Any, zone: ZoneInfo) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(zone).replace(tzinfo=None)
    if isinstance(value, bool):
        return "да" if value else "нет"
    if column == "person" and value is None:
        return "система"
    if column in LABELLERS and value is not None:
        return LABELLERS[column](value)
    return value


def _sheet(book: Workbook, title: str, columns: tuple[tuple[str, str], ...], rows: Iterable[Any],
           zone: ZoneInfo) -> None:
    sheet = book.create_sheet(title)
    for index, (column, _) in enumerate(columns):
        sheet.column_dimensions[chr(ord("A") + index)].width = WIDTHS.get(column, 16)
    header = []
    for _, heading in columns:
        cell = WriteOnlyCell(sheet, value=heading)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        values = []
        for column, _ in columns:
            value = _cell_value(column, row.value(column), zone)
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, datetime):
                cell.number_format = "DD.MM.YYYY HH:MM"
            elif isinstance(value, str) and value.startswith(FORMULA_START):
                cell.data_type = "s"
            values.append(cell)
        sheet.append(values)


def workbook_bytes(rows: Iterable[LogRow], zone: ZoneInfo, steps: Iterable[StepRow] = ()) -> bytes:
    """The dispatch log; with `steps`, a second sheet lists every step of each appeal and who took it."""
    book = Workbook(write_only=True)
    _sheet(book, "Журнал обращений", COLUMNS, rows, zone)
    _sheet(book, "Ход работы", STEP_COLUMNS_TITLES, steps, zone)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
