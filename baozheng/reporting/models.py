"""The reporting system (报表制度, docs/rules.md §4): report forms and who owes them, the
periods the office opens, closes and releases, release snapshots with their versions,
correction requests for closed periods, and validation rules.

Who reports what is declared, never inferred: a unit owes exactly the indicators of the
forms assigned to it (`obligations`), so completeness, to-do lists and overdue lists
never count a school for economic statistics unless a form says so.
"""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from baozheng.analysis.periods import Period
from baozheng.lib.bounds import decimal_bounds
from baozheng.org.models import Unit, UnitKind
from baozheng.org.roles import Role
from baozheng.reporting import expressions
from baozheng.stats.models import Frequency, Indicator, Observation

VALUE_DIGITS = {"max_digits": 20, "decimal_places": 4}


class DeadlineKind(models.TextChoices):
    WORKDAYS = "workdays", "期末后工作日"
    DAY = "day", "次月固定日"


class ReportForm(models.Model):
    """A form (报表): indicators reported together, how often and by when."""

    code = models.CharField("表号", max_length=32, unique=True)
    name = models.CharField("表名", max_length=100)
    indicators = models.ManyToManyField(Indicator, verbose_name="指标", related_name="forms")
    frequency = models.CharField(
        "频度", max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    deadline_kind = models.CharField(
        "截止方式", max_length=10, choices=DeadlineKind.choices, default=DeadlineKind.DAY
    )
    deadline_value = models.PositiveSmallIntegerField(
        "截止日/工作日数", default=10, help_text="次月几日，或期末后第几个工作日"
    )
    order = models.PositiveSmallIntegerField("排序", default=0)
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = "报表"
        verbose_name_plural = "报表"
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        limit = 28 if self.deadline_kind == DeadlineKind.DAY else 20
        if not 1 <= self.deadline_value <= limit:
            raise ValidationError({"deadline_value": f"截止日/工作日数应在 1 至 {limit} 之间"})

    @property
    def deadline_label(self) -> str:
        if self.deadline_kind == DeadlineKind.DAY:
            return f"次月{self.deadline_value}日（遇节假日顺延）"
        return f"期末后第{self.deadline_value}个工作日"


class FormAssignment(models.Model):
    """A form assigned to one named unit (no kinds), or to every unit of the given kinds
    within `unit`'s subtree (the unit itself included when its kind is listed)."""

    form = models.ForeignKey(
        ReportForm, verbose_name="报表", on_delete=models.CASCADE, related_name="assignments"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="form_assignments"
    )
    kinds = models.CharField(
        "下级单位类型",
        max_length=200,
        blank=True,
        help_text="为空：只指派给该单位；否则指派给其范围内这些类型的单位（英文值，逗号分隔）",
    )

    class Meta:
        verbose_name = "报表指派"
        verbose_name_plural = "报表指派"
        constraints = [
            models.UniqueConstraint(fields=["form", "unit", "kinds"], name="form_assignment_unique")
        ]

    def __str__(self) -> str:
        return (
            f"{self.form.code} → {self.unit.name}{f'（{self.kinds_label}）' if self.kinds else ''}"
        )

    @property
    def kind_list(self) -> list[str]:
        return [k for k in self.kinds.split(",") if k]

    @property
    def kinds_label(self) -> str:
        return "、".join(UnitKind(k).label for k in self.kind_list)


class PeriodState(models.TextChoices):
    OPEN = "open", "填报中"
    CLOSED = "closed", "已关闭"
    RELEASED = "released", "已发布"


class PeriodError(Exception):
    """A period step the period's state does not allow; the message is for the user."""


class ControlledMonth(models.Model):
    """A month the office opens for entry and later closes: statistics reporting periods
    and key-project months share these fields and the two steps, so that both refuse a
    re-opening or a close out of order in one way. Who may take the steps is checked by
    the services (`periods`, `project_months`), not here."""

    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    state = models.CharField("状态", max_length=10, choices=PeriodState.choices)
    opened_at = models.DateTimeField("开放时间", null=True, blank=True)
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True
        ordering = ["-year", "-month"]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d} {self.get_state_display()}"

    @staticmethod
    def label_of(year: int, month: int) -> str:
        """How messages name the month ("2023年1-9月")."""
        raise NotImplementedError

    @classmethod
    def open_month(cls, user, year: int, month: int) -> Self:
        """Open a month never opened before; call inside a transaction."""
        row, created = cls.objects.select_for_update().get_or_create(
            year=year,
            month=month,
            defaults={"state": PeriodState.OPEN, "opened_at": timezone.now(), "changed_by": user},
        )
        if not created:
            state = "已开放（填报中）" if row.state == PeriodState.OPEN else row.get_state_display()
            raise PeriodError(f"{cls.label_of(year, month)}{state}，不能重新开放")
        return row

    @classmethod
    def close_month(cls, user, year: int, month: int) -> Self:
        """Close an open month; call inside a transaction."""
        row = cls.objects.select_for_update().filter(year=year, month=month).first()
        if row is None or row.state != PeriodState.OPEN:
            raise PeriodError(f"{cls.label_of(year, month)}不在填报中，不能关闭")
        row.state, row.closed_at, row.changed_by = PeriodState.CLOSED, timezone.now(), user
        row.save()
        return row


