"""Indicators, observations with their revisions, targets and import batches (docs/rules.md §3–§3.10).

Read path first: the bulletin reads the latest approved-or-locked figures of a few
hundred thousand observations in one query, so `Observation` carries them itself
(`value`, `growth`) beside the figures awaiting approval (`pending_value`,
`pending_growth`). Every change is also written to `ObservationRevision`, which is the
history; the columns on `Observation` are its cache, maintained by `workflow` and the
importers and never edited anywhere else.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce

from baozheng.lib.bounds import decimal_bounds
from baozheng.lib.references import Reference
from baozheng.org.models import Unit

# An import's reason for changing locked figures (ImportBatch.reason), and the warnings a
# submitted figure broke with the clerk's explanation of them (reporting.rules.explained).
REASON_LENGTH = 300
EXPLAINED_LENGTH = 300


class Kind(models.TextChoices):
    AMOUNT = "amount", "总量"
    GROWTH = "growth", "增速"
    COUNT = "count", "数量"
    RATE = "rate", "比率"


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "月"
    QUARTERLY = "quarterly", "季"
    YEARLY = "yearly", "年"


class Direction(models.TextChoices):
    UP = "up", "正向"
    DOWN = "down", "逆向"


class Basis(models.TextChoices):
    GROWTH = "growth", "增速"
    LEVEL = "level", "总量"
    RANK = "rank", "位次"


class Status(models.TextChoices):
    """An observation's state: the state of its newest revision."""

    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "已审核"
    LOCKED = "locked", "已锁定"


PENDING_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED)
FINAL_STATUSES = (Status.APPROVED, Status.LOCKED)

# Cumulative values up to 10^16 with four decimals (亿元, 万千瓦时, counts).
VALUE_DIGITS = {"max_digits": 20, "decimal_places": 4}
# Growth in percent, e.g. 12.3456; also targets' tiers.
GROWTH_DIGITS = {"max_digits": 12, "decimal_places": 4}


