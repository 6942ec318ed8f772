"""Forms of the assessment pages: the scheme editor (scheme + items), manual figures,
bonus/penalty entries and rank targets. Method and source parameters are JSON, checked by
the pure scoring package and the source registry through the models' `clean`."""

from __future__ import annotations

from django import forms

from baozheng.assessment import sources
from baozheng.assessment.models import (
    Adjustment,
    ManualFigure,
    RankTargetRecord,
    Scheme,
    SchemeItem,
)
from baozheng.assessment.periods import KINDS, AssessmentPeriod, PeriodError, parse_period
from baozheng.lib.uploads import attachment_field
from baozheng.org.models import PeerGroup, Unit


class SchemeForm(forms.ModelForm):
    class Meta:
        model = Scheme
        fields = [
            "code",
            "name",
            "subjects",
            "peer_group",
            "period_kind",
            "tiers",
            "parts",
            "parts_missing",
            "description",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "tiers": forms.Textarea(attrs={"rows": 2}),
            "parts": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["peer_group"].queryset = PeerGroup.objects.select_related("parent")


class ItemForm(forms.ModelForm):
    source = forms.ChoiceField(label="数据来源")

    class Meta:
        model = SchemeItem
        fields = [
            "order",
            "key",
            "group",
            "name",
            "points",
            "source",
            "source_params",
            "method",
            "method_params",
            "missing_rule",
        ]
        widgets = {
            "source_params": forms.TextInput(attrs={"size": 24}),
            "method_params": forms.Textarea(attrs={"rows": 2, "cols": 40}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [(k, s.label) for k, s in sources.SOURCES.items()]


ItemFormSet = forms.inlineformset_factory(
    Scheme, SchemeItem, form=ItemForm, extra=1, can_delete=True
)


class PeriodField(forms.CharField):
    """The last month of the period, as 2023-06."""

    def __init__(self, **kwargs) -> None:
        super().__init__(label="期间（截止月份）", max_length=10, **kwargs)


def period_from(text: str, kind: str) -> AssessmentPeriod:
    try:
        return parse_period(text, kind)
    except PeriodError as exc:
        raise forms.ValidationError(str(exc)) from None


class PeriodEntryForm(forms.ModelForm):
    """Shared by manual figures and adjustments: unit limited to the user's scope, period typed."""

    period = PeriodField()

    def __init__(self, *args, units=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()
        self.fields["period_kind"].choices = list(KINDS.items())

    def clean(self) -> dict:
        data = super().clean()
        if data.get("period") and data.get("period_kind"):
            period = period_from(data["period"], data["period_kind"])
            self.instance.period_year, self.instance.period_month = period.year, period.month
        return data


class ManualFigureForm(PeriodEntryForm):
    evidence_file = attachment_field("佐证材料")

    class Meta:
        model = ManualFigure
        fields = ["key", "unit", "period_kind", "period", "value", "evidence_text", "evidence_file"]
        widgets = {"evidence_text": forms.Textarea(attrs={"rows": 2})}


class AdjustmentForm(PeriodEntryForm):
    evidence_file = attachment_field("佐证材料")

    class Meta:
        model = Adjustment
        fields = [
            "key",
            "unit",
            "period_kind",
            "period",
            "kind",
            "points",
            "reason",
            "evidence_text",
            "evidence_file",
        ]
        widgets = {"evidence_text": forms.Textarea(attrs={"rows": 2})}


class RankTargetForm(forms.ModelForm):
    class Meta:
        model = RankTargetRecord
        fields = ["unit", "scheme_code", "year", "floor", "stretch", "top"]

    def __init__(self, *args, units=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()


class ComputeForm(forms.Form):
    period = PeriodField()
