"""The rest of the closed loop (明责、履责、督责、追责): inspection visits of the supervision
groups (督导), leaders' instructions (批示) with their feedback, and accountability
records (约谈、通报批评、问责). Each points at tracked tasks rather than keeping a second
to-do list: a visit's findings and an instruction are followed as `Task`s."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from baozheng.org.models import Unit
from baozheng.tasks.models.groups import SupervisionGroup
from baozheng.tasks.models.task import Task


class Visit(models.Model):
    """One inspection visit of a supervision group; its findings are tasks whose source is
    the visit (`Task.source_kind == "visit"`, `source_id == visit.pk`)."""

    group = models.ForeignKey(
        SupervisionGroup, verbose_name="督导服务组", on_delete=models.PROTECT, related_name="visits"
    )
    visited_on = models.DateField("督导日期")
    units = models.ManyToManyField(Unit, verbose_name="督导单位", related_name="visits")
    checked = models.TextField("督导内容")
    findings = models.TextField("发现问题", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.SET_NULL
    )
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = "督导记录"
        verbose_name_plural = "督导记录"
        ordering = ["-visited_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.group} {self.visited_on:%Y-%m-%d}"


class VisitPhoto(models.Model):
    visit = models.ForeignKey(
        Visit, verbose_name="督导记录", on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField("照片", upload_to="tasks/visits/%Y/%m")
    content_type = models.CharField("类型", max_length=20)

    class Meta:
        verbose_name = "督导照片"
        verbose_name_plural = "督导照片"

    def __str__(self) -> str:
        return self.image.name


class InstructionTarget(models.TextChoices):
    TASK = "task", "督办事项"
    PROJECT = "project", "重点项目"
    REQUEST = "request", "企业诉求"
    BULLETIN = "bulletin", "统计通报事项"


class Instruction(models.Model):
    """A leader's instruction (批示) and the report of how it was carried out (办理情况反馈).
    It is followed as a tracked task: a new one, or the task it was written on."""

    target_kind = models.CharField("批示对象", max_length=10, choices=InstructionTarget.choices)
    target_label = models.CharField("批示对象说明", max_length=200)
    leader = models.CharField("批示领导", max_length=60)
    given_on = models.DateField("批示日期")
    content = models.TextField("批示内容")
    task = models.ForeignKey(
        Task, verbose_name="督办事项", on_delete=models.PROTECT, related_name="instructions"
    )
    feedback = models.TextField("办理情况反馈", blank=True)
    fed_back_on = models.DateField("反馈日期", null=True, blank=True)
    fed_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="反馈人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = "领导批示"
        verbose_name_plural = "领导批示"
        ordering = ["-given_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.leader}批示：{self.content[:30]}"


class AccountabilityKind(models.TextChoices):
    TALK = "talk", "约谈"
    CRITICISM = "criticism", "通报批评"
    ACCOUNTABILITY = "accountability", "问责"


class Accountability(models.Model):
    """An accountability measure against a unit (and optionally a person in it), with its
    basis: the overdue tasks it rests on, and a free-text basis for lights and the rest."""

    kind = models.CharField("追责方式", max_length=16, choices=AccountabilityKind.choices)
    unit = models.ForeignKey(
        Unit, verbose_name="被追责单位", on_delete=models.PROTECT, related_name="accountability"
    )
    person = models.CharField("被追责人员", max_length=60, blank=True)
    basis = models.TextField("追责依据")
    tasks = models.ManyToManyField(
        Task, verbose_name="涉及督办事项", blank=True, related_name="accountability"
    )
    decided_by = models.CharField("决定机关/领导", max_length=100)
    decided_on = models.DateField("决定日期")
    document_number = models.CharField("文号", max_length=60, blank=True)
    document = models.FileField("决定文书", upload_to="tasks/accountability/%Y", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField("登记时间", default=timezone.now)
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = "追责记录"
        verbose_name_plural = "追责记录"
        ordering = ["-decided_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_kind_display()} {self.decided_on:%Y-%m-%d}"
