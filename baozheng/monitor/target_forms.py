"""The form that sets or changes one target (目标) by hand: the same rules as the import
(`tier_problem`, phase periods at the indicator's releases) and a reason for every change,
which the target's history keeps (年中调整)."""

from __future__ import annotations

from django import forms

from baozheng.analysis.periods import Period, is_released
from baozheng.lib.bounds import limited_text
from baozheng.org.models import Unit
from baozheng.org.permissions import can, visible_units
from baozheng.org.roles import Cap
from baozheng.stats.models import Indicator, Target, TargetRevision

MONTHS = [("", "全年目标")] + [(str(m), f"1-{m}月（阶段目标）") for m in range(1, 13)]


class TargetForm(forms.ModelForm):
    phase = forms.TypedChoiceField(
        label="期间", choices=MONTHS, required=False, coerce=int, empty_value=None
    )
    reason = limited_text(
        TargetRevision, "reason", "理由", help_text="如：年度目标下达、年中调整（修改时必填）"
    )

    class Meta:
        model = Target
        fields = [
            "indicator",
            "unit",
            "year",
            "basis",
            "floor",
            "stretch",
            "top",
            "responsible_unit",
            "leader",
        ]

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit"].queryset = visible_units(user).order_by("path")
        self.fields["responsible_unit"].queryset = Unit.objects.order_by("path")
        self.fields["indicator"].queryset = Indicator.objects.order_by("order", "code")
        self.fields["stretch"].help_text = "空：只有一档目标（如“增长5%左右”）"
        self.fields["floor"].help_text = "位次目标填名次（如保三填 3）"
        if self.instance.pk:
            self.initial["phase"] = self.instance.month
            for name in ("indicator", "unit", "year", "basis"):
                self.fields[name].disabled = True
            self.fields["phase"].disabled = True
            self.fields["reason"].help_text = "修改的理由，如：年中调整"
        else:
            self.fields["reason"].initial = "年度目标下达"

    def clean(self):
        data = super().clean()
        indicator, unit = data.get("indicator"), data.get("unit")
        if unit is not None and not can(self.user, Cap.DISPATCH, unit):
            self.add_error("unit", "您没有为该单位设定目标的权限")
        if indicator is None or data.get("year") is None or "floor" not in data:
            return data
        month = data.get("phase")
        self.instance.month = month  # the model's clean and constraints read it
        if month is not None and not is_released(
            Period(data["year"], month), indicator.frequency, indicator.merged_jan_feb
        ):
            self.add_error("phase", f"“{indicator.name}”在1-{month}月没有发布数据，不能设阶段目标")
        return data
