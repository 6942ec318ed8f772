"""Web forms of the reporting pages; every label and message in Chinese."""

from __future__ import annotations

from django import forms
from django.urls import reverse

from baozheng.lib.bounds import limited_text
from baozheng.org.models import Unit, UnitKind
from baozheng.reporting.models import (
    CorrectionRequest,
    FormAssignment,
    FormStep,
    ReportForm,
    ValidationRule,
)
from baozheng.stats.models import Indicator

REPORTING_KINDS = [
    (k.value, k.label)
    for k in UnitKind
    if k not in (UnitKind.COUNTRY, UnitKind.PROVINCE, UnitKind.DEPARTMENT)
]


class ReportFormForm(forms.ModelForm):
    indicators = forms.ModelMultipleChoiceField(
        label="指标", queryset=Indicator.objects.all(), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ReportForm
        fields = ["code", "name", "indicators", "frequency", "deadline_kind", "deadline_value"]


class AssignmentForm(forms.ModelForm):
    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.none())
    kinds = forms.MultipleChoiceField(
        label="其范围内的单位类型（不选：只指派给该单位）",
        choices=REPORTING_KINDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = FormAssignment
        fields = ["unit", "kinds"]

    def __init__(self, *args, units=None, form=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.all()
        self.report_form = form

    def clean_kinds(self) -> str:
        return ",".join(sorted(self.cleaned_data["kinds"]))

    def clean(self):
        data = super().clean()
        if (
            self.report_form is not None
            and data.get("unit")
            and FormAssignment.objects.filter(
                form=self.report_form, unit=data["unit"], kinds=data.get("kinds", "")
            ).exists()
        ):
            raise forms.ValidationError("该报表已按同样方式指派给该单位")
        return data


class CorrectionForm(forms.Form):
    indicator = forms.ModelChoiceField(label="指标", queryset=Indicator.objects.all())
    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.none())
    period = forms.CharField(label="期间（如 2023-09）", max_length=20)
    value = forms.CharField(label="累计值", required=False, max_length=40)
    growth = forms.CharField(label="同比增长(%)", required=False, max_length=40)
    reason = limited_text(CorrectionRequest, "reason", "更正理由")

    def __init__(self, *args, units=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()


class StepForm(forms.ModelForm):
    class Meta:
        model = FormStep
        fields = ["name", "role", "level"]


class RuleForm(forms.ModelForm):
    """A validation rule; the model's `clean` gives the Chinese errors of a malformed
    expression or a missing parameter."""

    class Meta:
        model = ValidationRule
        fields = [
            "code",
            "name",
            "indicator",
            "kind",
            "parameter",
            "left",
            "operator",
            "right",
            "scope",
            "message",
            "severity",
            "active",
        ]
        help_texts = {
            "left": "本单位的数：V 本期累计值、G 同比增长(%)、L 上年同期累计值、Vp 上期累计值、"
            "Lp 上年同期的上期累计值；可用数字、+ - * /、括号和 abs()，如 V - Vp",
            "right": "如 0、L * 3；“右边取自”为上级单位或下级单位之和时，V、L、Vp、Lp 取自该单位（们）",
            "indicator": "为空：适用于所有适用的指标",
            "message": "违反时显示在数字之前，如“单月值不得为负”",
        }

    def __init__(self, *args, **kwargs) -> None:
        """Each expression is checked as it is typed (`expression_check`): the answer
        appears under the form, where 左边/右边 are named."""
        super().__init__(*args, **kwargs)
        for side in ("left", "right"):
            self.fields[side].widget.attrs.update(
                {
                    "hx-get": reverse("reporting-rule-check"),
                    "hx-trigger": "input changed delay:400ms, load",
                    "hx-target": f"#check-{side}",
                }
            )
