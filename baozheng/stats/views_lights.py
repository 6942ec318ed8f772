"""亮灯规则: the amber margins every page, export and the bulletin read
(`baozheng.stats.bulletin.status_rules`), set by the administrator here — globally and,
where an indicator needs other margins, for that indicator. Changes are audited
(django-auditlog), which also moves the monitoring cache to the new rules."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from baozheng.lib.races import saved
from baozheng.org.permissions import require
from baozheng.org.roles import Cap
from baozheng.stats.models import Indicator, LightRule

MARGINS = ("at_risk_growth_pp", "at_risk_completion_pp", "at_risk_rate_pp")


class LightRuleForm(forms.ModelForm):
    class Meta:
        model = LightRule
        fields = ["indicator", *MARGINS]

    def __init__(self, *args, global_rule: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if global_rule:
            del self.fields["indicator"]
        else:
            taken = LightRule.objects.exclude(pk=self.instance.pk).exclude(indicator=None)
            self.fields["indicator"].required = True
            self.fields["indicator"].queryset = Indicator.objects.exclude(
                pk__in=taken.values("indicator_id")
            ).order_by("order", "code")
        for name in MARGINS:
            self.fields[name].validators.append(_not_negative)


def _not_negative(value: Decimal) -> None:
    if value < 0:
        raise forms.ValidationError("预警幅度不能为负数")


@require(Cap.MANAGE)
def light_rules(request: HttpRequest) -> HttpResponse:
    """The global rule (created with docs/rules.md §3's defaults on first save) and the overrides."""
    global_rule = LightRule.objects.filter(indicator=None).first() or LightRule()
    which = request.POST.get("which")
    global_form = LightRuleForm(
        request.POST if which == "global" else None, instance=global_rule, global_rule=True
    )
    new_form = LightRuleForm(request.POST if which == "new" else None)
    for form, done in ((global_form, "全局亮灯规则已保存"), (new_form, "指标亮灯规则已添加")):
        if form.is_bound and form.is_valid() and saved(form) is not None:
            messages.success(request, done)
            return redirect("stats-light-rules")
    return render(
        request,
        "stats/light_rules.html",
        {
            "global_form": global_form,
            "new_form": new_form,
            "overrides": LightRule.objects.exclude(indicator=None)
            .select_related("indicator")
            .order_by("indicator__order", "indicator__code"),
        },
    )


@require(Cap.MANAGE)
def light_rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(LightRule.objects.exclude(indicator=None), pk=pk)
    form = LightRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid() and saved(form) is not None:
        messages.success(request, f"“{rule.indicator}”的亮灯规则已保存")
        return redirect("stats-light-rules")
    return render(request, "stats/light_rule_form.html", {"form": form, "rule": rule})


@require_POST
@require(Cap.MANAGE)
def light_rule_remove(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(LightRule.objects.exclude(indicator=None), pk=pk)
    rule.delete()
    messages.success(request, f"“{rule.indicator}”改用全局亮灯规则")
    return redirect("stats-light-rules")
