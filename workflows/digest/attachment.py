"""The digest's Excel report as an e-mail attachment, made when the e-mail is sent.

The outbox row keeps `digest-xlsx:<monday>` (the city's report) or `digest-xlsx:<monday>/<organisation id>`
(a head's own organisation), and the workbook is built then from the same sheets as `/digest/<monday>.xlsx`.
"""
from __future__ import annotations

from datetime import date

from connectors import Attachment
from workflows.delivery.attachments import reference, register
from workflows.digest.report import sheets, week_report
from workflows.stats.period import Period, week_of
from workflows.stats.tables_export import workbook_bytes

KIND = "digest-xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def report_filename(week: Period) -> str:
    return f"otklik-nedelya-{week.first.isoformat()}.xlsx"


def report_reference(week: Period, organization_id: int | None = None) -> str:
    argument = week.first.isoformat() + (f"/{organization_id}" if organization_id is not None else "")
    return reference(KIND, argument)


def report_attachment(argument: str) -> Attachment:
    """The workbook of `<monday>` or `<monday>/<organisation id>`; ValueError when the argument is not one."""
    day, _, organization = argument.partition("/")
    week = week_of(date.fromisoformat(day))
    own = int(organization) if organization else None
    return Attachment(report_filename(week), XLSX, workbook_bytes(sheets(week_report(week), own)))


register(KIND, report_attachment)
