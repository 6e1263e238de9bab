"""Any table of figures as CSV (semicolons, UTF-8 with BOM, as Russian Excel opens it) or as an Excel workbook.

Shared by the pages (downloads) and the weekly digest (its e-mail attachment).
"""
from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

# A formula-looking text cell would run in the reader's spreadsheet (CSV/XLSX injection): keep it text.
FORMULA_START = ("=", "+", "-", "@")


def _safe(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_bytes(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_safe(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


Sheet = tuple[str, Sequence[str], Sequence[Sequence[Any]]]


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """One sheet per (title, columns, rows); bold headers, readable widths."""
    book = Workbook()
    default = book.active
    if default is not None:
        book.remove(default)
    for title, columns, rows in sheets:
        sheet = book.create_sheet(title[:31])
        sheet.append(list(columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_safe(v) for v in row])
        for index, name in enumerate(columns):
            sheet.column_dimensions[chr(ord("A") + index)].width = max(12, min(40, len(name) + 4))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_bytes(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    return workbook_bytes([(title, columns, rows)])