class ReportingPeriod(ControlledMonth):
    """A period under the office's control. Once the office has opened any period,
    entry is allowed only in open periods; once it has released any, everyone outside
    the statistics staff sees the latest released period by default."""

    released_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta(ControlledMonth.Meta):
        verbose_name = "报告期"
        verbose_name_plural = "报告期"
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="reporting_period_unique")
        ]

    @staticmethod
    def label_of(year: int, month: int) -> str:
        return Period(year, month).label


class Release(models.Model):
    """One immutable version of a released bulletin: the JSON rows and the documents as
    they were at the release time. A correction makes a new version listing its
    differences (更正) against the previous one; earlier versions stay readable."""

    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    parent = models.ForeignKey(
        Unit, verbose_name="上级单位", on_delete=models.PROTECT, related_name="releases"
    )
    version = models.PositiveSmallIntegerField("版本")
    released_at = models.DateTimeField("发布时间")
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    data = models.JSONField("通报数据")
    xlsx = models.BinaryField("Excel 通报", default=b"")
    docx = models.BinaryField("Word 通报", default=b"")
    built_at = models.DateTimeField(
        "原件生成时间", null=True, blank=True, help_text="空：Excel 与 Word 原件仍在后台生成"
    )
    differences = models.JSONField("更正内容", default=list)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "发布版本"
        verbose_name_plural = "发布版本"
        ordering = ["-year", "-month", "parent__path", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "month", "parent", "version"], name="release_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d} {self.parent.name} 第{self.version}版"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValidationError("已发布的版本不可修改，更正请发布新版本")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("已发布的版本不可删除")

    @property
    def period_code(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def built(self) -> bool:
        return self.built_at is not None


class CorrectionState(models.TextChoices):
    PENDING = "pending", "待审批"
    ACCEPTED = "accepted", "已采纳"
    REJECTED = "rejected", "已驳回"
    WITHDRAWN = "withdrawn", "已撤回"


class CorrectionRequest(models.Model):
    """Late or corrected figures for a closed or released period; they reach the
    figures only after the last step of the form's approval chain (`stage` counts the
    steps passed; a form without steps has one approval)."""

    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.CASCADE)
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    value = models.DecimalField("累计值", null=True, blank=True, **VALUE_DIGITS)
    growth = models.DecimalField(
        "同比增长(%)", null=True, blank=True, max_digits=12, decimal_places=4
    )
    reason = models.CharField("更正理由", max_length=300)
    state = models.CharField(
        "状态", max_length=10, choices=CorrectionState.choices, default=CorrectionState.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=300, blank=True)
    observation = models.ForeignKey(
        Observation, verbose_name="数据", null=True, blank=True, on_delete=models.SET_NULL
    )
    stage = models.PositiveSmallIntegerField("已通过审核步骤数", default=0)

    class Meta:
        verbose_name = "更正申请"
        verbose_name_plural = "更正申请"
        ordering = ["-requested_at"]
        constraints = [
            *decimal_bounds(20, 4, "value"),
            *decimal_bounds(12, 4, "growth"),
            # Two pending requests for one figure would be applied in whichever order the
            # approvers reached them, the older one possibly last: one waits at a time.
            models.UniqueConstraint(
                fields=["indicator", "unit", "year", "month"],
                condition=models.Q(state="pending"),
                name="one_pending_correction_per_figure",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit.name}{self.indicator.name}{self.year}-{self.month:02d}更正"


class CorrectionDecision(models.Model):
    """One step's decision on a correction request: passed on, applied (the last step),
    or rejected with a reason. The step's name is copied so that the history reads the
    same after the chain is edited."""

    class Action(models.TextChoices):
        PASSED = "passed", "审核通过，转下一步"
        APPLIED = "applied", "采纳，更正生效"
        REJECTED = "rejected", "驳回"

    correction = models.ForeignKey(
        CorrectionRequest,
        verbose_name="更正申请",
        on_delete=models.CASCADE,
        related_name="decisions",
    )
    step = models.ForeignKey(
        "FormStep", verbose_name="步骤", null=True, blank=True, on_delete=models.SET_NULL
    )
    step_name = models.CharField("步骤名称", max_length=60)
    action = models.CharField("结果", max_length=10, choices=Action.choices)
    note = models.CharField("意见", max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审核人", on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "更正申请审核记录"
        verbose_name_plural = "更正申请审核记录"
        ordering = ["correction", "id"]

    def __str__(self) -> str:
        return f"{self.correction_id} {self.step_name} {self.get_action_display()}"


class RuleKind(models.TextChoices):
    MONTH_NONNEGATIVE = "month_nonnegative", "当月值 ≥ 0（累计值不低于上期）"
    MAX_RATIO_LAST_YEAR = "max_ratio_last_year", "累计值 ≤ 上年同期 × 倍数"
    GROWTH_CONSISTENT = "growth_consistent", "同比增速与累计值、上年同期值一致（容差百分点）"
    NOT_ABOVE_PARENT = "not_above_parent", "本单位累计值 ≤ 上级累计值"
    CHILDREN_NOT_ABOVE = "children_not_above", "下级累计值之和 ≤ 本单位累计值"
    EXPRESSION = "expression", "表达式：左边 运算符 右边"


class RuleScope(models.TextChoices):
    """Whose figures the right-hand expression reads (the left one: the unit's own)."""

    UNIT = "unit", "本单位"
    PARENT = "parent", "上级单位"
    CHILDREN = "children", "下级单位之和"


class Severity(models.TextChoices):
    ERROR = "error", "错误（不能提交）"
    WARNING = "warning", "警告（须书面说明）"


class ValidationRule(models.Model):
    """A validation rule (校验规则) over one indicator: one unit and period, or a unit
    against its parent or children. Empty indicator: every indicator the rule fits.
    A rule is one of the built-in kinds (with `parameter`) or an expression rule: `left`
    `operator` `right`, the right side read from the unit, its parent or the sum of its
    children (`reporting.expressions`)."""

    code = models.CharField("规则编码", max_length=32, unique=True)
    name = models.CharField("规则名称", max_length=100)
    kind = models.CharField("规则类型", max_length=30, choices=RuleKind.choices)
    indicator = models.ForeignKey(
        Indicator,
        verbose_name="指标",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="validation_rules",
    )
    parameter = models.DecimalField(
        "参数", max_digits=12, decimal_places=4, null=True, blank=True, help_text="倍数或容差"
    )
    left = models.CharField("左边表达式", max_length=200, blank=True)
    operator = models.CharField(
        "运算符",
        max_length=2,
        blank=True,
        choices=[("<=", "≤"), ("<", "<"), (">=", "≥"), (">", ">"), ("==", "=")],
    )
    right = models.CharField("右边表达式", max_length=200, blank=True)
    scope = models.CharField(
        "右边取自", max_length=10, choices=RuleScope.choices, default=RuleScope.UNIT
    )
    message = models.CharField("提示语", max_length=200, blank=True)
    severity = models.CharField("级别", max_length=10, choices=Severity.choices)
    active = models.BooleanField("启用", default=True)
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = "校验规则"
        verbose_name_plural = "校验规则"
        ordering = ["code"]
        constraints = decimal_bounds(12, 4, "parameter")

    def __str__(self) -> str:
        return self.name

    @property
    def formula(self) -> str:
        """The rule as the rules page lists it."""
        if self.kind != RuleKind.EXPRESSION:
            extra = f"（参数 {self.parameter.normalize():f}）" if self.parameter is not None else ""
            return f"{self.get_kind_display()}{extra}"
        symbol = expressions.OPERATORS.get(self.operator, self.operator)
        return f"{self.left} {symbol} {self.right}（右边取自{self.get_scope_display()}）"

    def clean(self) -> None:
        """Chinese errors for a malformed rule, on the rules page and in the admin."""
        errors: dict[str, str] = {}
        if self.kind == RuleKind.EXPRESSION:
            for field in ("left", "right"):
                try:
                    parsed = expressions.parse(getattr(self, field))
                except expressions.ExpressionError as error:
                    errors[field] = str(error)
                    continue
                if field == "right" and self.scope != RuleScope.UNIT and "G" in parsed.names:
                    errors[field] = f"右边取自{self.get_scope_display()}时不能使用 G（同比增长）"
            if self.operator not in expressions.OPERATORS:
                errors["operator"] = "请选择运算符"
        else:
            if self.left or self.right:
                errors["kind"] = "填写了表达式时，规则类型应为“表达式”"
            needs = (RuleKind.MAX_RATIO_LAST_YEAR, RuleKind.GROWTH_CONSISTENT)
            if self.kind in needs and self.parameter is None:
                errors["parameter"] = "该类型的规则须填写参数（倍数或容差）"
        if errors:
            raise ValidationError(errors)


class StepLevel(models.TextChoices):
    """Which approvers of the step's role act, by where their scope sits against the
    reporting unit: the unit's own office (scope rooted at the unit: a county's 统计局 or
    调度办 account scoped to the county) or an office above it (scope rooted higher up,
    e.g. the city's department or dispatch office)."""

    ANY = "", "不限（数据范围包含填报单位）"
    SAME = "same", "填报单位本级"
    ABOVE = "above", "上级单位"


class FormStep(models.Model):
    """One approval step of a form's chain (e.g. 县统计局审核 → 市主管部门审核 → 调度办审核),
    acted on by users of `role` whose scope holds the reporting unit at the step's `level`
    (department staff: only for indicators of their department). A form without steps
    has the single approval of `stats.workflow.can_approve`."""

    form = models.ForeignKey(
        ReportForm, verbose_name="报表", on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveSmallIntegerField("顺序")
    name = models.CharField("步骤名称", max_length=40)
    role = models.CharField(
        "审核角色",
        max_length=20,
        choices=[(r.value, r.label) for r in (Role.DEPARTMENT, Role.DISPATCH, Role.ADMIN)],
    )
    level = models.CharField(
        "审核单位层级", max_length=10, choices=StepLevel.choices, default="", blank=True
    )

    class Meta:
        verbose_name = "审核步骤"
        verbose_name_plural = "审核步骤"
        ordering = ["form", "order"]
        constraints = [
            models.UniqueConstraint(fields=["form", "order"], name="form_step_unique_order")
        ]

    def __str__(self) -> str:
        return f"{self.form.code} 第{self.order}步 {self.name}"


class StepApproval(models.Model):
    """A step of the chain passed for one submission (the revision the clerk submitted);
    the observation's current step is the number of these for its latest submission."""

    observation = models.ForeignKey(
        Observation, verbose_name="数据", on_delete=models.CASCADE, related_name="step_approvals"
    )
    submission = models.ForeignKey(
        "stats.ObservationRevision",
        verbose_name="提交记录",
        on_delete=models.CASCADE,
        related_name="+",
    )
    # Kept when the step is later removed from the chain (the revision keeps its name).
    step = models.ForeignKey(
        FormStep, verbose_name="步骤", null=True, blank=True, on_delete=models.SET_NULL
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审核人", on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField("审核时间", auto_now_add=True)

    class Meta:
        verbose_name = "逐级审核记录"
        verbose_name_plural = "逐级审核记录"
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "step"], name="step_approval_once_per_submission"
            )
        ]

    def __str__(self) -> str:
        return f"{self.observation_id} {self.step}"


class ProjectMonth(ControlledMonth):
    """A key-project reporting month under the office's control: progress reports are
    accepted only while it is open, and project pages default to the last closed month
    (once the office has opened any month). It is never released."""

    state = models.CharField(
        "状态",
        max_length=10,
        choices=[(PeriodState.OPEN.value, "填报中"), (PeriodState.CLOSED.value, "已关闭")],
    )

    class Meta(ControlledMonth.Meta):
        verbose_name = "项目填报月份"
        verbose_name_plural = "项目填报月份"
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="project_month_unique")
        ]

    @staticmethod
    def label_of(year: int, month: int) -> str:
        return f"{year}年{month}月项目进展"
