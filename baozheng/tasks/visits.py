"""Inspection visits (督导) of the supervision groups: who may see and record them, and
each group's figures — visits, findings raised as tasks, findings closed on time."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet

from baozheng.org.models import Unit
from baozheng.org.permissions import can
from baozheng.org.roles import Cap
from baozheng.tasks.access import oversees
from baozheng.tasks.models import SourceKind, SupervisionGroup, Task, Visit, VisitPhoto
from baozheng.tasks.services import closed_on_time

MAX_VISIT_PHOTOS = 6


def visible_visits(user: Any) -> QuerySet[Visit]:
    """Dispatch and leaders see every visit; group members their group's; a unit the
    visits that named it (or a unit below it)."""
    visits = Visit.objects.select_related("group").prefetch_related("units")
    if not can(user, Cap.VIEW):
        return visits.none()
    if oversees(user):
        return visits
    q = Q(group__members=user)
    unit = getattr(user, "unit", None)
    if unit is not None:
        q |= Q(units__path__startswith=unit.path)
    return visits.filter(q).distinct()


def may_record(user: Any, group: SupervisionGroup) -> bool:
    return can(user, Cap.DISPATCH) or (
        can(user, Cap.VIEW) and group.members.filter(pk=user.pk).exists()
    )


def visitable_units(group: SupervisionGroup) -> QuerySet[Unit]:
    """The counties a group covers and the units inside them."""
    q = Q(pk__in=[])
    for county in group.counties.all():
        q |= Q(path__startswith=county.path)
    return Unit.objects.filter(q).exclude(kind__in=["school", "central_school"]).order_by("path")


@transaction.atomic
def record_visit(
    group: SupervisionGroup,
    *,
    visited_on: date,
    units: Iterable[Unit],
    checked: str,
    findings: str,
    photos: Iterable[Any],
    user: Any,
) -> Visit:
    from baozheng.projects.uploads import check_photo

    photos = list(photos)
    if len(photos) > MAX_VISIT_PHOTOS:
        raise ValidationError(f"每次督导最多上传 {MAX_VISIT_PHOTOS} 张照片")
    checked_photos = [(upload, *check_photo(upload)) for upload in photos]
    visit = Visit.objects.create(
        group=group, visited_on=visited_on, checked=checked, findings=findings, recorded_by=user
    )
    visit.units.set(units)
    for upload, content_type, name in checked_photos:
        photo = VisitPhoto(visit=visit, content_type=content_type)
        photo.image.save(name, upload, save=True)
    return visit


def finding_tasks(visits: Iterable[Visit]) -> QuerySet[Task]:
    return Task.objects.filter(source_kind=SourceKind.VISIT, source_id__in=[v.pk for v in visits])


@dataclass(frozen=True)
class GroupFigures:
    group: SupervisionGroup
    visits: int
    findings: int
    closed: int
    closed_on_time: int

    @property
    def on_time_rate(self) -> float | None:
        return 100.0 * self.closed_on_time / self.closed if self.closed else None


def group_figures(groups: Iterable[SupervisionGroup]) -> list[GroupFigures]:
    groups = list(groups)
    visit_group = dict(Visit.objects.filter(group__in=groups).values_list("pk", "group_id"))
    tasks = Task.objects.filter(source_kind=SourceKind.VISIT, source_id__in=list(visit_group))
    counts: dict[int, list[int]] = {g.pk: [0, 0, 0, 0] for g in groups}
    for group_id in visit_group.values():
        counts[group_id][0] += 1
    for task in tasks:
        row = counts[visit_group[task.source_id]]
        row[1] += 1
        on_time = closed_on_time(task)
        if on_time is not None:
            row[2] += 1
            row[3] += on_time
    return [GroupFigures(g, *counts[g.pk]) for g in groups]
