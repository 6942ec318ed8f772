"""Which period is being collected, its deadlines, and who has not submitted (报送进度).

Figures for 1-m月 are due on the indicator's `submission_day` of the following month
(default the 10th), moved to the next working day when that is a holiday
(baozheng.workcal). The period being collected is the release after the newest one a
unit already has approved figures for, so a clerk's home page names the month they owe.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet

from baozheng.analysis.periods import Period, released_indicators
from baozheng.monitor.context import latest_release, release_calendar
from baozheng.org.models import PeerGroup, Unit, UnitKind, User
from baozheng.org.permissions import for_department, scope_q
from baozheng.stats.models import FINAL_STATUSES, Indicator, Observation, Status, Target
from baozheng.workcal.calendar import add_workdays

DONE = (Status.SUBMITTED, *FINAL_STATUSES)


def deadline(period: Period, indicator: Indicator) -> date:
    year, month = (period.year + 1, 1) if period.month == 12 else (period.year, period.month + 1)
    return add_workdays(date(year, month, indicator.submission_day), 0)


def next_release(period: Period) -> Period:
    months = sorted(release_calendar()) or list(range(1, 13))
    later = [m for m in months if m > period.month]
    return Period(period.year, later[0]) if later else Period(period.year + 1, months[0])


def collection_period(units: QuerySet[Unit] | list[Unit], today: date | None = None) -> Period:
    """The release after the newest one with approved figures for these units; with no
    figures at all, the release after the newest anywhere, else last month."""
    found = (
        Observation.objects.filter(unit__in=list(units), status__in=FINAL_STATUSES)
        .order_by("-year", "-month")
        .values_list("year", "month")
        .first()
    )
    newest = Period(*found) if found else latest_release()
    if newest is not None:
        return next_release(newest)
    today = today or date.today()
    return Period(today.year - 1, 12) if today.month == 1 else Period(today.year, today.month - 1)


def reporting_units(user: User) -> list[Unit]:
    """Units in scope that report figures: places, not departments, and not the parents of
    peer groups (a city's figures are published by its statistics bureau or derived)."""
    aggregates = PeerGroup.objects.values_list("parent_id", flat=True)
    return list(
        Unit.objects.filter(scope_q(user))
        .exclude(kind=UnitKind.DEPARTMENT)
        .exclude(pk__in=aggregates)
        .order_by("path")
    )


def duties(units: list[Unit], indicators: list[Indicator], year: int) -> set[tuple[int, int]]:
    """(indicator id, unit id) pairs a unit reports: those it has figures for this year or
    last, or a target for this year. A unit with no history at all owes every indicator
    (a new county starts with the full list)."""
    unit_ids = [u.pk for u in units]
    known = set(
        Observation.objects.filter(
            unit_id__in=unit_ids, indicator__in=indicators, year__in=[year - 1, year]
        )
        .values_list("indicator_id", "unit_id")
        .distinct()
    )
    known |= set(
        Target.objects.filter(
            unit_id__in=unit_ids, indicator__in=indicators, year=year
        ).values_list("indicator_id", "unit_id")
    )
    with_history = {unit for _, unit in known}
    known |= {(ind.pk, unit) for unit in unit_ids if unit not in with_history for ind in indicators}
    return known


@dataclass
class Missing:
    indicator: Indicator
    deadline: date
    state: str  # "" (nothing entered), draft or returned

    @property
    def state_label(self) -> str:
        return Status(self.state).label if self.state else "未填报"


@dataclass
class UnitProgress:
    unit: Unit
    expected: int
    states: Counter = field(default_factory=Counter)
    missing: list[Missing] = field(default_factory=list)
    overdue: int = 0

    @property
    def submitted(self) -> int:
        return self.expected - len(self.missing)


def completeness(
    units: list[Unit], indicators: list[Indicator], period: Period, today: date | None = None
) -> list[UnitProgress]:
    """Per unit: how many figures are due, in which state, which are missing and overdue."""
    today = today or date.today()
    released = released_indicators(period, indicators)
    # A figure approved earlier and now being corrected still counts as delivered.
    states = {
        (ind, unit): Status.APPROVED if approved else status
        for ind, unit, status, approved in Observation.objects.filter(
            unit__in=units,
            indicator__in=released,
            year=period.year,
            month=period.month,
        ).values_list("indicator_id", "unit_id", "status", "has_approved")
    }
    deadlines = {ind.pk: deadline(period, ind) for ind in released}
    owed = duties(units, released, period.year)
    result = []
    for unit in units:
        mine = [ind for ind in released if (ind.pk, unit.pk) in owed]
        progress = UnitProgress(unit, len(mine))
        for ind in mine:
            state = states.get((ind.pk, unit.pk), "")
            progress.states[state or "missing"] += 1
            if state not in DONE:
                progress.missing.append(Missing(ind, deadlines[ind.pk], state))
                progress.overdue += today > deadlines[ind.pk]
        result.append(progress)
    return sorted(result, key=lambda p: (-p.overdue, -len(p.missing), p.unit.path))


def awaiting_review(user):
    """Submitted observations this user may approve: in scope, and for department staff
    only their department's indicators (`permissions.for_department`, the queryset form of `workflow.can_approve`)."""
    queryset = Observation.objects.filter(status=Status.SUBMITTED).filter(scope_q(user, "unit"))
    return for_department(queryset, user)
