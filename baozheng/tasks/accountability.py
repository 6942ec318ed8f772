"""Accountability records (追责: 约谈、通报批评、问责): who may see them and the figures per
unit that the assessment reads. A record is seen by the dispatch office and leaders (in
their scope) and by the unit concerned (and the units above it); other units never see it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet

from baozheng.org.permissions import can, in_scope, scope_q
from baozheng.org.roles import Cap
from baozheng.tasks.access import oversees
from baozheng.tasks.models import Accountability, AccountabilityKind

KINDS = tuple(AccountabilityKind.values)


def visible_records(user: Any) -> QuerySet[Accountability]:
    records = Accountability.objects.select_related("unit").prefetch_related("tasks")
    if not can(user, Cap.VIEW):
        return records.none()
    if oversees(user):
        return records.filter(scope_q(user, "unit"))
    unit = getattr(user, "unit", None)
    if unit is None or not in_scope(user, unit):
        return records.none()
    return records.filter(unit__path__startswith=unit.path)


def figures_by_unit(records: QuerySet[Accountability]) -> list[dict[str, Any]]:
    """Counts of each kind per unit, most records first."""
    rows = (
        records.values("unit__code", "unit__name")
        .annotate(
            total=Count("pk"),
            **{kind: Count("pk", filter=Q(kind=kind)) for kind in KINDS},
        )
        .order_by("-total", "unit__code")
    )
    return list(rows)


def unit_counts(
    unit_codes: Iterable[str], start: date, end: date, kind: str = ""
) -> dict[str, int]:
    """How many records each unit received in the span (all kinds, or one), for the
    assessment."""
    codes = list(unit_codes)
    records = Accountability.objects.filter(
        unit__code__in=codes, decided_on__gte=start, decided_on__lte=end
    )
    if kind:
        records = records.filter(kind=kind)
    found = dict(records.values_list("unit__code").annotate(n=Count("pk")))
    return {code: found.get(code, 0) for code in codes}
