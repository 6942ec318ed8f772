"""The contest's structure and people (docs/rules.md §8).

contest → stages → divisions (subject × school stage, each with a rubric); zones (赛区) →
venues (赛点) → rooms and sessions (场次: a room, a date, a time slot, one division).
Schools are `org.Unit`s of kind school under a central school (中心校) and a county.
Scores and corrections live in `scoring.py`, draws and results in `results.py`.
"""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from baozheng.contest import formula
from baozheng.contest.conflicts import ConflictRules
from baozheng.lib.bounds import decimal_bounds
from baozheng.lib.web import web_link
from baozheng.org.models import Unit


class StageKind(models.TextChoices):
    COUNTY_RECOMMENDED = "county_recommended", "县推市赛"
    TOWNSHIP_RECOMMENDED = "township_recommended", "乡推市赛"
    TOWNSHIP_SAMPLED = "township_sampled", "乡抽市赛"
    CITY_FINAL = "city_final", "市级决赛"


class SchoolStage(models.TextChoices):
    PRIMARY = "primary", "小学"
    JUNIOR = "junior", "初中"
    SENIOR = "senior", "高中"
    VOCATIONAL = "vocational", "中职"
    SPECIAL = "special", "特教"


class JudgeGroup(models.TextChoices):
    FRONTLINE = formula.FRONTLINE, "一线教师"
    RESEARCHER = formula.RESEARCHER, "教研员"


class Nomination(models.TextChoices):
    RECOMMENDED = "recommended", "推荐"
    SAMPLED = "sampled", "抽取"


percent = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]
weight = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))]


class Contest(models.Model):
    """One contest and its rules; every rule a contest may change is a field here."""

    code = models.CharField("编码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=100)
    unit = models.ForeignKey(
        Unit, verbose_name="主办单位", on_delete=models.PROTECT, related_name="contests"
    )
    starts = models.DateField("开始日期")
    ends = models.DateField("结束日期")
    trim_threshold = models.PositiveSmallIntegerField(
        "去掉最高最低分的最少评委数", default=5, validators=[MinValueValidator(3)]
    )
    frontline_weight = models.DecimalField(
        "一线教师权重", max_digits=4, decimal_places=2, default=Decimal("0.70"), validators=weight
    )
    researcher_weight = models.DecimalField(
        "教研员权重", max_digits=4, decimal_places=2, default=Decimal("0.30"), validators=weight
    )
    first_prize_pct = models.DecimalField(
        "一等奖比例(%)", max_digits=5, decimal_places=2, default=Decimal(10), validators=percent
    )
    second_prize_pct = models.DecimalField(
        "二等奖比例(%)", max_digits=5, decimal_places=2, default=Decimal(20), validators=percent
    )
    third_prize_pct = models.DecimalField(
        "三等奖比例(%)", max_digits=5, decimal_places=2, default=Decimal(30), validators=percent
    )
    recuse_same_school = models.BooleanField("同校回避", default=True)
    recuse_same_central_school = models.BooleanField("同一中心校回避", default=True)
    recuse_same_county = models.BooleanField("同县回避", default=True)
    panel_frontline = models.PositiveSmallIntegerField("每场一线教师评委数", default=5)
    panel_researcher = models.PositiveSmallIntegerField("每场教研员评委数", default=3)
    notice_workdays = models.PositiveSmallIntegerField("公示工作日数", default=5)
    absent_in_quota_base = models.BooleanField(
        "缺考选手计入获奖名额基数",
        default=False,
        help_text="默认不计入：奖项名额按实际参赛并完成评分的选手人数计算",
    )
    normalisation_min_sample = models.PositiveSmallIntegerField("标准化报告最少样本", default=10)
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = "赛事"
        verbose_name_plural = "赛事"
        ordering = ["-starts", "code"]
        constraints = [
            *decimal_bounds(4, 2, "frontline_weight", "researcher_weight"),
            *decimal_bounds(5, 2, "first_prize_pct", "second_prize_pct", "third_prize_pct"),
        ]

    def __str__(self) -> str:
        return self.name

    def rules(self) -> formula.Rules:
        return formula.Rules(
            trim_threshold=self.trim_threshold,
            weights={
                formula.FRONTLINE: self.frontline_weight,
                formula.RESEARCHER: self.researcher_weight,
            },
        )

    def conflict_rules(self) -> ConflictRules:
        return ConflictRules(
            self.recuse_same_school, self.recuse_same_central_school, self.recuse_same_county
        )

    def quotas(self) -> tuple[Decimal, Decimal, Decimal]:
        return (self.first_prize_pct, self.second_prize_pct, self.third_prize_pct)


class Stage(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="stages")
    kind = models.CharField("阶段", max_length=24, choices=StageKind.choices)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "比赛阶段"
        verbose_name_plural = "比赛阶段"
        ordering = ["contest", "order"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "kind"], name="contest_stage_once")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class Rubric(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="rubrics")
    name = models.CharField("名称", max_length=60)

    class Meta:
        verbose_name = "评分标准"
        verbose_name_plural = "评分标准"

    def __str__(self) -> str:
        return self.name

    @property
    def max_total(self) -> Decimal:
        return sum((i.max_points for i in self.items.all()), Decimal(0))


