"""Changing a project: monthly progress, stage dates and support requests.

Views, the import and the demo all write through these functions, so each rule of
`rules.py` is applied in one place and a refusal reads the same everywhere.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from baozheng.org.models import Unit
from baozheng.projects.models import (
    Photo,
    ProgressReport,
    Project,
    Stage,
    SupportCategory,
    SupportRequest,
    SupportRoute,
)
from baozheng.projects.rules import (
    STAGE_KEYS,
    Month,
    StageDates,
    cumulative_problem,
    stage_problems,
)
from baozheng.projects.uploads import MAX_PHOTOS_PER_REPORT, check_photo
from baozheng.tasks.models import Priority, SourceKind
from baozheng.tasks.services import open_task


def neighbour_cumulatives(project: Project, month: Month) -> tuple[Decimal | None, Decimal | None]:
    """This year's cumulative of the nearest earlier and later reported months."""
    same_year = ProgressReport.objects.filter(project=project, year=month.year)
    before = same_year.filter(month__lt=month.month).order_by("-month").first()
    after = same_year.filter(month__gt=month.month).order_by("month").first()
    return (before.invested_ytd if before else None, after.invested_ytd if after else None)


@transaction.atomic
def save_progress(
    project: Project,
    month: Month,
    invested_month: Decimal,
    invested_ytd: Decimal | None,
    narrative: str,
    correction_reason: str,
    photos: list[UploadedFile],
    user,
) -> ProgressReport:
    """Create or replace the report of `month`. A blank cumulative is last month's plus
    this month's; a cumulative below last month's needs a correction reason."""
    if invested_month < 0:
        raise ValidationError({"invested_month": "本月完成投资不能为负"})
    if month > Month.of(date.today()):
        raise ValidationError({"period": "不能填报未来月份的进展"})
    from baozheng.reporting.project_months import refusal

    closed = refusal(month.year, month.month)
    if closed:
        raise ValidationError({"period": closed})
    previous, following = neighbour_cumulatives(project, month)
    if invested_ytd is None:
        invested_ytd = (previous or Decimal(0)) + invested_month
    problem = cumulative_problem(invested_ytd, previous, following, correction_reason)
    if problem:
        raise ValidationError({"invested_ytd": problem})
    existing = ProgressReport.objects.filter(
        project=project, year=month.year, month=month.month
    ).first()
    if len(photos) + (existing.photos.count() if existing else 0) > MAX_PHOTOS_PER_REPORT:
        raise ValidationError({"photos": f"每月最多上传 {MAX_PHOTOS_PER_REPORT} 张照片"})
    checked = []
    for upload in photos:
        try:
            checked.append((upload, *check_photo(upload)))
        except ValidationError as exc:
            raise ValidationError({"photos": exc.messages}) from None
    report, _ = ProgressReport.objects.update_or_create(
        project=project,
        year=month.year,
        month=month.month,
        defaults={
            "invested_month": invested_month,
            "invested_ytd": invested_ytd,
            "narrative": narrative,
            "correction_reason": correction_reason,
            "entered_by": user,
        },
    )
    for upload, content_type, stored_name in checked:
        photo = Photo(report=report, content_type=content_type, size=upload.size, uploaded_by=user)
        photo.image.save(stored_name, upload, save=True)
    return report


def stage_dates(project: Project) -> dict[str, StageDates]:
    return {
        s.kind: StageDates(s.planned_on, s.actual_on, s.reason)
        for s in Stage.objects.filter(project=project)
    }


@transaction.atomic
def save_stages(
    project: Project,
    stages: dict[str, StageDates],
    entered_statistics_on: date | None,
    today: date | None = None,
) -> None:
    """Replace the stage ladder after checking it as a whole (rules.stage_problems)."""
    today = today or date.today()
    problems = stage_problems(stages, today)
    if entered_statistics_on and not (stages.get("started") and stages["started"].actual):
        problems["statistics"] = "尚未开工的项目不能填写入统日期"
    elif entered_statistics_on and entered_statistics_on > today:
        problems["statistics"] = "入统日期不能晚于今天"
    if problems:
        raise ValidationError(problems)
    for kind in STAGE_KEYS:
        dates = stages.get(kind, StageDates())
        Stage.objects.update_or_create(
            project=project,
            kind=kind,
            defaults={
                "planned_on": dates.planned,
                "actual_on": dates.actual,
                "reason": dates.reason,
            },
        )
    if project.entered_statistics_on != entered_statistics_on:
        project.entered_statistics_on = entered_statistics_on
        project.save(update_fields=["entered_statistics_on"])


DEFAULT_SUPPORT_WORKDAYS = 10


def default_support_unit(project: Project, category: str) -> Unit:
    """The unit a support request goes to when the reporter names none: the category's
    route (`SupportRoute`), else the project's lead unit, else its county."""
    route = SupportRoute.objects.filter(category=category).select_related("unit").first()
    if route is not None:
        return route.unit
    return project.lead_unit or project.county


@transaction.atomic
def open_support_request(
    project: Project,
    *,
    category: str,
    description: str,
    lead_unit: Unit,
    owner,
    deadline: date | None,
    user,
    report: ProgressReport | None = None,
    opened_on: date | None = None,
    is_demo: bool = False,
) -> SupportRequest:
    """Record a 要素保障 request and raise its tracked task (source "project")."""
    label = SupportCategory(category).label
    request = SupportRequest(
        project=project, report=report, category=category, description=description
    )
    task = open_task(
        source_kind=SourceKind.PROJECT,
        source_id=project.pk,
        source_label=f"{project.name}·{label}",
        title=f"协调解决{project.name}{label}问题",
        detail=description,
        lead_unit=lead_unit,
        helpers=[project.county],
        owner=owner,
        deadline=deadline,
        deadline_workdays=None if deadline else DEFAULT_SUPPORT_WORKDAYS,
        priority=Priority.HIGH,
        created_by=user,
        opened_on=opened_on,
        is_demo=is_demo,
    )
    request.task = task
    request.save()
    return request
