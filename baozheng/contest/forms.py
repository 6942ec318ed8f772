"""Forms of the contest setup pages. Value rules live in `setup_rules`; the forms tie them
to fields and to the contest being set up (choices limited to that contest and its units)."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.db.models import Q

from baozheng.contest import setup_rules
from baozheng.contest.models import (
    Contest,
    Division,
    Judge,
    Room,
    Rubric,
    RubricItem,
    SchoolTeachers,
    Session,
    Stage,
    Topic,
    Venue,
    Zone,
)
from baozheng.org.models import Unit, UnitKind, User
from baozheng.org.permissions import can, visible_units
from baozheng.org.roles import Cap, Role

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")

# Fields that change how sheets turn into results: locked at the first submitted sheet.
SCORING_RULES = (
    "trim_threshold",
    "frontline_pct",
    "researcher_pct",
    "first_prize_pct",
    "second_prize_pct",
    "third_prize_pct",
    "absent_in_quota_base",
)


def check_phone(text: str) -> str:
    """A mainland mobile (11 digits) or a landline with area code; "" when empty."""
    text = text.strip().replace(" ", "")
    if text and not PHONE.match(text):
        raise forms.ValidationError(f"电话“{text}”格式不正确，应为 11 位手机号或带区号的固定电话")
    return text


def contest_units(contest: Contest):
    return Unit.objects.subtree(contest.unit)


class ContestForm(forms.ModelForm):
    """A contest and its rules. Weights are entered in percent (70 / 30) and stored as
    fractions; once a sheet exists the scoring rules are shown but refused (`lock`)."""

    frontline_pct = forms.DecimalField(
        label="一线教师权重(%)", min_value=0, max_value=100, decimal_places=0, initial=70
    )
    researcher_pct = forms.DecimalField(
        label="教研员权重(%)", min_value=0, max_value=100, decimal_places=0, initial=30
    )

    class Meta:
        model = Contest
        fields = [
            "code",
            "name",
            "unit",
            "starts",
            "ends",
            "trim_threshold",
            "frontline_pct",
            "researcher_pct",
            "first_prize_pct",
            "second_prize_pct",
            "third_prize_pct",
            "absent_in_quota_base",
            "recuse_same_school",
            "recuse_same_central_school",
            "recuse_same_county",
            "panel_frontline",
            "panel_researcher",
            "notice_workdays",
            "normalisation_min_sample",
        ]
        widgets = {"starts": DATE, "ends": DATE}

    def __init__(self, *args, user: User, lock: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lock = lock
        self.fields["unit"].queryset = (
            visible_units(user)
            .exclude(kind__in=[UnitKind.SCHOOL, UnitKind.CENTRAL_SCHOOL])
            .order_by("path")
        )
        if self.instance.pk:
            self.initial["frontline_pct"] = (self.instance.frontline_weight * 100).quantize(
                Decimal(1)
            )
            self.initial["researcher_pct"] = (self.instance.researcher_weight * 100).quantize(
                Decimal(1)
            )
        if lock:
            for name in SCORING_RULES:
                self.fields[name].disabled = True

    def clean(self) -> dict:
        data = super().clean()
        if self.lock:
            changed = [self.fields[n].label for n in SCORING_RULES if self._posted_differs(n)]
            if changed:
                raise forms.ValidationError(f"{'、'.join(changed)}未修改。{self.lock}")
        errors = []
        if {"frontline_pct", "researcher_pct"} <= data.keys():
            errors += setup_rules.weight_errors(data["frontline_pct"], data["researcher_pct"])
        if {"first_prize_pct", "second_prize_pct", "third_prize_pct"} <= data.keys():
            errors += setup_rules.quota_errors(
                data["first_prize_pct"], data["second_prize_pct"], data["third_prize_pct"]
            )
        if data.get("starts") and data.get("ends"):
            if data["starts"] > data["ends"]:
                errors.append("开始日期不能晚于结束日期")
            elif self.instance.pk:
                outside = (
                    Session.objects.filter(venue__zone__contest=self.instance)
                    .filter(Q(date__lt=data["starts"]) | Q(date__gt=data["ends"]))
                    .count()
                )
                if outside:
                    errors.append(f"有 {outside} 个场次的日期不在新的起止日期内，请先调整场次")
        if data.get("panel_frontline") == 0 and data.get("panel_researcher") == 0:
            errors.append("每场至少需要一名评委")
        if errors:
            raise forms.ValidationError(errors)
        return data

    def _posted_differs(self, name: str) -> bool:
        """A locked field the request tried to change (browsers do not send disabled fields)."""
        raw = self.data.get(self.add_prefix(name))
        if raw in (None, ""):
            return False
        try:
            return self.fields[name].to_python(raw) != Decimal(
                self.get_initial_for_field(self.fields[name], name)
            )
        except (forms.ValidationError, ArithmeticError):
            return True

    def save(self, commit: bool = True) -> Contest:
        contest = super().save(commit=False)
        contest.frontline_weight = self.cleaned_data["frontline_pct"] / 100
        contest.researcher_weight = self.cleaned_data["researcher_pct"] / 100
        if commit:
            contest.save()
        return contest


class ContestChildForm(forms.ModelForm):
    """A row that belongs to a contest: the contest is fixed by the page, not by the form."""

    unique_fields: tuple[str, ...] = ()
    unique_message = ""

    def __init__(self, *args, contest: Contest, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.contest = contest

    def clean(self) -> dict:
        data = super().clean()
        if self.unique_fields and all(data.get(f) is not None for f in self.unique_fields):
            twins = self._meta.model.objects.filter(
                contest=self.contest, **{f: data[f] for f in self.unique_fields}
            )
            if twins.exclude(pk=self.instance.pk).exists():
                raise forms.ValidationError(self.unique_message)
        return data

    def save(self, commit: bool = True):
        self.instance.contest = self.contest
        return super().save(commit)


class StageForm(ContestChildForm):
    unique_fields = ("kind",)
    unique_message = "本赛事已有这个阶段"

    class Meta:
        model = Stage
        fields = ["kind", "order"]


class DivisionForm(ContestChildForm):
    unique_fields = ("stage", "subject", "school_stage")
    unique_message = "本阶段已有这个学科和学段的组别"

    class Meta:
        model = Division
        fields = ["stage", "subject", "school_stage", "rubric", "grade_min", "grade_max"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = self.contest.stages.all()
        self.fields["rubric"].queryset = self.contest.rubrics.order_by("pk")
        self.fields["grade_min"].help_text = "可选：借班上课只抽这个年级范围内的班级"

    def clean(self):
        data = super().clean()
        low, high = data.get("grade_min"), data.get("grade_max")
        if low is not None and high is not None and low > high:
            raise forms.ValidationError("借班年级（起）不能大于借班年级（止）")
        return data


class RubricForm(ContestChildForm):
    class Meta:
        model = Rubric
        fields = ["name"]


class RubricItemForm(forms.ModelForm):
    class Meta:
        model = RubricItem
        fields = ["order", "name", "max_points", "step", "guidance"]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("max_points") is not None and data.get("step") is not None:
            problem = setup_rules.step_error(data["max_points"], data["step"])
            if problem:
                raise forms.ValidationError(problem)
        return data


RubricItemFormSet = forms.inlineformset_factory(
    Rubric,
    RubricItem,
    form=RubricItemForm,
    extra=2,
    can_delete=True,
    min_num=1,
    validate_min=True,
)


class ZoneForm(ContestChildForm):
    class Meta:
        model = Zone
        fields = ["name", "order"]


class VenueForm(forms.ModelForm):
    """A venue; its head approves corrections and releases names, so it must be contest
    staff who may act on this contest."""

    class Meta:
        model = Venue
        fields = ["zone", "name", "address", "head"]

    def __init__(self, *args, contest: Contest, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.contest = contest
        self.fields["zone"].queryset = contest.zones.all()
        self.fields["head"].queryset = User.objects.filter(
            role=Role.CONTEST_STAFF, is_active=True
        ).order_by("username")
        self.fields["head"].help_text = "须为本赛事范围内的赛事工作人员账户"

    def clean_head(self) -> User | None:
        head = self.cleaned_data.get("head")
        if head is not None and not can(head, Cap.CONTEST, self.contest.unit):
            raise forms.ValidationError(
                f"{head} 不是本赛事主办单位范围内的赛事工作人员，不能担任赛点负责人"
            )
        return head


class RoomForm(forms.ModelForm):
    class Meta:
        model = Room
        fields = ["name"]


class SessionForm(forms.ModelForm):
    """A time slot in a room of this venue: within the contest's dates, not overlapping
    another session in the same room."""

    class Meta:
        model = Session
        fields = ["room", "division", "date", "starts", "ends"]
        widgets = {"date": DATE, "starts": TIME, "ends": TIME}

    def __init__(self, *args, venue: Venue, lock: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.venue = venue
        self.fields["room"].queryset = venue.rooms.all()
        self.fields["division"].queryset = Division.objects.filter(
            contest=venue.zone.contest
        ).select_related("stage")
        if lock:
            self.fields["division"].disabled = True
            self.fields["division"].help_text = lock

    def clean(self) -> dict:
        data = super().clean()
        contest = self.venue.zone.contest
        day, starts, ends, room = (
            data.get("date"),
            data.get("starts"),
            data.get("ends"),
            data.get("room"),
        )
        if day and not contest.starts <= day <= contest.ends:
            self.add_error("date", f"日期须在赛事起止日期 {contest.starts} 至 {contest.ends} 之内")
        if starts and ends and starts >= ends:
            self.add_error("ends", "结束时间须晚于开始时间")
        elif day and starts and ends and room:
            clash = (
                Session.objects.filter(room=room, date=day, starts__lt=ends, ends__gt=starts)
                .exclude(pk=self.instance.pk)
                .first()
            )
            if clash:
                raise forms.ValidationError(f"与同一教室的场次“{clash}”时间重叠")
        return data

    def save(self, commit: bool = True) -> Session:
        self.instance.venue = self.venue
        return super().save(commit)


class TopicForm(ContestChildForm):
    unique_fields = ("code",)
    unique_message = "题库中已有这个题目编号"

    class Meta:
        model = Topic
        fields = ["code", "subject", "school_stage", "title", "source"]


class JudgeForm(ContestChildForm):
    class Meta:
        model = Judge
        fields = ["name", "group", "unit", "subjects", "phone", "user"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = contest_units(self.contest).order_by("path")
        self.fields["unit"].help_text = "用于回避判断：学校、中心校或教研室"
        self.fields["user"].queryset = User.objects.filter(
            role=Role.JUDGE, is_active=True
        ).order_by("username")
        self.fields["user"].help_text = "可选；关联后评委登录即可在“我的评分”看到评分链接"

    def clean_phone(self) -> str:
        return check_phone(self.cleaned_data.get("phone", ""))


class SchoolTeachersForm(forms.ModelForm):
    class Meta:
        model = SchoolTeachers
        fields = ["school", "teachers"]

    def __init__(self, *args, contest: Contest, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = (
            contest_units(contest).filter(kind=UnitKind.SCHOOL).order_by("path")
        )


class ImportForm(forms.Form):
    file = forms.FileField(label="文件（xlsx 或 csv）")
    dry_run = forms.BooleanField(label="试导入（只检查，不保存）", required=False, initial=True)
