"""Draws, the public notice (公示) with objections, and the frozen results snapshot."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from baozheng.contest.models.structure import Contest, Contestant, Division, Session, Stage
from baozheng.org.models import Unit


class DrawKind(models.TextChoices):
    TOPIC = "topic", "随机抽题"
    ORDER = "order", "出场顺序"
    BORROWED_CLASS = "borrowed_class", "借班上课"
    SAMPLING = "sampling", "乡抽选手"
    PLACEMENT = "placement", "场次安排"


class Draw(models.Model):
    """A verifiable draw (see `baozheng.contest.draw` for the protocol). The commitment is
    public from `published_at`; `secret`, `entropy`, `stream_key` and `result` only after it ran."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="draws")
    kind = models.CharField("类型", max_length=16, choices=DrawKind.choices)
    title = models.CharField("名称", max_length=120)
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.PROTECT, related_name="draws"
    )
    township = models.ForeignKey(
        Unit,
        verbose_name="抽取范围",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    division = models.ForeignKey(
        Division, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    params = models.JSONField("参数", default=dict)
    candidates = models.JSONField("候选")
    commitment = models.CharField("承诺值", max_length=64)
    secret = models.CharField(max_length=64)
    published_at = models.DateTimeField("公布承诺时间", auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entropy = models.CharField("见证人随机数", max_length=200, blank=True)
    stream_key = models.CharField("随机流密钥", max_length=64, blank=True)
    result = models.JSONField("结果", null=True, blank=True)
    ran_at = models.DateTimeField("抽签时间", null=True, blank=True)
    ran_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    witnesses = models.CharField("见证人", max_length=300, blank=True)
    # A re-draw replaces an earlier draw; the earlier one stays on record as voided (已作废).
    supersedes = models.OneToOneField(
        "self",
        verbose_name="取代的抽签",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    redraw_reason = models.CharField("重新抽签理由", max_length=300, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="批准人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)
    void_reason = models.CharField("作废原因", max_length=300, blank=True)
    voided_scores = models.JSONField("随之作废的评分表", null=True, blank=True)

    class Meta:
        verbose_name = "抽签"
        verbose_name_plural = "抽签"
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def has_run(self) -> bool:
        return self.ran_at is not None

    @property
    def voided(self) -> bool:
        return self.voided_at is not None

    @property
    def status_label(self) -> str:
        if self.voided:
            return "已作废"
        return "已抽签" if self.has_run else "待抽签"


def division_order(division: Division) -> tuple:
    """Divisions as the contest lists them: by stage, school stage, subject."""
    return (division.stage.order, division.stage_id, division.school_stage, division.subject)


class Notice(models.Model):
    """The public notice (公示) of a contest's prize list for one scope, `contest.notice_workdays`
    working days long. The scope is one stage, or one or more divisions (组别), or — with
    neither — the whole contest; never a stage and divisions at once."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="notices")
    stage = models.ForeignKey(
        Stage,
        verbose_name="公示范围（比赛阶段）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notices",
    )
    divisions = models.ManyToManyField(
        Division, verbose_name="公示范围（组别）", blank=True, related_name="notices"
    )
    issuer = models.CharField("发布单位", max_length=100, blank=True)
    objection_channel = models.CharField(
        "异议受理方式", max_length=300, blank=True, help_text="受理地点、电话或邮箱"
    )
    starts = models.DateField("公示开始")
    ends = models.DateField("公示截止")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "公示"
        verbose_name_plural = "公示"
        ordering = ["-starts"]

    def __str__(self) -> str:
        return f"{self.contest.name}{self.scope_label} 公示 {self.starts}—{self.ends}"

    @property
    def scope_divisions(self) -> list[Division]:
        """The divisions named (prefetch `divisions__stage` when reading many notices)."""
        return sorted(self.divisions.all(), key=division_order)

    @property
    def scope_label(self) -> str:
        if self.stage_id:
            return str(self.stage)
        if self.scope_divisions:
            return "组别：" + "、".join(str(d) for d in self.scope_divisions)
        return "全部阶段"

    def covers(self, division: Division) -> bool:
        """Whether `division` is within this notice's scope."""
        if self.stage_id:
            return division.stage_id == self.stage_id
        named = self.scope_divisions
        return not named or any(d.pk == division.pk for d in named)


class ObjectionStatus(models.TextChoices):
    PENDING = "pending", "待处理"
    UPHELD = "upheld", "异议成立"
    REJECTED = "rejected", "异议不成立"


class Objection(models.Model):
    """A written objection (书面异议) received during the notice, and how it was handled."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="objections")
    contestant = models.ForeignKey(
        Contestant,
        verbose_name="涉及选手",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    author = models.CharField("署名", max_length=40)
    contact = models.CharField("联系方式", max_length=60)
    text = models.TextField("异议内容", max_length=2000)
    received_at = models.DateTimeField("收到时间", auto_now_add=True)
    # the sender's address, for the hourly limit of the public form (contest/views/public.py)
    submitted_from = models.CharField("提交地址", max_length=45, blank=True, editable=False)
    status = models.CharField(
        "处理结果", max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.PENDING
    )
    handling = models.TextField("处理意见", blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "异议"
        verbose_name_plural = "异议"
        ordering = ["received_at"]

    def __str__(self) -> str:
        return f"{self.author}：{self.text[:20]}"


class ResultSnapshot(models.Model):
    """Results frozen after the notice: written once, never changed or deleted.
    `digest` is SHA-256 over the canonical JSON of `data`, so a copy can be checked."""

    contest = models.OneToOneField(Contest, on_delete=models.PROTECT, related_name="snapshot")
    formula_version = models.CharField("公式版本", max_length=20)
    data = models.JSONField()
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "成绩定档"
        verbose_name_plural = "成绩定档"

    def __str__(self) -> str:
        return f"{self.contest.name} 定档成绩"

    def save(self, *args, **kwargs) -> None:
        if self.pk and not kwargs.get("force_insert"):
            raise ValidationError("成绩已定档，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("成绩已定档，不能删除")
