"""Validation rules (校验规则) page: statistics staff read the rules, listed for a form or
an indicator; administrators and the dispatch office create, edit, deactivate and
reactivate them (every change is in the audit trail). Clerks and readers outside the
statistics staff have no business here (403), as for the validation report."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from baozheng.lib.once import once
from baozheng.lib.races import saved
from baozheng.org.permissions import require
from baozheng.org.roles import Cap
from baozheng.reporting import expressions
from baozheng.reporting.forms import RuleForm
from baozheng.reporting.models import ReportForm, ValidationRule
from baozheng.reporting.periods import is_statistics_staff, may_control_periods
from baozheng.reporting.rules import rules_for
from baozheng.reporting.views_forms import require_manager
from baozheng.stats.models import Indicator


def _require_staff(user) -> None:
    if not is_statistics_staff(user):
        raise PermissionDenied("校验规则仅供统计工作人员查看")


def _chosen(model, text: str | None):
    return model.objects.filter(pk=int(text)).first() if text and text.isdigit() else None


@require(Cap.VIEW)
def rules_page(request: HttpRequest) -> HttpResponse:
    _require_staff(request.user)
    form = _chosen(ReportForm, request.GET.get("form"))
    indicator = _chosen(Indicator, request.GET.get("indicator"))
    found = list(ValidationRule.objects.select_related("indicator"))
    if form is not None:
        wanted = list(form.indicators.all())
        found = [r for r in found if any(rules_for(i, [r]) for i in wanted)]
    if indicator is not None:
        found = rules_for(indicator, found)
    return render(
        request,
        "reporting/rules.html",
        {
            "rules": found,
            "forms": ReportForm.objects.all(),
            "indicators": Indicator.objects.order_by("order", "code"),
            "chosen_form": form,
            "chosen_indicator": indicator,
            "may_manage": may_control_periods(request.user),
        },
    )


@require(Cap.VIEW)
@once
def rule_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create (no pk) or edit a rule; malformed expressions are refused in Chinese."""
    _require_staff(request.user)
    require_manager(request.user)
    rule = get_object_or_404(ValidationRule, pk=pk) if pk is not None else None
    editor = RuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and editor.is_valid() and (stored := saved(editor)) is not None:
        messages.success(request, f"已{'修改' if rule else '新建'}校验规则“{stored.name}”")
        return redirect(reverse("reporting-rules"))
    return render(
        request,
        "reporting/rule_edit.html",
        {"editor": editor, "rule": rule, "variables": expressions.VARIABLES},
    )


@require(Cap.VIEW)
@require_POST
def rule_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    """Deactivate a rule (kept, with its history) or activate it again."""
    _require_staff(request.user)
    require_manager(request.user)
    rule = get_object_or_404(ValidationRule, pk=pk)
    rule.active = not rule.active
    rule.save(update_fields=["active"])
    messages.success(request, f"已{'启用' if rule.active else '停用'}校验规则“{rule.name}”")
    return redirect(reverse("reporting-rules"))


@require(Cap.VIEW)
def expression_check(request: HttpRequest) -> HttpResponse:
    """The rule editor's answer while an expression is typed (htmx, after a pause): the
    Chinese error of a malformed expression, or the variables it reads. The same parser
    judges it again when the rule is saved."""
    _require_staff(request.user)
    require_manager(request.user)
    text = request.GET.get("left") or request.GET.get("right") or ""
    if not text.strip():
        return HttpResponse("")
    try:
        parsed = expressions.parse(text)
    except expressions.ExpressionError as error:
        return HttpResponse(format_html('<span class="error">{}</span>', error))
    used = "、".join(f"{name}（{expressions.VARIABLES[name]}）" for name in sorted(parsed.names))
    return HttpResponse(
        format_html('<span class="ok">表达式有效{}</span>', f"：用到 {used}" if used else "")
    )
