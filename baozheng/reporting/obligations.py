"""Who owes what: the (unit, form, indicator) obligations of a period, and their deadlines.

An obligation exists only where a form is assigned: to the named unit, or to the units
of the listed kinds within the assigned unit's subtree. Forms are released at the
months of their frequency (monthly forms follow each indicator's own calendar, so a
quarterly indicator on a monthly form is owed at 3, 6, 9, 12 only).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from baozheng.analysis.periods import Period, released_indicators
from baozheng.org.models import Unit
from baozheng.reporting.models import DeadlineKind, FormAssignment, ReportForm
from baozheng.stats.models import Frequency, Indicator
from baozheng.workcal.calendar import add_workdays


@dataclass(frozen=True)
class Obligation:
    unit_id: int
    indicator: Indicator
    form: ReportForm


def form_due(form: ReportForm, period: Period) -> bool:
    if form.frequency == Frequency.QUARTERLY:
        return period.month % 3 == 0
    if form.frequency == Frequency.YEARLY:
        return period.month == 12
    return True


def form_deadline(form: ReportForm, period: Period) -> date:
    """次月 N 日 moved to the next working day, or the N-th working day after the period."""
    year, month = (period.year + 1, 1) if period.month == 12 else (period.year, period.month + 1)
    if form.deadline_kind == DeadlineKind.DAY:
        return add_workdays(date(year, month, form.deadline_value), 0)
    last_day = date(year, month, 1).toordinal() - 1
    return add_workdays(date.fromordinal(last_day), form.deadline_value)


def _assignment_q(assignment: FormAssignment) -> Q:
    if not assignment.kind_list:
        return Q(pk=assignment.unit_id)
    return Q(path__startswith=assignment.unit.path, kind__in=assignment.kind_list)


def assigned_unit_ids(forms: list[ReportForm] | None = None) -> dict[int, set[int]]:
    """Form id → ids of the units it is assigned to."""
    assignments = FormAssignment.objects.select_related("unit")
    if forms is not None:
        assignments = assignments.filter(form__in=forms)
    result: dict[int, set[int]] = {}
    for assignment in assignments:
        ids = Unit.objects.filter(_assignment_q(assignment)).values_list("pk", flat=True)
        result.setdefault(assignment.form_id, set()).update(ids)
    return result


def reporting_unit_q() -> Q:
    """Units that owe at least one form (a filter on Unit)."""
    q = Q(pk__in=[])
    for assignment in FormAssignment.objects.select_related("unit"):
        q |= _assignment_q(assignment)
    return q


def obligations(
    units: list[Unit], period: Period, indicators: list[Indicator] | None = None
) -> dict[tuple[int, int], Obligation]:
    """(indicator id, unit id) → the obligation, for the indicators released at `period`
    (optionally only those in `indicators`). One form per pair: the first by order."""
    forms = [f for f in ReportForm.objects.prefetch_related("indicators") if form_due(f, period)]
    assigned = assigned_unit_ids(forms)
    unit_ids = {u.pk for u in units}
    wanted = {i.pk for i in indicators} if indicators is not None else None
    result: dict[tuple[int, int], Obligation] = {}
    for form in forms:
        members = [i for i in form.indicators.all() if wanted is None or i.pk in wanted]
        for indicator in released_indicators(period, members):
            for unit_id in assigned.get(form.pk, set()) & unit_ids:
                result.setdefault((indicator.pk, unit_id), Obligation(unit_id, indicator, form))
    return result
