"""Forms of the project pages; the rules themselves are applied by `services`."""

from __future__ import annotations

from django import forms

from baozheng.org.models import Unit, UnitKind, User
from baozheng.projects.models import SupportCategory, WarningSettings
from baozheng.projects.rules import STAGES, Month, parse_month

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultiplePhotoField, self).clean(f, initial) for f in files]


class ProgressForm(forms.Form):
    period = forms.CharField(label="填报月份", help_text="如 2023-06",
                             widget=forms.TextInput(attrs={"type": "month"}))
    invested_month = forms.DecimalField(label="本月完成投资（万元）", max_digits=14, decimal_places=2, min_value=0)
    invested_ytd = forms.DecimalField(label="本年累计完成投资（万元）", max_digits=14, decimal_places=2,
                                      required=False, help_text="留空则按上月累计加本月完成计算")
    narrative = forms.CharField(label="形象进度", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    correction_reason = forms.CharField(label="更正原因", required=False, max_length=200,
                                        help_text="本年累计低于上月累计时必填")
    photos = MultiplePhotoField(label="现场照片（JPEG/PNG/WebP，每张不超过 5 MB）", required=False)

    def clean_period(self) -> Month:
        try:
            return parse_month(self.cleaned_data["period"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


class StagesForm(forms.Form):
    """Planned and actual date plus a reason for each rung, and the 入统 date."""

    entered_statistics_on = forms.DateField(label="入统日期", required=False, widget=DATE)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in STAGES:
            self.fields[f"{kind}_planned"] = forms.DateField(label=f"计划{label}", required=False, widget=DATE)
            self.fields[f"{kind}_actual"] = forms.DateField(label=f"实际{label}", required=False, widget=DATE)
            self.fields[f"{kind}_reason"] = forms.CharField(label=f"{label}说明", required=False, max_length=200)

    def rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [(label, self[f"{k}_planned"], self[f"{k}_actual"], self[f"{k}_reason"]) for k, label in STAGES]


class SupportForm(forms.Form):
    category = forms.ChoiceField(label="类别", choices=SupportCategory.choices)
    description = forms.CharField(label="问题描述", widget=forms.Textarea(attrs={"rows": 3}))
    lead_unit = forms.ModelChoiceField(label="责任单位", required=False, queryset=Unit.objects.none(),
                                       help_text="留空则按类别交给对口部门（用地→自然资源局、用电→供电公司…）")
    owner = forms.ModelChoiceField(label="责任人", required=False, queryset=User.objects.none())
    deadline = forms.DateField(label="办结时限", required=False, widget=DATE, help_text="留空为 10 个工作日")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = Unit.objects.subtree(Unit.objects.home()).filter(
            kind__in=[UnitKind.DEPARTMENT, UnitKind.DISTRICT, UnitKind.COUNTY, UnitKind.COUNTY_CITY,
                      UnitKind.ZONE]
        )
        self.fields["owner"].queryset = User.objects.filter(is_active=True).order_by("username")


class ThresholdsForm(forms.ModelForm):
    class Meta:
        model = WarningSettings
        fields = ["investment_yellow_points", "investment_red_points", "start_yellow_months",
                  "start_red_months", "statistics_yellow_months", "statistics_red_months"]

    def clean(self):
        data = super().clean()
        pairs = [("investment_yellow_points", "investment_red_points"),
                 ("start_yellow_months", "start_red_months"),
                 ("statistics_yellow_months", "statistics_red_months")]
        for yellow, red in pairs:
            if data.get(yellow) is not None and data.get(red) is not None and data[red] < data[yellow]:
                self.add_error(red, "红灯起点不能低于黄灯起点")
        return data