class Indicator(models.Model):
    code = models.CharField("编码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=100)
    measure = models.CharField("计量单位", max_length=20, blank=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.AMOUNT)
    frequency = models.CharField(
        "频度", max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    merged_jan_feb = models.BooleanField("1-2月合并", default=True)
    direction = models.CharField(
        "方向", max_length=4, choices=Direction.choices, default=Direction.UP
    )
    additive = models.BooleanField("可加", default=True)
    cumulative = models.BooleanField("累计", default=True)
    department = models.ForeignKey(
        Unit,
        verbose_name="牵头部门",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators",
        limit_choices_to={"kind": "department"},
    )
    submission_day = models.PositiveSmallIntegerField(
        "报送截止日", default=10, help_text="次月几日前报送（遇节假日顺延至工作日）"
    )
    warn_growth_change_pp = models.DecimalField(
        "增速波动提示（百分点）",
        max_digits=6,
        decimal_places=2,
        default=Decimal("5.00"),
        help_text="填报时增速较上期变化超过该值即提示核实",
    )
    order = models.PositiveSmallIntegerField("排序", default=0)
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = "指标"
        verbose_name_plural = "指标"
        ordering = ["order", "code"]
        constraints = decimal_bounds(6, 2, "warn_growth_change_pp")

    def __str__(self) -> str:
        return self.name

    @property
    def growth_only(self) -> bool:
        return self.kind == Kind.GROWTH

    @property
    def is_rate(self) -> bool:
        return self.kind == Kind.RATE

    def clean(self) -> None:
        if self.kind == Kind.GROWTH and self.additive:
            raise ValidationError({"additive": "增速类指标不可加"})
        if self.kind == Kind.RATE and (self.additive or self.cumulative):
            raise ValidationError("比率类指标既不可加也不累计")
        if not 1 <= self.submission_day <= 28:
            raise ValidationError({"submission_day": "报送截止日应在 1 至 28 日之间"})


class Observation(models.Model):
    """One figure pair per (indicator, unit, year, month): month is the end of the
    cumulative span (2023-06 = 2023年1-6月; yearly figures sit at month 12)."""

    # No separate index on indicator: the unique constraint below starts with it, and every
    # extra index slows the million-row import. No foreign-key constraint on indicator and
    # unit: PostgreSQL's per-row check cost about 6 s per million imported rows each; the
    # same guarantee is checked once per statement on PostgreSQL (`baozheng.lib.references`,
    # which says why SQLite goes without; REFERENCES).
    indicator = models.ForeignKey(
        Indicator,
        verbose_name="指标",
        on_delete=models.CASCADE,
        related_name="observations",
        db_index=False,
        db_constraint=False,
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name="地区",
        on_delete=models.CASCADE,
        related_name="observations",
        db_constraint=False,
    )
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The latest approved-or-locked figures: what every computation reads.
    value = models.DecimalField("累计值", null=True, blank=True, **VALUE_DIGITS)
    growth = models.DecimalField("同比增长(%)", null=True, blank=True, **GROWTH_DIGITS)
    # Figures entered but not yet approved (draft, submitted or returned).
    pending_value = models.DecimalField("待审累计值", null=True, blank=True, **VALUE_DIGITS)
    pending_growth = models.DecimalField("待审同比增长(%)", null=True, blank=True, **GROWTH_DIGITS)
    has_approved = models.BooleanField("有已审核数据", default=False)
    source = models.CharField("来源", max_length=100, blank=True)
    note = models.CharField("退回/修订说明", max_length=300, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="更新人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )

    class Meta:
        verbose_name = "数据"
        verbose_name_plural = "数据"
        constraints = [
            *decimal_bounds(20, 4, "value", "pending_value"),
            *decimal_bounds(12, 4, "growth", "pending_growth"),
            models.UniqueConstraint(
                fields=["indicator", "unit", "year", "month"], name="observation_unique_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}/{self.unit_id}/{self.year}-{self.month:02d}"

    @property
    def period_code(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING_STATUSES


class ImportBatch(models.Model):
    """The audit event of one import (who, when, which file, what it did). Its revision
    rows point here; per-row history hooks would make a million-row import take minutes."""

    created_at = models.DateTimeField("时间", auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="导入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    channel = models.CharField("渠道", max_length=10, default="cli", help_text="cli 或 web")
    kind = models.CharField("类型", max_length=20)
    file_name = models.CharField("文件名", max_length=200)
    file_hash = models.CharField("文件 SHA-256", max_length=64)
    rows = models.PositiveIntegerField("行数", default=0)
    created = models.PositiveIntegerField("新增", default=0)
    updated = models.PositiveIntegerField("更新", default=0)
    unchanged = models.PositiveIntegerField("未变", default=0)
    errors = models.PositiveIntegerField("错误", default=0)
    dry_run = models.BooleanField("试导入", default=False)
    reason = models.CharField("修改理由", max_length=REASON_LENGTH, blank=True)

    class Meta:
        verbose_name = "导入记录"
        verbose_name_plural = "导入记录"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name} {self.created_at:%Y-%m-%d %H:%M}"


class ObservationRevision(models.Model):
    """Every revision ever made of an observation's figures or state, never updated."""

    # Observation and batch: checked per statement, not by a foreign-key constraint (see
    # Observation.indicator and REFERENCES).
    observation = models.ForeignKey(
        Observation,
        verbose_name="数据",
        on_delete=models.CASCADE,
        related_name="revisions",
        db_constraint=False,
    )
    value = models.DecimalField("累计值", null=True, blank=True, **VALUE_DIGITS)
    growth = models.DecimalField("同比增长(%)", null=True, blank=True, **GROWTH_DIGITS)
    status = models.CharField("状态", max_length=10, choices=Status.choices)
    source = models.CharField("来源", max_length=100, blank=True)
    # A submitted figure's explained warnings take at most EXPLAINED_LENGTH; a locked
    # figure changed by an import holds the batch's reason before them, joined by "；",
    # both whole.
    reason = models.CharField("说明", max_length=REASON_LENGTH + 1 + EXPLAINED_LENGTH, blank=True)
    created_at = models.DateTimeField("时间")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    batch = models.ForeignKey(
        ImportBatch,
        verbose_name="导入批次",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="revisions",
        db_constraint=False,
    )

    class Meta:
        verbose_name = "数据修订"
        verbose_name_plural = "数据修订"
        ordering = ["observation", "id"]
        constraints = [*decimal_bounds(20, 4, "value"), *decimal_bounds(12, 4, "growth")]

    def __str__(self) -> str:
        return f"{self.observation_id} {self.get_status_display()} {self.created_at:%Y-%m-%d %H:%M}"


# Checked once per statement instead of by a foreign-key constraint (baozheng.lib.references):
# the four references every imported row writes.
REFERENCES = (
    Reference(Observation, "indicator"),
    Reference(Observation, "unit"),
    Reference(ObservationRevision, "observation"),
    Reference(ObservationRevision, "batch"),
)


class Target(models.Model):
    """Target tiers for one unit: floor 保, stretch 争 (empty: one tier) and optional top
    抢, as a growth in percent, a level in the indicator's measure, or places among the
    unit's peers (rank, lower is better); who is responsible for it.

    `month` empty is the year's target; a release month makes it a phase target for
    that period (开门红 1-3月).  A target is identified by (indicator, unit, year,
    month, value-or-rank).  This row is the target as it stands now; every version
    lives in `TargetRevision` (written by `baozheng.stats.targets.save_target`)."""

    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", on_delete=models.CASCADE, related_name="targets"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="地区", on_delete=models.CASCADE, related_name="targets"
    )
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField(
        "期间（阶段目标）", null=True, blank=True, help_text="空：全年目标；1-3月填 3"
    )
    basis = models.CharField("类型", max_length=10, choices=Basis.choices, default=Basis.GROWTH)
    floor = models.DecimalField("保", **VALUE_DIGITS)
    stretch = models.DecimalField("争", null=True, blank=True, **VALUE_DIGITS)
    top = models.DecimalField("抢", null=True, blank=True, **VALUE_DIGITS)
    responsible_unit = models.ForeignKey(
        Unit,
        verbose_name="责任单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responsible_targets",
    )
    leader = models.CharField("责任领导", max_length=60, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = "目标"
        verbose_name_plural = "目标"
        ordering = ["year", "indicator__code", "unit__path"]
        constraints = [
            *decimal_bounds(20, 4, "floor", "stretch", "top"),
            models.UniqueConstraint(
                fields=["indicator", "unit", "year"],
                condition=models.Q(month__isnull=True) & ~models.Q(basis="rank"),
                name="target_unique_year_value",
                violation_error_message="该单位该年度已有全年目标，请在原目标上修改",
            ),
            models.UniqueConstraint(
                fields=["indicator", "unit", "year", "month"],
                condition=models.Q(month__isnull=False) & ~models.Q(basis="rank"),
                name="target_unique_phase_value",
                violation_error_message="该单位该期间已有阶段目标，请在原目标上修改",
            ),
            models.UniqueConstraint(
                fields=["indicator", "unit", "year"],
                condition=models.Q(basis="rank"),
                name="target_unique_year_rank",
                violation_error_message="该单位该年度已有位次目标，请在原目标上修改",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period_label} {self.indicator} {self.unit}"

    @property
    def is_rank(self) -> bool:
        return self.basis == Basis.RANK

    @property
    def period_label(self) -> str:
        """“2023年” for the year's target, “2023年1-3月” for a phase target."""
        if self.month is None:
            return f"{self.year}年"
        from baozheng.analysis.periods import Period

        return Period(self.year, self.month).label

    @property
    def tier_label(self) -> str:
        """The floor's name as shown: “全年目标”, “一季度目标”, “上半年目标”, “1-5月目标”."""
        return tier_label(self.month)

    def clean(self) -> None:
        if self.indicator_id is None:
            return  # the form reports the missing indicator itself
        problem = tier_problem(
            self.indicator.direction,
            self.basis,
            self.indicator.kind,
            self.floor,
            self.stretch,
            self.top,
            self.month,
        )
        if problem:
            raise ValidationError(problem)


PHASE_NAMES = {3: "一季度", 6: "上半年", 9: "前三季度"}


def tier_label(month: int | None) -> str:
    if month is None or month == 12:
        return "全年目标"
    return f"{PHASE_NAMES.get(month, f'1-{month}月')}目标"


class TargetRevision(models.Model):
    """One version of a target, never changed: what it said, from when, who set it and
    why (年中调整). The targets in force at a time T are, per target identity, the newest
    revision written at or before T, unless that revision removed it."""

    target = models.ForeignKey(
        Target,
        verbose_name="目标",
        null=True,
        on_delete=models.SET_NULL,
        related_name="revisions",
    )
    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.CASCADE)
    unit = models.ForeignKey(Unit, verbose_name="地区", on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("期间（阶段目标）", null=True, blank=True)
    basis = models.CharField("类型", max_length=10, choices=Basis.choices)
    floor = models.DecimalField("保", null=True, **VALUE_DIGITS)
    stretch = models.DecimalField("争", null=True, **VALUE_DIGITS)
    top = models.DecimalField("抢", null=True, **VALUE_DIGITS)
    responsible_unit = models.ForeignKey(
        Unit,
        verbose_name="责任单位",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    leader = models.CharField("责任领导", max_length=60, blank=True)
    removed = models.BooleanField("已删除", default=False)
    reason = models.CharField("调整理由", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("时间", db_index=True)
    batch = models.ForeignKey(
        "ImportBatch", verbose_name="导入批次", null=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = "目标修订"
        verbose_name_plural = "目标修订"
        ordering = ["created_at", "id"]
        constraints = decimal_bounds(20, 4, "floor", "stretch", "top")

    def __str__(self) -> str:
        return f"{self.year} {self.indicator_id}/{self.unit_id} {self.created_at:%Y-%m-%d %H:%M}"


class LightRule(models.Model):
    """Amber-light margins (亮灯规则): one global row (no indicator) and optional rows
    per indicator that replace it. Read by every page and the bulletin through
    `baozheng.stats.bulletin.status_rules`."""

    indicator = models.OneToOneField(
        Indicator,
        verbose_name="指标",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="light_rule",
        help_text="空：全局规则",
    )
    at_risk_growth_pp = models.DecimalField(
        "增速预警幅度（百分点）",
        max_digits=6,
        decimal_places=2,
        default=Decimal("1.00"),
        help_text="增速低于“保”目标不超过该值亮黄灯",
    )
    at_risk_completion_pp = models.DecimalField(
        "总量预警幅度（完成率百分点）",
        max_digits=6,
        decimal_places=2,
        default=Decimal("5.00"),
        help_text="完成率低于应完成进度不超过该值亮黄灯",
    )
    at_risk_rate_pp = models.DecimalField(
        "比率预警幅度（百分点）",
        max_digits=6,
        decimal_places=2,
        default=Decimal("1.00"),
        help_text="比率未达“保”目标不超过该值亮黄灯",
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "亮灯规则"
        verbose_name_plural = "亮灯规则"
        constraints = [
            *decimal_bounds(6, 2, "at_risk_growth_pp", "at_risk_completion_pp", "at_risk_rate_pp"),
            # On the column itself the index would hold any number of NULLs (each NULL is
            # distinct): two first saves of the global rule made two. COALESCE maps every
            # global row to one value.
            models.UniqueConstraint(
                Coalesce("indicator", models.Value(0)),
                condition=models.Q(indicator__isnull=True),
                name="light_rule_one_global",
                violation_error_message="已有全局亮灯规则",
            ),
        ]

    def __str__(self) -> str:
        return f"亮灯规则：{self.indicator or '全局'}"


def tier_problem(
    direction: str,
    basis: str,
    kind: str,
    floor: Decimal | None,
    stretch: Decimal | None,
    top: Decimal | None,
    month: int | None = None,
) -> str:
    """Why these tiers are inconsistent, or "" — one rule for forms and imports.

    The stretch may be empty (one tier) and then no top either. Rank targets are
    places (whole numbers ≥ 1, lower is better) and annual; rate indicators take
    level targets only; growth-only indicators growth targets only."""
    if basis == Basis.LEVEL and kind == Kind.GROWTH:
        return "增速类指标只能设增速目标"
    if basis == Basis.GROWTH and kind == Kind.RATE:
        return "比率类指标只能设总量目标（比率本身），不能设增速目标"
    if floor is None:
        return "“保”目标须填写"
    if stretch is None and top is not None:
        return "只有一档目标时不能填写“抢”目标"
    if basis == Basis.RANK:
        if month is not None:
            return "位次目标是全年目标，期间须为空"
        for label, place in (("保", floor), ("争", stretch), ("抢", top)):
            if place is not None and (place != place.to_integral_value() or place < 1):
                return f"位次目标的“{label}”（{place}）应为不小于 1 的整数名次"
        if stretch is not None and stretch > floor:
            return f"位次目标的“争”（第{stretch:.0f}名）不能落后于“保”（第{floor:.0f}名）"
        if top is not None and stretch is not None and top > stretch:
            return f"位次目标的“抢”（第{top:.0f}名）不能落后于“争”（第{stretch:.0f}名）"
        return ""
    if stretch is None:
        return ""
    if direction == Direction.DOWN:
        if stretch > floor:
            return f"逆向指标的“争”目标（{stretch}）不能高于“保”目标（{floor}）"
        if top is not None and top > stretch:
            return f"逆向指标的“抢”目标（{top}）不能高于“争”目标（{stretch}）"
    else:
        if stretch < floor:
            return f"“争”目标（{stretch}）不能低于“保”目标（{floor}）"
        if top is not None and top < stretch:
            return f"“抢”目标（{top}）不能低于“争”目标（{stretch}）"
    return ""


class ResponsibilityLetter(models.Model):
    """目标责任书/承诺书 (docs/rules.md §3.10): who signed, for which unit and which of its targets,
    when, with the signed document (a scanned PDF or an image, checked by its content in
    `baozheng.stats.letters`) served only to users whose scope holds the unit."""

    unit = models.ForeignKey(
        Unit,
        verbose_name="责任单位",
        on_delete=models.CASCADE,
        related_name="responsibility_letters",
    )
    year = models.PositiveSmallIntegerField("年度")
    signer = models.CharField("签订人", max_length=60)
    signer_title = models.CharField("职务", max_length=60, blank=True)
    signed_on = models.DateField("签订日期")
    targets = models.ManyToManyField(Target, verbose_name="目标", related_name="letters")
    document = models.FileField("签字文本", upload_to="stats/letters/%Y/")
    content_type = models.CharField("文件类型", max_length=40)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "目标责任书"
        verbose_name_plural = "目标责任书"
        ordering = ["-year", "unit__path", "-signed_on"]

    def __str__(self) -> str:
        return f"{self.year}年 {self.unit} 目标责任书（{self.signer}）"
