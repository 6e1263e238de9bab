"""The pages' CSV and Excel downloads: the writers live in workflows (the digest e-mail attaches a workbook too)."""
from workflows.stats.tables_export import FORMULA_START, Sheet, csv_bytes, workbook_bytes, xlsx_bytes

__all__ = ["FORMULA_START", "Sheet", "csv_bytes", "workbook_bytes", "xlsx_bytes"]
