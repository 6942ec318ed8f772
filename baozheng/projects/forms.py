"""Forms of the project pages; the rules themselves are applied by `services`."""

from __future__ import annotations

from django import forms
from django.db.models import Case, When

from baozheng.org.models import Unit, UnitKind, User
from baozheng.org.permissions import can, scoped
from baozheng.org.roles import Cap, Role
from baozheng.projects.facts import can_maintain
from baozheng.projects.models import (
    BatchEntry,
    Category,
    Industry,
    Project,
    SupportCategory,
    SupportRoute,
    WarningSettings,
)
from baozheng.projects.registry import COUNTY_KINDS, LABELS, Lookups, RegistryEntry, parse_registry
from baozheng.projects.rules import STAGES, Month, parse_month

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultiplePhotoField, self).clean(f, initial) for f in files]


class ProgressForm(forms.Form):
    period = forms.CharField(
        label="填报月份", help_text="如 2023-06", widget=forms.TextInput(attrs={"type": "month"})
    )
    invested_month = forms.DecimalField(
        label="本月完成投资（万元）", max_digits=14, decimal_places=2, min_value=0
    )
    invested_ytd = forms.DecimalField(
        label="本年累计完成投资（万元）",
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text="留空则按上月累计加本月完成计算",
    )
    narrative = forms.CharField(
        label="形象进度", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    correction_reason = forms.CharField(
        label="更正原因", required=False, max_length=200, help_text="本年累计低于上月累计时必填"
    )
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
            self.fields[f"{kind}_planned"] = forms.DateField(
                label=f"计划{label}", required=False, widget=DATE
            )
            self.fields[f"{kind}_actual"] = forms.DateField(
                label=f"实际{label}", required=False, widget=DATE
            )
            self.fields[f"{kind}_reason"] = forms.CharField(
                label=f"{label}说明", required=False, max_length=200
            )

    def rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (label, self[f"{k}_planned"], self[f"{k}_actual"], self[f"{k}_reason"])
            for k, label in STAGES
        ]


def support_units():
    """The units a support request may go to: the home unit's departments, then its
    counties and zones, each in code order (a city's department codes need not extend
    the city's own, as the demo's do, so the code alone does not put them first)."""
    kinds = [
        UnitKind.DEPARTMENT,
        UnitKind.DISTRICT,
        UnitKind.COUNTY,
        UnitKind.COUNTY_CITY,
        UnitKind.ZONE,
    ]
    departments_first = Case(When(kind=UnitKind.DEPARTMENT, then=0), default=1)
    return (
        Unit.objects.subtree(Unit.objects.home())
        .filter(kind__in=kinds)
        .order_by(departments_first, "path")
    )


def routes_sentence(routes: list[SupportRoute]) -> str:
    """What happens to a request without a unit, as the routes now stand."""
    fallback = "交项目牵头单位（未设牵头单位的交项目所在县市区）"
    if not routes:
        return f"留空则{fallback}；各类别的对口单位尚未设置"
    named = "、".join(f"{r.get_category_display()}→{r.unit.name}" for r in routes)
    return f"留空则按类别交对口单位：{named}；其余类别{fallback}"


