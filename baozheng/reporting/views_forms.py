"""Report forms (报表) and their assignments: everyone may read them; administrators and
the dispatch office create forms and assign them to units within their scope (the
approval chain shown on a form's page is edited in `views_steps`)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from baozheng.lib.once import once
from baozheng.lib.races import saved
from baozheng.org.models import Unit
from baozheng.org.permissions import in_scope, require, scope_q
from baozheng.org.roles import Cap
from baozheng.reporting.forms import AssignmentForm, ReportFormForm, StepForm
from baozheng.reporting.models import FormAssignment, ReportForm
from baozheng.reporting.obligations import assigned_unit_ids
from baozheng.reporting.periods import may_control_periods


def require_manager(user) -> None:
    """Forms, assignments, approval chains and validation rules: admin and dispatch."""
    if not may_control_periods(user):
        raise PermissionDenied("只有管理员和调度办可以维护报表、指派、审核链和校验规则")


@require(Cap.VIEW)
@once
def forms_page(request: HttpRequest) -> HttpResponse:
    forms = list(ReportForm.objects.prefetch_related("indicators", "assignments__unit"))
    counts = {k: len(v) for k, v in assigned_unit_ids(forms).items()}
    for form in forms:
        form.unit_count = counts.get(form.pk, 0)
    may_manage = may_control_periods(request.user)
    editor = ReportFormForm(request.POST or None) if may_manage else None
    if request.method == "POST":
        require_manager(request.user)
        if editor.is_valid() and (created := saved(editor)) is not None:
            messages.success(request, f"已创建报表“{created.name}”，请指派填报单位")
            return redirect(reverse("reporting-form", args=[created.pk]))
    return render(
        request,
        "reporting/forms.html",
        {"forms": forms, "editor": editor, "may_manage": may_manage},
    )


@require(Cap.VIEW)
@once
def form_page(request: HttpRequest, pk: int) -> HttpResponse:
    form = get_object_or_404(ReportForm.objects.prefetch_related("indicators"), pk=pk)
    may_manage = may_control_periods(request.user)
    units = Unit.objects.filter(scope_q(request.user)).order_by("path")
    assigner = AssignmentForm(request.POST or None, units=units, form=form) if may_manage else None
    if request.method == "POST":
        require_manager(request.user)
        assigner.instance.form = form
        if assigner.is_valid() and (assignment := saved(assigner)) is not None:
            messages.success(request, f"已指派：{assignment}")
            return redirect(reverse("reporting-form", args=[form.pk]))
    assignments = form.assignments.select_related("unit").order_by("unit__path")
    members = Unit.objects.filter(pk__in=assigned_unit_ids([form]).get(form.pk, set()))
    return render(
        request,
        "reporting/form.html",
        {
            "form": form,
            "assignments": assignments,
            "members": members.filter(scope_q(request.user)).order_by("path"),
            "assigner": assigner,
            "may_manage": may_manage,
            "steps": form.steps.order_by("order"),
            "step_form": StepForm() if may_manage else None,
        },
    )


@require(Cap.VIEW)
@require_POST
def remove_assignment(request: HttpRequest, pk: int) -> HttpResponse:
    require_manager(request.user)
    assignment = get_object_or_404(FormAssignment.objects.select_related("unit", "form"), pk=pk)
    if not in_scope(request.user, assignment.unit):
        raise PermissionDenied("您没有权限修改该单位的报表指派")
    form_pk = assignment.form_id
    text = str(assignment)
    assignment.delete()
    messages.success(request, f"已取消指派：{text}")
    return redirect(reverse("reporting-form", args=[form_pk]))
