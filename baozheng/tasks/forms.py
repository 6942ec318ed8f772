"""Forms of the tasks app's pages. Unit choices are always narrowed to the user's scope."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from baozheng.lib.uploads import attachment_field
from baozheng.org.models import Unit, UnitKind
from baozheng.org.permissions import visible_units
from baozheng.tasks.creditcode import normalise, validate_credit_code
from baozheng.tasks.models import (
    Accountability,
    Complexity,
    Enterprise,
    InstructionTarget,
    Meeting,
    MeetingSeries,
    Priority,
    RequestCategory,
    Satisfaction,
    Status,
)

DATE = forms.DateInput(attrs={"type": "date"})


# Schools and central schools are units of the teacher contest, not of dispatch work.
NOT_DISPATCHED = ["province", "country", UnitKind.SCHOOL, UnitKind.CENTRAL_SCHOOL]


def dispatch_units(user: Any):
    """The units a meeting or task picker offers: the user's scope, without schools."""
    return visible_units(user).exclude(kind__in=NOT_DISPATCHED).order_by("path")


def county_units():
    return Unit.objects.filter(peer_group__code__endswith="-COUNTY")


class UnitScopedForm(forms.Form):
    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = dispatch_units(user)
        for name in ("lead_unit", "helpers", "department"):
            if name in self.fields:
                self.fields[name].queryset = units


