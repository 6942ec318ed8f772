"""Pages that change a project: monthly progress (with photos), the stage ladder and
入统 date, support requests and where they go by default, and the warning thresholds.
Editing needs the `enter` capability within the project's county (a county clerk edits
only its own county)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from baozheng.lib.once import once
from baozheng.lib.races import saved
from baozheng.org.permissions import can, require
from baozheng.org.roles import Cap
from baozheng.projects import services
from baozheng.projects.access import editable_project
from baozheng.projects.facts import reporting_month
from baozheng.projects.forms import (
    ProgressForm,
    StagesForm,
    SupportForm,
    SupportRoutesForm,
    ThresholdsForm,
)
from baozheng.projects.models import ProgressReport, Project, WarningSettings
from baozheng.projects.rules import STAGE_KEYS, Month, StageDates
from baozheng.tasks.services import LifecycleError


def _apply_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@require(Cap.ENTER)
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    project = editable_project(request, pk)
    if request.method == "POST":
        form = ProgressForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.save_progress(
                    project,
                    data["period"],
                    data["invested_month"],
                    data["invested_ytd"],
                    data["narrative"],
                    data["correction_reason"],
                    data["photos"],
                    request.user,
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, f"已保存{data['period'].label}的进展。")
                return redirect("projects-detail", pk=project.pk)
    else:
        month = _next_month_to_report(project)
        existing = ProgressReport.objects.filter(
            project=project, year=month.year, month=month.month
        ).first()
        initial = {"period": str(month)}
        if existing:
            initial.update(
                invested_month=existing.invested_month,
                invested_ytd=existing.invested_ytd,
                narrative=existing.narrative,
            )
        form = ProgressForm(initial=initial)
    return render(request, "projects/progress_form.html", {"project": project, "form": form})


def _next_month_to_report(project: Project) -> Month:
    """The month after the project's last report (never a future month); without any
    report yet, the reporting month in force. The month the office has opened wins."""
    from baozheng.reporting.project_months import open_month

    opened = open_month()
    if opened is not None:
        return Month(*opened)
    latest = project.reports.order_by("-year", "-month").first()
    if latest is None:
        return reporting_month()
    return min(latest.period.next(), Month.of(date.today()))


@require(Cap.ENTER)
def stages(request: HttpRequest, pk: int) -> HttpResponse:
    project = editable_project(request, pk)
    if request.method == "POST":
        form = StagesForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            ladder = {
                k: StageDates(data[f"{k}_planned"], data[f"{k}_actual"], data[f"{k}_reason"])
                for k in STAGE_KEYS
            }
            try:
                services.save_stages(project, ladder, data["entered_statistics_on"])
            except ValidationError as exc:
                for key, errors in exc.message_dict.items():
                    target = "entered_statistics_on" if key == "statistics" else f"{key}_actual"
                    form.add_error(target, errors)
            else:
                messages.success(request, "已保存项目进度节点。")
                return redirect("projects-detail", pk=project.pk)
    else:
        initial = {"entered_statistics_on": project.entered_statistics_on}
        for kind, dates in services.stage_dates(project).items():
            initial.update(
                {
                    f"{kind}_planned": dates.planned,
                    f"{kind}_actual": dates.actual,
                    f"{kind}_reason": dates.reason,
                }
            )
        form = StagesForm(initial=initial)
    return render(request, "projects/stages_form.html", {"project": project, "form": form})


@require(Cap.ENTER)
@once
def support(request: HttpRequest, pk: int) -> HttpResponse:
    project = editable_project(request, pk)
    form = SupportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        lead_unit = data["lead_unit"] or services.default_support_unit(project, data["category"])
        try:
            item = services.open_support_request(
                project,
                category=data["category"],
                description=data["description"],
                lead_unit=lead_unit,
                owner=data["owner"],
                deadline=data["deadline"],
                user=request.user,
                report=project.reports.order_by("-year", "-month").first(),
            )
        except LifecycleError as exc:
            form.add_error("deadline", str(exc))
        else:
            messages.success(
                request,
                f"已提出要素保障诉求，转为督办事项 {item.task.code}，"
                f"由{lead_unit.name}于 {item.task.deadline:%Y-%m-%d} 前办结。",
            )
            return redirect("projects-detail", pk=project.pk)
    return render(
        request,
        "projects/support_form.html",
        {"project": project, "form": form, "can_route": can(request.user, Cap.DISPATCH)},
    )


@require(Cap.DISPATCH)
def support_routes(request: HttpRequest) -> HttpResponse:
    """Which unit each kind of support request goes to when its reporter names none: the
    dispatch office's to set, since it routes the tracked tasks."""
    form = SupportRoutesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            changed = form.save()
        messages.success(
            request, f"已更新 {changed} 个类别的对口单位。" if changed else "对口单位没有变化。"
        )
        return redirect("projects-support-routes")
    return render(request, "projects/support_routes.html", {"form": form})


@require_POST
@require(Cap.MANAGE)
def thresholds(request: HttpRequest) -> HttpResponse:
    form = ThresholdsForm(request.POST, instance=WarningSettings.row())
    if form.is_valid() and saved(form) is not None:
        messages.success(request, "已更新预警阈值。")
    else:
        messages.error(
            request,
            "预警阈值未保存：" + "；".join(e for errs in form.errors.values() for e in errs),
        )
    return redirect("projects-warnings")
