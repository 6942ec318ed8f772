"""Home-page hints: draft runs waiting to be published (for those who publish), and the
latest published place of the user's own unit."""

from __future__ import annotations

from django.urls import reverse

from baozheng.assessment.models import Run, RunRow
from baozheng.org.navigation import Hint
from baozheng.org.permissions import can, primary_unit
from baozheng.org.roles import Cap


def hints(user) -> list[Hint]:
    result: list[Hint] = []
    if can(user, Cap.DISPATCH):
        drafts = Run.objects.filter(status=Run.Status.DRAFT).count()
        if drafts:
            result.append(Hint("综合考评有待发布的计算结果", reverse("assessment-index"), drafts))
    unit = primary_unit(user) if can(user, Cap.VIEW) else None
    if unit is not None:
        row = (
            RunRow.objects.filter(unit=unit, run__status=Run.Status.PUBLISHED, rank__isnull=False)
            .select_related("run__scheme")
            .order_by("-run__published_at")
            .first()
        )
        if row is not None:
            result.append(
                Hint(
                    f"{unit.name}在“{row.run.scheme.name}”{row.run.period.label}排名第{row.rank}",
                    reverse("assessment-run", args=[row.run.pk]),
                )
            )
    return result