class RubricItem(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="items")
    name = models.CharField("评分项", max_length=40)
    max_points = models.DecimalField("满分", max_digits=5, decimal_places=1)
    step = models.DecimalField(
        "最小分值单位", max_digits=3, decimal_places=1, default=Decimal("0.5")
    )
    guidance = models.CharField("评分要点", max_length=200, blank=True)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "评分项"
        verbose_name_plural = "评分项"
        ordering = ["rubric", "order", "pk"]
        constraints = [*decimal_bounds(5, 1, "max_points"), *decimal_bounds(3, 1, "step")]

    def __str__(self) -> str:
        return f"{self.name}（{self.max_points}分）"

    def check_points(self, points: Decimal) -> str:
        """A Chinese reason the points are not acceptable, or ""."""
        if points < 0 or points > self.max_points:
            return f"“{self.name}”的分数必须在 0 到 {self.max_points} 之间"
        if points % self.step:
            return f"“{self.name}”的分数必须是 {self.step} 的整数倍"
        return ""


class Division(models.Model):
    """A subject at a school stage within a stage (组别): the unit of ranking and prizes."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="divisions")
    stage = models.ForeignKey(
        Stage, verbose_name="阶段", on_delete=models.PROTECT, related_name="divisions"
    )
    subject = models.CharField("学科", max_length=20)
    school_stage = models.CharField("学段", max_length=12, choices=SchoolStage.choices)
    rubric = models.ForeignKey(
        Rubric, verbose_name="评分标准", on_delete=models.PROTECT, related_name="divisions"
    )
    grade_min = models.PositiveSmallIntegerField(
        "借班年级（起）", null=True, blank=True, validators=[MinValueValidator(1)]
    )
    grade_max = models.PositiveSmallIntegerField(
        "借班年级（止）", null=True, blank=True, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = "组别"
        verbose_name_plural = "组别"
        ordering = ["stage__order", "school_stage", "subject"]
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "subject", "school_stage"], name="contest_division_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.stage}·{self.get_school_stage_display()}{self.subject}"


class Zone(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="zones")
    name = models.CharField("赛区", max_length=40)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "赛区"
        verbose_name_plural = "赛区"
        ordering = ["contest", "order"]

    def __str__(self) -> str:
        return self.name


class Venue(models.Model):
    """A venue (赛点). `version` grows with every change to its scores so that live
    leaderboards know cheaply when to refresh; `head` approves corrections and releases names."""

    zone = models.ForeignKey(
        Zone, verbose_name="赛区", on_delete=models.CASCADE, related_name="venues"
    )
    name = models.CharField("赛点", max_length=60)
    address = models.CharField("地址", max_length=120, blank=True)
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="赛点负责人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contest_venues",
    )
    names_released = models.BooleanField("已公布姓名", default=False)
    version = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = "赛点"
        verbose_name_plural = "赛点"
        ordering = ["zone__order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def contest(self) -> Contest:
        return self.zone.contest


class Room(models.Model):
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField("教室", max_length=40)

    class Meta:
        verbose_name = "教室"
        verbose_name_plural = "教室"
        ordering = ["venue", "name"]

    def __str__(self) -> str:
        return f"{self.venue.name}·{self.name}"


class Session(models.Model):
    """A time slot in a room for one division (场次)."""

    venue = models.ForeignKey(
        Venue, verbose_name="赛点", on_delete=models.CASCADE, related_name="sessions"
    )
    room = models.ForeignKey(
        Room, verbose_name="教室", on_delete=models.PROTECT, related_name="sessions"
    )
    division = models.ForeignKey(
        Division, verbose_name="组别", on_delete=models.PROTECT, related_name="sessions"
    )
    date = models.DateField("日期")
    starts = models.TimeField("开始时间")
    ends = models.TimeField("结束时间")

    class Meta:
        verbose_name = "场次"
        verbose_name_plural = "场次"
        ordering = ["date", "starts", "venue__name", "room__name"]

    def __str__(self) -> str:
        return f"{self.venue.name} {self.room.name} {self.date:%m-%d} {self.starts:%H:%M} {self.division}"

    @property
    def slot(self) -> str:
        return f"{self.date.isoformat()} {self.starts:%H:%M}"


class SchoolTeachers(models.Model):
    """Teachers on a school's staff: the denominator of participation rates."""

    school = models.OneToOneField(
        Unit, verbose_name="学校", on_delete=models.CASCADE, related_name="teacher_count"
    )
    teachers = models.PositiveIntegerField("教师人数")

    class Meta:
        verbose_name = "学校教师数"
        verbose_name_plural = "学校教师数"

    def __str__(self) -> str:
        return f"{self.school.name} {self.teachers} 人"


