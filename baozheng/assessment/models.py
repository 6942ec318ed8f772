"""Assessment schemes (versioned), manual figures, bonus/penalty entries, runs and rank targets.

A published run is a frozen snapshot: it copies each item's name, points, figure and "why"
so that later edits of the scheme change nothing in it, and the models refuse to change or
delete a published run, its rows and its items — `save`, `delete` and the queryset's
`update`, `delete` and `bulk_create` all raise `FrozenError`. A recomputation makes a new
run version instead. A scheme version that has a published run is frozen the same way;
editing it creates the next version (`services.new_version`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from baozheng.assessment import methods, standings
from baozheng.assessment.periods import KINDS, AssessmentPeriod
from baozheng.lib.bounds import decimal_bounds
from baozheng.org.models import PeerGroup, Unit

PERIOD_KINDS = list(KINDS.items())


class FrozenError(Exception):
    """Raised on any attempt to alter a published run or a scheme version that has one."""


class Subjects(models.TextChoices):
    PEER_GROUP = "peer_group", "分组内的县市区/功能区"
    DEPARTMENTS = "departments", "市直部门"


class MissingRule(models.TextChoices):
    ZERO = "zero", methods.MISSING_RULES["zero"]
    EXCLUDE = "exclude", methods.MISSING_RULES["exclude"]


class Scheme(models.Model):
    code = models.SlugField("方案编码", max_length=40, help_text="各版本共用，如 sangeyipi")
    version = models.PositiveSmallIntegerField("版本", default=1)
    name = models.CharField("方案名称", max_length=100)
    subjects = models.CharField(
        "考评对象", max_length=20, choices=Subjects.choices, default=Subjects.PEER_GROUP
    )
    peer_group = models.ForeignKey(
        PeerGroup,
        verbose_name="考评分组",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessment_schemes",
    )
    period_kind = models.CharField(
        "考评周期", max_length=10, choices=PERIOD_KINDS, default="quarter"
    )
    tiers = models.JSONField(
        "方阵划分",
        default=list,
        blank=True,
        help_text='如 [{"label":"第一方阵","max_rank":4},{"label":"第二方阵","max_rank":9},{"label":"第三方阵"}]',
    )
    parts = models.JSONField(
        "年度组成",
        default=list,
        blank=True,
        help_text='年度考评由其他方案加权：[{"scheme":"编码","weight":10}]，本方案各项占其余权重',
    )
    parts_missing = models.CharField(
        "组成部分缺失时", max_length=10, choices=MissingRule.choices, default=MissingRule.ZERO
    )
    description = models.TextField("说明", blank=True)
    is_demo = models.BooleanField("演示数据", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "考评方案"
        verbose_name_plural = "考评方案"
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], name="assessment_scheme_code_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（第{self.version}版）"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.is_frozen:
            raise FrozenError("该方案版本已有发布结果，不能修改；请另存为新版本")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.is_frozen:
            raise FrozenError("该方案版本已有发布结果，不能删除")
        return super().delete(*args, **kwargs)

    @property
    def is_frozen(self) -> bool:
        return bool(self.pk) and self.runs.filter(status=Run.Status.PUBLISHED).exists()

    def clean(self) -> None:
        try:
            standings.parse_tiers(self.tiers)
            standings.parse_parts(self.parts)
        except methods.SchemeError as exc:
            raise ValidationError(str(exc)) from None
        if self.subjects == Subjects.PEER_GROUP and not self.peer_group_id:
            raise ValidationError({"peer_group": "请选择考评分组"})


class SchemeItem(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField("序号", default=0)
    key = models.SlugField("项目编码", max_length=40)
    group = models.CharField("板块", max_length=40, blank=True)
    name = models.CharField("考评项目", max_length=100)
    points = models.DecimalField("分值", max_digits=6, decimal_places=2)
    source = models.CharField("数据来源", max_length=40)
    source_params = models.JSONField("来源参数", default=dict, blank=True)
    method = models.CharField(
        "赋分方法", max_length=30, choices=[(k, m.label) for k, m in methods.METHODS.items()]
    )
    method_params = models.JSONField("方法参数", default=dict, blank=True)
    missing_rule = models.CharField(
        "缺数据时", max_length=10, choices=MissingRule.choices, default=MissingRule.ZERO
    )

    class Meta:
        verbose_name = "考评项目"
        verbose_name_plural = "考评项目"
        ordering = ["scheme", "order", "pk"]
        constraints = [
            *decimal_bounds(6, 2, "points"),
            models.UniqueConstraint(
                fields=["scheme", "key"], name="assessment_item_key_per_scheme"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.scheme.is_frozen:
            raise FrozenError("该方案版本已有发布结果，不能修改考评项目")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.scheme.is_frozen:
            raise FrozenError("该方案版本已有发布结果，不能删除考评项目")
        return super().delete(*args, **kwargs)

    @property
    def in_base(self) -> bool:
        return methods.METHODS[self.method].counts_in_base

    def clean(self) -> None:
        from baozheng.assessment import sources

        if not self.method or self.points is None:
            return  # the form already says the field is required
        try:
            methods.validate(self.method, self.method_params, self.points, self.missing_rule)
            sources.validate(self.source, self.source_params)
        except methods.SchemeError as exc:
            raise ValidationError(str(exc)) from None


class PeriodFields(models.Model):
    period_kind = models.CharField("周期", max_length=10, choices=PERIOD_KINDS, default="quarter")
    period_year = models.PositiveSmallIntegerField("年度")
    period_month = models.PositiveSmallIntegerField("截止月份")

    class Meta:
        abstract = True

    @property
    def period(self) -> AssessmentPeriod:
        return AssessmentPeriod(self.period_year, self.period_month, self.period_kind)


def evidence_path(instance: models.Model, filename: str) -> str:
    return f"assessment/evidence/{instance.unit.code}/{filename}"


class ManualFigure(PeriodFields):
    """A figure no other part of the product holds (e.g. 服务保障 rated by the dispatch office),
    entered with its evidence; the `manual` source reads it by key."""

    key = models.SlugField("指标编码", max_length=40)
    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="assessment_figures"
    )
    value = models.DecimalField("数值", max_digits=16, decimal_places=4)
    evidence_text = models.TextField("佐证说明", blank=True)
    evidence_file = models.FileField("佐证材料", upload_to=evidence_path, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField("录入时间", auto_now=True)

    class Meta:
        verbose_name = "手工数据"
        verbose_name_plural = "手工数据"
        ordering = ["key", "unit__path"]
        constraints = [
            *decimal_bounds(16, 4, "value"),
            models.UniqueConstraint(
                fields=["key", "unit", "period_kind", "period_year", "period_month"],
                name="assessment_manual_once_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.key} {self.period.label}"

    def clean(self) -> None:
        if not (self.evidence_text.strip() or self.evidence_file):
            raise ValidationError("请填写佐证说明或上传佐证材料")


class Adjustment(PeriodFields):
    """A bonus (加分) or penalty (减分) entry: the `adjustments` source sums them by key."""

    class Kind(models.TextChoices):
        BONUS = "bonus", "加分"
        PENALTY = "penalty", "减分"

    key = models.SlugField("加减分项编码", max_length=40)
    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="assessment_adjustments"
    )
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    points = models.DecimalField("分数", max_digits=6, decimal_places=2)
    reason = models.CharField("事由", max_length=200)
    evidence_text = models.TextField("佐证说明", blank=True)
    evidence_file = models.FileField("佐证材料", upload_to=evidence_path, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "加减分"
        verbose_name_plural = "加减分"
        ordering = ["-entered_at"]
        constraints = decimal_bounds(6, 2, "points")

    def __str__(self) -> str:
        return f"{self.unit} {self.get_kind_display()}{self.points} {self.reason}"

    def clean(self) -> None:
        if self.points is not None and self.points <= 0:
            raise ValidationError({"points": "分数应为正数，加分或减分由类型决定"})
        if not (self.evidence_text.strip() or self.evidence_file):
            raise ValidationError("请填写佐证说明或上传佐证材料")


class FrozenQuerySet(models.QuerySet):
    """Refuses bulk changes that would touch a published run. `run_path` leads to the run."""

    run_path = "run"

    def _touches_published(self) -> bool:
        return self.filter(**{f"{self.run_path}status": Run.Status.PUBLISHED}).exists()

    def update(self, **kwargs: Any) -> int:
        if self._touches_published():
            raise FrozenError("已发布的考评结果不能修改")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self._touches_published():
            raise FrozenError("已发布的考评结果不能删除")
        return super().delete()


class RunQuerySet(FrozenQuerySet):
    run_path = ""


class RowQuerySet(FrozenQuerySet):
    run_path = "run__"

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list:
        objs = list(objs)
        if any(o.run.status == Run.Status.PUBLISHED for o in objs):
            raise FrozenError("已发布的考评结果不能追加")
        return super().bulk_create(objs, *args, **kwargs)


class ItemQuerySet(FrozenQuerySet):
    run_path = "row__run__"

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list:
        objs = list(objs)
        if any(o.row.run.status == Run.Status.PUBLISHED for o in objs):
            raise FrozenError("已发布的考评结果不能追加")
        return super().bulk_create(objs, *args, **kwargs)


class Run(PeriodFields):
    """One computation of a scheme for a period. Version n+1 of the same scheme code and period
    is a recomputation; only one version of a period is published."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"

    scheme = models.ForeignKey(
        Scheme, verbose_name="方案", on_delete=models.PROTECT, related_name="runs"
    )
    version = models.PositiveSmallIntegerField("计算版本", default=1)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    computed_at = models.DateTimeField("计算时间", auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    full_points = models.DecimalField("满分", max_digits=7, decimal_places=2)
    is_demo = models.BooleanField("演示数据", default=False)

    objects = RunQuerySet.as_manager()

    class Meta:
        verbose_name = "考评结果"
        verbose_name_plural = "考评结果"
        ordering = ["-period_year", "-period_month", "-version"]
        constraints = decimal_bounds(7, 2, "full_points")

    def __str__(self) -> str:
        return f"{self.scheme.name} {self.period.label} 第{self.version}次计算"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._stored_status() == self.Status.PUBLISHED:
            raise FrozenError("已发布的考评结果不能修改，请重新计算生成新版本")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self._stored_status() == self.Status.PUBLISHED:
            raise FrozenError("已发布的考评结果不能删除")
        return super().delete(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def _stored_status(self) -> str | None:
        if not self.pk:
            return None
        return Run.objects.filter(pk=self.pk).values_list("status", flat=True).first()


class FrozenChild(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.owning_run()._stored_status() == Run.Status.PUBLISHED:
            raise FrozenError("已发布的考评结果不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.owning_run()._stored_status() == Run.Status.PUBLISHED:
            raise FrozenError("已发布的考评结果不能删除")
        return super().delete(*args, **kwargs)

    def owning_run(self) -> Run:
        """The run whose publication freezes this row; each concrete model says how to reach it."""
        raise NotImplementedError


class RunRow(FrozenChild):
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="rows")
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    unit_name = models.CharField("单位名称", max_length=100)
    total = models.DecimalField("总分", max_digits=8, decimal_places=2, null=True)
    own_total = models.DecimalField("本方案得分", max_digits=8, decimal_places=2, null=True)
    rank = models.PositiveSmallIntegerField("名次", null=True)
    rank_change = models.SmallIntegerField("位次变化", null=True)
    tier = models.CharField("方阵", max_length=20, blank=True)
    parts = models.JSONField("年度组成得分", default=list, blank=True)

    objects = RowQuerySet.as_manager()

    class Meta:
        ordering = ["run", models.F("rank").asc(nulls_last=True), "unit__path"]
        constraints = decimal_bounds(8, 2, "total", "own_total")

    def __str__(self) -> str:
        return f"{self.unit_name} {self.total}"

    def owning_run(self) -> Run:
        return self.run


class RunItem(FrozenChild):
    row = models.ForeignKey(RunRow, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(default=0)
    key = models.CharField(max_length=40)
    group = models.CharField("板块", max_length=40, blank=True)
    name = models.CharField("考评项目", max_length=100)
    full = models.DecimalField("分值", max_digits=6, decimal_places=2)
    in_base = models.BooleanField(default=True)
    source_label = models.CharField("数据来源", max_length=100)
    figure = models.DecimalField("来源数值", max_digits=18, decimal_places=4, null=True)
    points = models.DecimalField("得分", max_digits=7, decimal_places=2, null=True)
    item_rank = models.PositiveSmallIntegerField("项目名次", null=True)
    why = models.TextField("计分说明")

    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["row", "order"]
        constraints = [
            *decimal_bounds(6, 2, "full"),
            *decimal_bounds(18, 4, "figure"),
            *decimal_bounds(7, 2, "points"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.points}"

    def owning_run(self) -> Run:
        return self.row.run


class RankTargetRecord(models.Model):
    """A unit's target place in a scheme's ranking for a year (保三争二抢第一)."""

    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="assessment_rank_targets"
    )
    scheme_code = models.SlugField("方案编码", max_length=40)
    year = models.PositiveSmallIntegerField("年度")
    floor = models.PositiveSmallIntegerField("保（名次）")
    stretch = models.PositiveSmallIntegerField("争（名次）")
    top = models.PositiveSmallIntegerField("抢（名次）", null=True, blank=True)

    class Meta:
        verbose_name = "位次目标"
        verbose_name_plural = "位次目标"
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "scheme_code", "year"], name="assessment_rank_target_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year} {self.target.label}"

    def clean(self) -> None:
        if self.floor is None or self.stretch is None:
            return  # an empty or unreadable place already has its own field error
        try:
            _ = self.target
        except methods.SchemeError as exc:
            raise ValidationError(str(exc)) from None

    @property
    def target(self) -> standings.RankTarget:
        return standings.RankTarget(self.floor, self.stretch, self.top)