class TaskForm(UnitScopedForm):
    """A task raised by hand, or a meeting decision: what, who, by when."""

    title = forms.CharField(
        label="督办事项", max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
    detail = forms.CharField(
        label="具体要求", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    lead_unit = forms.ModelChoiceField(label="牵头单位", queryset=Unit.objects.none())
    helpers = forms.ModelMultipleChoiceField(
        label="配合单位",
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    deadline = forms.DateField(label="办结时限（日期）", required=False, widget=DATE)
    deadline_workdays = forms.IntegerField(
        label="或：自今日起工作日数", required=False, min_value=1, max_value=250
    )
    priority = forms.ChoiceField(
        label="紧急程度", choices=Priority.choices, initial=Priority.NORMAL
    )

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("deadline") and not data.get("deadline_workdays"):
            raise forms.ValidationError("请填写办结时限：具体日期或工作日数")
        if data.get("deadline") and data.get("deadline_workdays"):
            raise forms.ValidationError("办结时限请只填一种：具体日期或工作日数")
        return data


class ProgressForm(forms.Form):
    note = forms.CharField(label="办理进展", widget=forms.Textarea(attrs={"rows": 3}))
    percent_done = forms.IntegerField(
        label="完成进度（%）", required=False, min_value=0, max_value=100
    )
    attachment = attachment_field()


class StepForm(forms.Form):
    to_status = forms.ChoiceField(choices=Status.choices)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    attachment = attachment_field("佐证材料")


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["kind", "title", "held_on", "chair", "attending_units", "agenda", "minutes"]
        widgets = {
            "held_on": DATE,
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "minutes": forms.Textarea(attrs={"rows": 6}),
            "attending_units": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attending_units"].queryset = dispatch_units(user)


class SeriesForm(forms.ModelForm):
    class Meta:
        model = MeetingSeries
        fields = ["kind", "title", "chair", "standing_units", "started_on", "active"]
        widgets = {
            "started_on": DATE,
            "standing_units": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            c
            for c in self.fields["kind"].choices
            if c[0] in ("weekly_review", "ten_day", "monthly")
        ]
        self.fields["standing_units"].queryset = dispatch_units(user)


class EnterpriseForm(forms.ModelForm):
    class Meta:
        model = Enterprise
        fields = [
            "credit_code",
            "name",
            "county",
            "industry",
            "above_scale",
            "cadre_name",
            "cadre_phone",
        ]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = (
            visible_units(user).filter(pk__in=county_units()).order_by("path")
        )

    def clean_credit_code(self) -> str:
        return normalise(self.cleaned_data["credit_code"])


class RequestForm(forms.Form):
    category = forms.ChoiceField(label="诉求类别", choices=RequestCategory.choices)
    complexity = forms.ChoiceField(
        label="问题类型", choices=Complexity.choices, initial=Complexity.GENERAL
    )
    description = forms.CharField(
        label="诉求内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    contact_name = forms.CharField(label="联系人", max_length=60, required=False)
    contact_phone = forms.CharField(label="联系电话", max_length=20, required=False)


class AssignForm(UnitScopedForm):
    department = forms.ModelChoiceField(label="承办单位", queryset=Unit.objects.none())
    complexity = forms.ChoiceField(label="问题类型", choices=Complexity.choices)


class FollowUpForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label="满意度", choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="回访记录", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PublicRequestForm(forms.Form):
    """The form an enterprise fills in without an account. `website` is a honeypot: hidden
    from people by CSS, filled in by robots; `token` is signed with the time the form
    was served, so a form posted faster than a person can type, or never served, is refused."""

    credit_code = forms.CharField(label="统一社会信用代码", max_length=20)
    name = forms.CharField(label="企业名称", max_length=200)
    county = forms.ModelChoiceField(label="所在县市区", queryset=Unit.objects.none())
    category = forms.ChoiceField(label="诉求类别", choices=RequestCategory.choices)
    description = forms.CharField(
        label="诉求内容", min_length=10, max_length=2000, widget=forms.Textarea(attrs={"rows": 5})
    )
    contact_name = forms.CharField(label="联系人", max_length=60)
    contact_phone = forms.RegexField(
        label="联系电话",
        regex=r"^[0-9\-+ ]{7,20}$",
        error_messages={"invalid": "请填写正确的电话号码"},
    )
    website = forms.CharField(label="网址（请勿填写）", required=False)
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = county_units().order_by("path")

    def clean_credit_code(self) -> str:
        code = normalise(self.cleaned_data["credit_code"])
        validate_credit_code(code)
        return code


class ReceiptForm(forms.Form):
    receipt_code = forms.CharField(label="回执码", max_length=12)
    credit_code = forms.CharField(label="统一社会信用代码", max_length=18)


class VisitForm(forms.Form):
    """An inspection visit; photos are read from the request (several files, one field)."""

    visited_on = forms.DateField(label="督导日期", widget=DATE)
    units = forms.ModelMultipleChoiceField(
        label="督导单位",
        queryset=Unit.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    checked = forms.CharField(label="督导内容", widget=forms.Textarea(attrs={"rows": 3}))
    findings = forms.CharField(
        label="发现问题", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units


class InstructionForm(forms.Form):
    """A leader's instruction on an existing task."""

    leader = forms.CharField(label="批示领导", max_length=60)
    given_on = forms.DateField(label="批示日期", widget=DATE)
    content = forms.CharField(label="批示内容", widget=forms.Textarea(attrs={"rows": 3}))


class InstructionTaskForm(TaskForm):
    """A leader's instruction on a project, request or bulletin item, followed as a new task."""

    target_kind = forms.ChoiceField(
        label="批示对象",
        choices=[c for c in InstructionTarget.choices if c[0] != InstructionTarget.TASK],
    )
    target_label = forms.CharField(label="批示对象说明", max_length=200)
    leader = forms.CharField(label="批示领导", max_length=60)
    given_on = forms.DateField(label="批示日期", widget=DATE)
    content = forms.CharField(label="批示内容", widget=forms.Textarea(attrs={"rows": 3}))

    field_order = ["target_kind", "target_label", "leader", "given_on", "content"]

    def clean_given_on(self):
        given_on = self.cleaned_data["given_on"]
        if given_on > timezone.localdate():
            raise forms.ValidationError("批示日期不能晚于今天")
        return given_on


class FeedbackForm(forms.Form):
    feedback = forms.CharField(label="办理情况反馈", widget=forms.Textarea(attrs={"rows": 3}))


class AccountabilityForm(forms.ModelForm):
    document = attachment_field("决定文书")

    class Meta:
        model = Accountability
        fields = [
            "kind",
            "unit",
            "person",
            "basis",
            "tasks",
            "decided_by",
            "decided_on",
            "document_number",
            "document",
        ]
        widgets = {
            "decided_on": DATE,
            "basis": forms.Textarea(attrs={"rows": 3}),
            "tasks": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args: Any, user: Any, tasks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = dispatch_units(user)
        self.fields["tasks"].queryset = tasks
        self.fields["tasks"].help_text = "超期（办结时限已过、尚未反馈）的督办事项"

    def clean_decided_on(self):
        decided_on = self.cleaned_data["decided_on"]
        if decided_on > timezone.localdate():
            raise forms.ValidationError("决定日期不能晚于今天")
        return decided_on

    def clean(self) -> dict:
        data = super().clean()
        unit, tasks = data.get("unit"), data.get("tasks") or []
        if unit is not None:
            strangers = [t.code for t in tasks if not t.lead_unit.path.startswith(unit.path)]
            if strangers:
                raise forms.ValidationError(
                    f"涉及的督办事项须由被追责单位牵头：{'、'.join(strangers)}"
                )
        return data


class RatingForm(forms.Form):
    """The enterprise's own rating of its resolved request (public status page)."""

    satisfaction = forms.ChoiceField(
        label="对办理结果的评价",
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择评价：满意、基本满意或不满意"},
    )
    comment = forms.CharField(
        label="意见和建议", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
