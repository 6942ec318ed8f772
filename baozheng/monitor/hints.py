"""Home-page hints: what each role should do today (docs/rules.md users: clerks enter, departments
approve, leaders and the dispatch office read the dashboard)."""

from __future__ import annotations

from django.urls import reverse

from baozheng.monitor.context import default_parent, default_period
from baozheng.monitor.entry_checks import indicators_for
from baozheng.monitor.progress import (
    awaiting_review,
    collection_period,
    completeness,
    reporting_units,
)
from baozheng.monitor.report import load_report
from baozheng.org.navigation import Hint
from baozheng.org.permissions import can
from baozheng.org.roles import Cap, Role
from baozheng.reporting import approval
from baozheng.stats.models import Observation, Status
from baozheng.stats.released import released_periods


def _entry_hints(user) -> list[Hint]:
    units = reporting_units(user)
    if not units:
        return []
    period = collection_period(units)
    rows = completeness(units, indicators_for(user, period), period)
    owed = sum(len(row.missing) for row in rows)
    url = reverse("monitor-entry") + f"?period={period.code}"
    hints = [Hint(f"{period.label}数据待填报 {owed} 项", url)] if owed else []
    returned = Observation.objects.filter(unit__in=units, status=Status.RETURNED).count()
    if returned:
        hints.append(Hint(f"被退回待修改的数据 {returned} 项", reverse("monitor-entry")))
    hints += [
        Hint(f"查看{unit.name}各项指标的亮灯与位次", reverse("monitor-unit", args=[unit.code]))
        for unit in units[:3]
    ]
    return hints


def _dashboard_hint(user) -> list[Hint]:
    parent = default_parent(user)
    period = default_period(parent, released_periods()) if parent else None
    if period is None or parent is None:
        return []
    counts = load_report(period, parent, user).status_counts()
    query = f"?period={period.code}&parent={parent.code}"
    return [
        Hint(
            f"驾驶舱：{parent.name}{period.label}红灯 {counts['off_track']} 项、黄灯 {counts['at_risk']} 项",
            reverse("monitor-overview") + query,
        ),
        Hint(f"查看{period.label}通报及下载", reverse("monitor-bulletin") + query),
    ]


def hints(user) -> list[Hint]:
    found: list[Hint] = []
    if can(user, Cap.ENTER) and user.role == Role.CLERK:
        found += _entry_hints(user)
    if can(user, Cap.APPROVE):
        awaiting = awaiting_review(user).prefetch_related("unit", "indicator__department")
        waiting = len(approval.actionable(user, list(awaiting[:500])))
        if waiting:
            found.append(Hint(f"待审核 {waiting} 项", reverse("monitor-review")))
    if can(user, Cap.VIEW) and user.role != Role.CLERK:
        found += _dashboard_hint(user)
    return found