class TeachingClass(models.Model):
    """A class a venue offers for borrowed-class teaching (借班上课). Its school stage (学段)
    and grade decide which contestants may draw it: a junior-high teacher never teaches a
    primary-school class (see `draw_service.session_candidates`)."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="classes")
    school = models.ForeignKey(
        Unit, verbose_name="所属学校", on_delete=models.PROTECT, related_name="+"
    )
    # "school code/class name" (classes.class_code), wide enough for both whole: cut, two
    # long names of one school could meet in one code.
    code = models.CharField("班级编码", max_length=32 + 1 + 40)
    name = models.CharField("班级", max_length=40)
    # Blank only on classes registered before stages were recorded: such a class is never
    # eligible for a draw until its stage and grade are filled in.
    school_stage = models.CharField(
        "学段", max_length=12, choices=SchoolStage.choices, blank=True, default=""
    )
    grade = models.PositiveSmallIntegerField(
        "年级", null=True, blank=True, validators=[MinValueValidator(1)]
    )
    subject = models.CharField("学科（可选）", max_length=20, blank=True)
    size = models.PositiveSmallIntegerField(
        "人数", null=True, blank=True, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = "借班班级"
        verbose_name_plural = "借班班级"
        ordering = ["venue", "code"]
        constraints = [models.UniqueConstraint(fields=["venue", "code"], name="contest_class_once")]

    def __str__(self) -> str:
        return f"{self.school.name}{self.name}"


class Topic(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="topics")
    code = models.CharField("题目编号", max_length=32)
    subject = models.CharField("学科", max_length=20)
    school_stage = models.CharField("学段", max_length=12, choices=SchoolStage.choices)
    title = models.CharField("课题", max_length=120)
    source = models.CharField("教材出处", max_length=120, blank=True)

    class Meta:
        verbose_name = "题库课题"
        verbose_name_plural = "题库课题"
        ordering = ["contest", "code"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "code"], name="contest_topic_once")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Contestant(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="contestants")
    division = models.ForeignKey(
        Division, verbose_name="组别", on_delete=models.PROTECT, related_name="contestants"
    )
    number = models.CharField("参赛编号", max_length=20)
    name = models.CharField("姓名", max_length=40)
    school = models.ForeignKey(
        Unit, verbose_name="学校", on_delete=models.PROTECT, related_name="contestants"
    )
    nomination = models.CharField("推选方式", max_length=12, choices=Nomination.choices)
    session = models.ForeignKey(
        Session,
        verbose_name="场次",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contestants",
    )
    appearance = models.PositiveSmallIntegerField("出场顺序", null=True, blank=True)
    topic = models.ForeignKey(
        Topic,
        verbose_name="课题",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    borrowed_class = models.ForeignKey(
        TeachingClass,
        verbose_name="借班",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    video = models.CharField("课堂录像（链接或文件）", max_length=300, blank=True)
    promoted_from = models.ForeignKey(
        "self",
        verbose_name="上一阶段的参赛记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="promotions",
    )
    earlier_result = models.CharField("上一阶段成绩", max_length=200, blank=True)
    absent_reason = models.CharField("缺考原因", max_length=200, blank=True)
    absent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "选手"
        verbose_name_plural = "选手"
        ordering = ["contest", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "number"], name="contest_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def absent(self) -> bool:
        """缺考: recorded by the venue head with a reason; never ranked."""
        return bool(self.absent_reason)

    @property
    def video_url(self) -> str:
        """The video as a link target, only when it is an http(s) address."""
        return web_link(self.video)


def new_token_key() -> str:
    return secrets.token_hex(16)


class Judge(models.Model):
    """A judge (评委). `unit` is where they work (a school, or a teaching-research office)
    and drives conflict checks; `token_key` is part of every scoring link, so rotating it
    revokes the judge's QR codes."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="judges")
    name = models.CharField("姓名", max_length=40)
    group = models.CharField("评委类别", max_length=12, choices=JudgeGroup.choices)
    unit = models.ForeignKey(
        Unit, verbose_name="工作单位", on_delete=models.PROTECT, related_name="+"
    )
    subjects = models.CharField("可评学科（逗号分隔）", max_length=100)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="账户",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contest_judges",
    )
    token_key = models.CharField(max_length=32, default=new_token_key, editable=False)

    class Meta:
        verbose_name = "评委"
        verbose_name_plural = "评委"
        ordering = ["contest", "group", "name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_group_display()}）"

    def subject_set(self) -> frozenset[str]:
        return frozenset(
            s.strip() for s in self.subjects.replace("，", ",").split(",") if s.strip()
        )


class AssignmentSource(models.TextChoices):
    AUTO = "auto", "系统分配"
    MANUAL = "manual", "人工调整"


class PanelSeat(models.Model):
    """A judge on a session's panel. Manual changes keep who, why and when; a seat removed
    by hand stays as `active=False` so that the override remains on record."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="seats")
    judge = models.ForeignKey(Judge, on_delete=models.CASCADE, related_name="seats")
    source = models.CharField("来源", max_length=8, choices=AssignmentSource.choices)
    active = models.BooleanField("有效", default=True)
    reason = models.CharField("调整理由", max_length=200, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "评委席位"
        verbose_name_plural = "评委席位"
        constraints = [
            models.UniqueConstraint(fields=["session", "judge"], name="contest_seat_once")
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.judge.name}"
