"""Key projects (重点项目, docs/rules.md §5): the registry, stage ladder, monthly progress with photos
and support requests, "三个一批" batches, and the warning thresholds.

Amounts are Decimals in 万元. Rules live in `rules.py` (pure); models only store.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from baozheng.lib.bounds import decimal_bounds
from baozheng.lib.versions import VersionCounter
from baozheng.projects.rules import STAGES, Month, Thresholds

AMOUNT = {"max_digits": 14, "decimal_places": 2}


class Category(models.TextChoices):
    PROVINCIAL = "provincial", "省重点"
    CITY = "city", "市重点"
    BATCH = "batch", "三个一批"
    COUNTY = "county", "县重点"


class Industry(models.TextChoices):
    NEW_ENERGY = "new_energy", "新能源"
    EQUIPMENT = "equipment", "装备制造"
    BIOMEDICINE = "biomedicine", "生物医药"
    FOOD = "food", "食品加工"
    OPTOELECTRONICS = "optoelectronics", "光电"
    TEXTILE = "textile", "纺织服装"
    NEW_MATERIALS = "new_materials", "新材料"
    LOGISTICS = "logistics", "现代物流"
    DIGITAL = "digital", "数字经济"
    TOURISM = "tourism", "文化旅游"
    INFRASTRUCTURE = "infrastructure", "基础设施"
    AGRICULTURE = "agriculture", "现代农业"
    OTHER = "other", "其他"


class Batch(models.Model):
    """One "三个一批" event: projects signed, started and put into production together."""

    name = models.CharField("批次名称", max_length=80, unique=True)
    held_on = models.DateField("活动日期")
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = "“三个一批”批次"
        verbose_name_plural = "“三个一批”批次"
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    code = models.CharField("项目编码", max_length=40, unique=True)
    name = models.CharField("项目名称", max_length=200)
    county = models.ForeignKey(
        "org.Unit", verbose_name="所在县市区", on_delete=models.PROTECT, related_name="projects"
    )
    department = models.ForeignKey(
        "org.Unit",
        verbose_name="主管部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    industry = models.CharField("行业", max_length=20, choices=Industry.choices)
    is_manufacturing = models.BooleanField("制造业", default=False)
    total_investment = models.DecimalField("总投资（万元）", **AMOUNT)
    plan_year = models.PositiveSmallIntegerField("计划年度", null=True, blank=True)
    annual_plan = models.DecimalField("年度计划投资（万元）", null=True, blank=True, **AMOUNT)
    category = models.CharField("项目类别", max_length=20, choices=Category.choices)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="分包领导账户",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_projects",
    )
    leader_name = models.CharField("分包领导", max_length=60, blank=True)
    lead_unit = models.ForeignKey(
        "org.Unit",
        verbose_name="牵头单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    task_force = models.CharField("工作专班", max_length=120, blank=True)
    entered_statistics_on = models.DateField(
        "入统日期", null=True, blank=True, help_text="纳入统计联网直报平台的日期；空表示尚未入统"
    )
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = "重点项目"
        verbose_name_plural = "重点项目"
        ordering = ["county__path", "code"]
        constraints = decimal_bounds(14, 2, "total_investment", "annual_plan")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def total_investment_yi(self) -> Decimal:
        return self.total_investment / 10000


class Stage(models.Model):
    """One rung of the ladder with its planned and actual date; `reason` records why it
    was skipped or dated before the previous rung (rules.stage_problems)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stages")
    kind = models.CharField("阶段", max_length=20, choices=STAGES)
    planned_on = models.DateField("计划日期", null=True, blank=True)
    actual_on = models.DateField("实际日期", null=True, blank=True)
    reason = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "项目阶段"
        verbose_name_plural = "项目阶段"
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"], name="one_stage_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.project.code} {self.get_kind_display()}"


class BatchEntry(models.Model):
    class Side(models.TextChoices):
        SIGNED = "signed", "签约"
        STARTED = "started", "开工"
        PRODUCING = "producing", "投产"

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="entries")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="batch_entries")
    side = models.CharField("类别", max_length=20, choices=Side.choices)

    class Meta:
        verbose_name = "批次项目"
        verbose_name_plural = "批次项目"
        constraints = [models.UniqueConstraint(fields=["batch", "project"], name="once_per_batch")]

    def __str__(self) -> str:
        return f"{self.batch} · {self.get_side_display()} · {self.project.code}"


