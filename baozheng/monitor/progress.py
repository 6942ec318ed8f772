"""Which period is being collected, its deadlines, and who has not submitted (报送进度).

Who owes what is declared by report forms (`baozheng.reporting.obligations`): a unit
owes exactly the indicators of the forms assigned to it, due by the form's deadline
(a day of the following month or working days after the period, from the working-day
calendar). The period being collected is the newest one the office has opened; before
the office opens any, the release after the newest one with approved figures.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet

from baozheng.analysis.periods import Period
from baozheng.monitor.context import latest_release, release_calendar
from baozheng.org.models import Unit, User
from baozheng.org.permissions import for_department, scope_q
from baozheng.reporting.obligations import form_deadline, obligations, reporting_unit_q
from baozheng.reporting.periods import open_periods
from baozheng.stats.models import FINAL_STATUSES, Indicator, Observation, Status

DONE = (Status.SUBMITTED, *FINAL_STATUSES)


def next_release(period: Period) -> Period:
    months = sorted(release_calendar()) or list(range(1, 13))
    later = [m for m in months if m > period.month]
    return Period(period.year, later[0]) if later else Period(period.year + 1, months[0])


def collection_period(units: QuerySet[Unit] | list[Unit], today: date | None = None) -> Period:
    """The newest period open for entry; without period control, the release after the
    newest one with approved figures for these units (else anywhere, else last month)."""
    opened = open_periods()
    if opened:
        return max(opened)
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
    """Units in scope that owe at least one report form."""
    return list(Unit.objects.filter(scope_q(user)).filter(reporting_unit_q()).order_by("path"))


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
    owed = obligations(units, period, indicators)
    released = list({o.indicator.pk: o.indicator for o in owed.values()}.values())
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
    deadlines = {form.pk: form_deadline(form, period) for form in {o.form for o in owed.values()}}
    ordered = sorted(released, key=lambda i: (i.order, i.code))
    result = []
    for unit in units:
        mine = [owed[(ind.pk, unit.pk)] for ind in ordered if (ind.pk, unit.pk) in owed]
        progress = UnitProgress(unit, len(mine))
        for duty in mine:
            state = states.get((duty.indicator.pk, unit.pk), "")
            progress.states[state or "missing"] += 1
            if state not in DONE:
                due = deadlines[duty.form.pk]
                progress.missing.append(Missing(duty.indicator, due, state))
                progress.overdue += today > due
        result.append(progress)
    return sorted(result, key=lambda p: (-p.overdue, -len(p.missing), p.unit.path))


def awaiting_review(user):
    """Submitted observations this user may approve: in scope, and for department staff
    only their department's indicators (`permissions.for_department`, the queryset form of `workflow.can_approve`)."""
    queryset = Observation.objects.filter(status=Status.SUBMITTED).filter(scope_q(user, "unit"))
    return for_department(queryset, user)