class SupportForm(forms.Form):
    category = forms.ChoiceField(label="类别", choices=SupportCategory.choices)
    description = forms.CharField(label="问题描述", widget=forms.Textarea(attrs={"rows": 3}))
    lead_unit = forms.ModelChoiceField(
        label="责任单位", required=False, queryset=Unit.objects.none()
    )
    owner = forms.ModelChoiceField(label="责任人", required=False, queryset=User.objects.none())
    deadline = forms.DateField(
        label="办结时限", required=False, widget=DATE, help_text="留空为 10 个工作日"
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = support_units()
        self.fields["lead_unit"].help_text = routes_sentence(
            list(SupportRoute.objects.select_related("unit"))
        )
        self.fields["owner"].queryset = User.objects.filter(is_active=True).order_by("username")


# Kinds of request that can have a route; 其他 always goes to the project's lead unit.
ROUTED = [c for c in SupportCategory if c != SupportCategory.OTHER]


class SupportRoutesForm(forms.Form):
    """One choice per kind of request: its 对口单位, or none."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        stored = {r.category: r for r in SupportRoute.objects.all()}
        units = support_units()
        for category in ROUTED:
            route = stored.get(category)
            self.fields[category] = forms.ModelChoiceField(
                label=category.label,
                required=False,
                queryset=units,
                initial=route.unit_id if route else None,
                empty_label="未设置（交项目牵头单位）",
            )

    def save(self) -> int:
        """Store the choices; returns how many routes changed (each change is audited).
        Read again as it writes, not as the form found them: two staff saving at once
        each get their choice stored (the later one stays), never a duplicate route."""
        changed = 0
        for category in ROUTED:
            unit = self.cleaned_data[category]
            if unit is None:
                deleted, _ = SupportRoute.objects.filter(category=category).delete()
                changed += bool(deleted)
                continue
            route, created = SupportRoute.objects.get_or_create(
                category=category, defaults={"unit": unit}
            )
            if created:
                changed += 1
            elif route.unit_id != unit.pk:
                route.unit = unit
                route.save()
                changed += 1
        return changed


class ThresholdsForm(forms.ModelForm):
    class Meta:
        model = WarningSettings
        fields = [
            "investment_yellow_points",
            "investment_red_points",
            "start_yellow_months",
            "start_red_months",
            "statistics_yellow_months",
            "statistics_red_months",
        ]

    def clean(self):
        data = super().clean()
        pairs = [
            ("investment_yellow_points", "investment_red_points"),
            ("start_yellow_months", "start_red_months"),
            ("statistics_yellow_months", "statistics_red_months"),
        ]
        for yellow, red in pairs:
            if (
                data.get(yellow) is not None
                and data.get(red) is not None
                and data[red] < data[yellow]
            ):
                self.add_error(red, "红灯起点不能低于黄灯起点")
        return data


def _select(blank: bool, choices: list[tuple[str, str]]) -> forms.Select:
    return forms.Select(choices=([("", "—")] if blank else []) + choices)


class RegistryForm(forms.Form):
    """A project's registry (登记信息) as the texts an import row carries, so that
    `registry.parse_registry` judges it exactly as it judges the import; the choices
    below are only a convenience (a forged value is refused by the same rules).

    The form adds what an import does not know: the code must not belong to another
    project, and the user must be allowed to maintain a project of the chosen county
    and department (`facts.can_maintain`)."""

    def __init__(self, *args, user: User, project: Project | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user, self.project, self.look = user, project, Lookups()
        self.entry: RegistryEntry | None = None
        initial = self.initial
        counties = [
            (u.code, u.name) for u in scoped(Unit.objects.filter(kind__in=COUNTY_KINDS), user, "")
        ]
        home = Unit.objects.subtree(Unit.objects.home())
        departments = [(u.code, u.name) for u in home.filter(kind=UnitKind.DEPARTMENT)]
        leaders = [
            (u.username, str(u)) for u in User.objects.filter(role=Role.LEADER, is_active=True)
        ]
        widgets = {
            "county": _select(True, counties),
            "department": _select(
                True, _with_current(departments, initial.get("department"), self.look)
            ),
            "lead_unit": _select(
                True, _with_current(departments + counties, initial.get("lead_unit"), self.look)
            ),
            "industry": _select(False, list(Industry.choices)),
            "manufacturing": _select(False, [("否", "否"), ("是", "是")]),
            "category": _select(False, list(Category.choices)),
            "batch_side": _select(True, list(BatchEntry.Side.choices)),
            "batch_date": forms.DateInput(attrs={"type": "date"}),
            "batch": forms.TextInput(attrs={"list": "batch-names"}),
            "leader_account": _select(
                True, _with_current(leaders, initial.get("leader_account"), None)
            ),
            "total_investment": forms.TextInput(attrs={"inputmode": "decimal"}),
            "annual_plan": forms.TextInput(attrs={"inputmode": "decimal"}),
            "plan_year": forms.TextInput(attrs={"inputmode": "numeric"}),
        }
        help_texts = {
            "total_investment": "万元，可带千分位",
            "annual_plan": "万元；填写时须填写计划年度",
            "batch": "选择已有批次或填写新批次名称",
            "batch_date": "新批次必填",
            "leader_account": "该领导据此看到“我的分包项目”",
        }
        required = {
            "code",
            "name",
            "county",
            "industry",
            "manufacturing",
            "total_investment",
            "category",
        }
        for key, label in LABELS.items():
            attrs = {"required": True} if key in required else {}
            widget = widgets.get(key, forms.TextInput())
            widget.attrs.update(attrs)
            self.fields[key] = forms.CharField(
                label=label,
                required=False,
                strip=False,
                widget=widget,
                help_text=help_texts.get(key, ""),
            )

    def clean(self) -> dict:
        data = super().clean()
        entry, problems = parse_registry(lambda key: data.get(key) or "", self.look)
        for key, message in problems:
            self.add_error(key, message)
        if entry is None:
            return data
        values = entry.values
        others = Project.objects.filter(code=values["code"])
        if self.project is not None:
            others = others.exclude(pk=self.project.pk)
        if others.exists():
            self.add_error("code", f"项目编码“{values['code']}”已被其他项目使用")
        elif not can(self.user, Cap.ENTER, values["county"]):
            self.add_error("county", "您只能登记本人负责的县市区的项目")
        elif not can_maintain(self.user, values["county"], values["department"]):
            self.add_error("department", "部门人员只能登记本部门主管的项目")
        else:
            self.entry = entry
        return data


def _with_current(
    choices: list[tuple[str, str]], current: str | None, look: Lookups | None
) -> list[tuple[str, str]]:
    """Keep a value recorded earlier (e.g. by an import) selectable when editing."""
    if not current or any(code == current for code, _ in choices):
        return choices
    name = look.unit_by_code[current].name if look and current in look.unit_by_code else current
    return [*choices, (current, name)]
