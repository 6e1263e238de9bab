"""What the digest says: the week's figures, as text for messages and as sheets for the Excel report."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from workflows import citytime, clock
from workflows.appeals.catalog import BY_CODE
from workflows.appeals.models import WORKING_STATUSES, Appeal
from workflows.db import db
from workflows.outages.ledger import Scope, ledger
from workflows.outages.models import Outage
from workflows.stats.facts import load_facts
from workflows.stats.figures import Figures, figures_of
from workflows.stats.geo import RESOURCE_NAMES
from workflows.stats.period import Period, city_zone, week_of
from workflows.stats.rating import RatingRow, weekly_rating


@dataclass
class WeekReport:
    week: Period
    rating: list[RatingRow]
    overdue: list[Appeal]
    outages: list[Outage]
    ledger_rows: int
    ledger_hours_over: float

    @property
    def totals(self) -> Figures:
        return figures_of(load_facts(self.week, None), clock.now())


def _local(moment: datetime | None) -> str:
    return citytime.moment_text(moment)


def week_report(week: Period) -> WeekReport:
    now = clock.now()
    overdue = list(db.session.scalars(select(Appeal).where(Appeal.status.in_(WORKING_STATUSES), Appeal.due_at < now)
                                      .order_by(Appeal.organization_id, Appeal.due_at).limit(2000)))
    outages = list(db.session.scalars(select(Outage).where(
        Outage.starts_at < week.ends_before, (Outage.restored_at.is_(None)) | (Outage.restored_at >= week.starts_at))
        .order_by(Outage.starts_at)))
    months = {(week.first.year, week.first.month), (week.last.year, week.last.month)}
    rows = [r for month in sorted(months) for r in ledger(Scope(month))]
    over = [r for r in rows if r.figures.hours_over > 0]
    return WeekReport(week, weekly_rating(week), overdue, outages, len(over),
                      round(sum(r.figures.hours_over for r in over), 1))


def week_title(week: Period) -> str:
    return f"{week.first.strftime('%d.%m.%Y')} — {week.last.strftime('%d.%m.%Y')}"


def _report_line(label: str, link: str, attached: bool) -> str:
    return f"Отчёт Excel — во вложении (он же по ссылке: {link})" if attached else f"{label}: {link}"


def city_summary(report: WeekReport, link: str, attached: bool = False) -> str:
    t = report.totals
    ranked = [r for r in report.rating if r.rank is not None]
    lines = [f"Отклик: итоги недели {week_title(report.week)}",
             f"Обращений: {t.registered}, решено: {t.resolved}, в срок: {t.resolved_on_time}, "
             f"открыто повторно: {t.reopened}, эскалаций: {t.escalated}.",
             f"Просрочено сейчас: {len(report.overdue)}. Отключений за неделю: {len(report.outages)}; "
             f"превышений допустимых перерывов: {report.ledger_rows} ({report.ledger_hours_over} ч)."]
    if ranked:
        lines.append(f"Лучший результат: {ranked[0].name} ({ranked[0].score}); "
                     f"худший: {ranked[-1].name} ({ranked[-1].score}).")
    lines.append(_report_line("Отчёт Excel", link, attached))
    return "\n".join(lines)


def organization_page(report: WeekReport, organization_id: int, link: str, attached: bool = False) -> str | None:
    row = next((r for r in report.rating if r.organization_id == organization_id), None)
    overdue = [a for a in report.overdue if a.organization_id == organization_id]
    if row is None and not overdue:
        return None
    name = row.name if row else ""
    lines = [f"Отклик: неделя {week_title(report.week)} — {name}".rstrip(" —")]
    if row is not None:
        f = row.figures
        place = f"место {row.rank} из {sum(1 for r in report.rating if r.rank)}, балл {row.score}" if row.rank \
            else "в рейтинг не вошли: мало обращений"
        lines += [f"Обращений: {f.registered}, решено: {f.resolved}, в срок: {f.resolved_on_time}; {place}.",
                  f"Открыто повторно: {f.reopened}, повторные жалобы: {row.repeats}."]
    lines.append(f"Просрочено сейчас: {len(overdue)}" + (": " + ", ".join(a.number for a in overdue[:10]) if overdue
                                                         else "."))
    lines.append(_report_line("Подробнее", link, attached))
    return "\n".join(lines)


def sheets(report: WeekReport, organization_id: int | None = None) -> list[tuple[str, list[str], list[list[Any]]]]:
    """(title, columns, rows) for the workbook; an organisation's head gets its own rows only."""
    rating = [r for r in report.rating if organization_id is None or r.organization_id == organization_id]
    overdue = [a for a in report.overdue if organization_id is None or a.organization_id == organization_id]
    outages = [o for o in report.outages if organization_id is None or o.organization_id == organization_id]
    return [
        ("Рейтинг", ["Место", "Организация", "Балл", "Обращений", "Решено", "В срок", "Медиана решения, ч",
                     "Открыто повторно", "Повторные жалобы", "Просрочено сейчас"],
         [[r.rank or "мало обращений", r.name, r.score, r.figures.registered, r.figures.resolved,
           r.figures.resolved_on_time, r.figures.median_resolve_hours, r.figures.reopened, r.repeats,
           r.figures.overdue_open] for r in rating]),
        ("Просроченные", ["Номер", "Зарегистрировано", "Категория", "Адрес", "Организация", "Срок"],
         [[a.number, _local(a.created_at), BY_CODE[a.category].name if a.category in BY_CODE else a.category,
           a.address_text or "", a.organization.name if a.organization else "", _local(a.due_at)] for a in overdue]),
        ("Отключения", ["Ресурс", "Вид", "Поставщик", "Начало", "Окончание", "Восстановлено", "Домов"],
         [[RESOURCE_NAMES.get(o.resource, o.resource), {"planned": "плановое", "emergency": "аварийное",
                                                       "maintenance": "профилактика"}.get(o.kind, o.kind),
           o.organization.name, _local(o.starts_at), _local(o.ends_at), _local(o.restored_at), o.building_count]
          for o in outages]),
        ("Перерывы сверх нормы", ["Показатель", "Значение"],
         [["Дом-ресурс-месяц с превышением", report.ledger_rows], ["Часов сверх нормы", report.ledger_hours_over]]),
    ]


def report_week_before(moment: datetime) -> Period:
    """The last full week (Monday to Sunday, city time) before `moment`."""
    return week_of(moment.astimezone(city_zone()).date() - timedelta(days=7))