class ProgressReport(models.Model):
    """A month's progress: investment completed this month and cumulative this year."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveSmallIntegerField("年")
    month = models.PositiveSmallIntegerField("月")
    invested_month = models.DecimalField("本月完成投资（万元）", **AMOUNT)
    invested_ytd = models.DecimalField("本年累计完成投资（万元）", **AMOUNT)
    narrative = models.TextField("形象进度", blank=True)
    correction_reason = models.CharField("更正原因", max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "月度进展"
        verbose_name_plural = "月度进展"
        ordering = ["project", "year", "month"]
        constraints = [
            *decimal_bounds(14, 2, "invested_month", "invested_ytd"),
            models.UniqueConstraint(
                fields=["project", "year", "month"], name="one_report_per_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} {self.period.label}"

    @property
    def period(self) -> Month:
        return Month(self.year, self.month)


class Photo(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField("照片", upload_to="projects/photos/%Y/%m/")
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "现场照片"
        verbose_name_plural = "现场照片"

    def __str__(self) -> str:
        return self.image.name


class SupportCategory(models.TextChoices):
    LAND = "land", "用地"
    ENERGY = "energy", "用能"
    POWER = "power", "用电"
    LABOUR = "labour", "用工"
    FINANCE = "finance", "融资"
    LOGISTICS = "logistics", "物流"
    APPROVAL = "approval", "审批"
    OTHER = "other", "其他"


class SupportRequest(models.Model):
    """A problem needing support (要素保障). It is followed up as a tracked task of the
    dispatch app (lead unit, owner, deadline, status live there), so that it is escalated
    and closed like every other 督办事项."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="support_requests")
    report = models.ForeignKey(
        ProgressReport,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="support_requests",
    )
    category = models.CharField("类别", max_length=20, choices=SupportCategory.choices)
    description = models.TextField("问题描述")
    task = models.OneToOneField(
        "tasks.Task",
        verbose_name="督办事项",
        on_delete=models.PROTECT,
        related_name="project_support",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "要素保障诉求"
        verbose_name_plural = "要素保障诉求"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.project.code} {self.get_category_display()}"


class SupportRoute(models.Model):
    """The unit a kind of support request goes to when the reporter names none (对口部门:
    用地 → the natural resources bureau, 用电 → the power company…). Set by the dispatch
    office for its own departments: which bureau handles land differs from city to city, so
    no unit is written into the code. A kind without a route, and 其他, go to the project's
    lead unit (else its county)."""

    category = models.CharField("类别", max_length=20, choices=SupportCategory.choices, unique=True)
    unit = models.ForeignKey(
        "org.Unit", verbose_name="对口单位", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = "要素保障对口单位"
        verbose_name_plural = "要素保障对口单位"
        ordering = ["category"]

    def __str__(self) -> str:
        return f"{self.get_category_display()} → {self.unit}"


class WarningSettings(models.Model):
    """The warning thresholds in force (one row); defaults from rules.Thresholds."""

    investment_yellow_points = models.DecimalField(
        "投资滞后黄灯起点（百分点）",
        max_digits=5,
        decimal_places=1,
        default=Thresholds.investment_yellow_points,
    )
    investment_red_points = models.DecimalField(
        "投资滞后红灯起点（超过，百分点）",
        max_digits=5,
        decimal_places=1,
        default=Thresholds.investment_red_points,
    )
    start_yellow_months = models.PositiveSmallIntegerField(
        "逾期未开工黄灯（月）", default=Thresholds.start_yellow_months
    )
    start_red_months = models.PositiveSmallIntegerField(
        "逾期未开工红灯（月）", default=Thresholds.start_red_months
    )
    statistics_yellow_months = models.PositiveSmallIntegerField(
        "开工未入统黄灯（月）", default=Thresholds.statistics_yellow_months
    )
    statistics_red_months = models.PositiveSmallIntegerField(
        "开工未入统红灯（月）", default=Thresholds.statistics_red_months
    )

    class Meta:
        verbose_name = "预警阈值"
        verbose_name_plural = "预警阈值"
        constraints = decimal_bounds(5, 1, "investment_yellow_points", "investment_red_points")

    def __str__(self) -> str:
        return "预警阈值"

    @classmethod
    def row(cls) -> WarningSettings:
        """The stored row, or the one to store: always id 1, so that two first saves at
        once meet on the primary key instead of leaving a second row that nobody reads
        (the later person's thresholds silently lost)."""
        return cls.objects.first() or cls(pk=1)

    @classmethod
    def current(cls) -> Thresholds:
        row = cls.objects.first()
        if row is None:
            return Thresholds()
        return Thresholds(
            row.investment_yellow_points,
            row.investment_red_points,
            row.start_yellow_months,
            row.start_red_months,
            row.statistics_yellow_months,
            row.statistics_red_months,
        )


class ProjectDataVersion(VersionCounter):
    """One row whose number goes up, in the writer's transaction, whenever an input of the
    monthly bulletin changes (receivers in `baozheng.projects.versioning`): the key of its
    downloaded documents. Apart from the statistics bulletins' version, so that an approved
    figure does not discard the project documents, nor a progress report the statistics
    documents."""

    class Meta:
        verbose_name = "重点项目数据版本"
        verbose_name_plural = verbose_name
