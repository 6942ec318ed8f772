"""Tracked tasks (督办事项): the one mechanism behind meeting decisions, key-project support
requests and enterprise requests (docs/rules.md §6). Meetings, supervision groups and enterprise
service live in their own modules and point at `Task`.

Overdue and the warning colour are derived from the deadline and the working-day calendar
(`baozheng.tasks.services.colour`), never stored: a stored flag would be stale the morning
after a holiday.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from baozheng.org.models import Unit


class SourceKind(models.TextChoices):
    MEETING = "meeting", "会议议定"
    PROJECT = "project", "项目要素保障"
    ENTERPRISE = "enterprise", "企业诉求"
    MANUAL = "manual", "领导交办"
    VISIT = "visit", "督导发现"
    INSTRUCTION = "instruction", "领导批示"
    IMPORT = "import", "清单导入"


class Status(models.TextChoices):
    OPENED = "opened", "立项"
    IN_PROGRESS = "in_progress", "办理中"
    REPORTED = "reported", "已反馈"
    VERIFYING = "verifying", "核实"
    CLOSED = "closed", "办结销号"


class Priority(models.TextChoices):
    NORMAL = "normal", "一般"
    HIGH = "high", "重要"
    URGENT = "urgent", "紧急"


OPEN_STATUSES = (Status.OPENED, Status.IN_PROGRESS)
AWAITING_VERIFICATION = (Status.REPORTED, Status.VERIFYING)


class Task(models.Model):
    """A thing to be done by a lead unit before a deadline, tracked until verified closed.

    `source_kind` + `source_id` point generically at what raised it (a meeting decision, a
    project problem, an enterprise request); `source_label` is its human-readable name so
    that lists need no join into other apps.
    """

    source_kind = models.CharField(
        "来源", max_length=20, choices=SourceKind.choices, default=SourceKind.MANUAL
    )
    source_id = models.PositiveBigIntegerField("来源编号", null=True, blank=True)
    source_label = models.CharField("来源说明", max_length=200, blank=True)
    title = models.CharField("督办事项", max_length=300)
    detail = models.TextField("具体要求", blank=True)
    lead_unit = models.ForeignKey(
        Unit, verbose_name="牵头单位", on_delete=models.PROTECT, related_name="led_tasks"
    )
    helpers = models.ManyToManyField(
        Unit, verbose_name="配合单位", blank=True, related_name="helped_tasks"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_tasks",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="立项人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="created_tasks",
    )
    created_at = models.DateTimeField("立项时间", default=timezone.now)
    opened_on = models.DateField("起始日期")
    deadline = models.DateField("办结时限")
    priority = models.CharField(
        "紧急程度", max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.OPENED)
    percent_done = models.PositiveSmallIntegerField("完成进度（%）", default=0)
    returned_reason = models.TextField("退回整改原因", blank=True)
    return_count = models.PositiveSmallIntegerField("退回次数", default=0)
    reported_on = models.DateField("反馈日期", null=True, blank=True)
    closure_evidence = models.TextField("办结佐证", blank=True)
    closure_file = models.FileField("佐证材料", upload_to="tasks/evidence/%Y/%m", blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="核实人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="verified_tasks",
    )
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = "督办事项"
        verbose_name_plural = "督办事项"
        ordering = ["deadline", "pk"]
        indexes = [
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["source_kind", "source_id"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def code(self) -> str:
        """The number printed on lists and in reminders: 督-2023-0042."""
        return f"督-{self.created_at:%Y}-{self.pk:04d}"

    @property
    def is_closed(self) -> bool:
        return self.status == Status.CLOSED


class ProgressKind(models.TextChoices):
    NOTE = "note", "进展"
    TRANSITION = "transition", "流转"


class TaskProgress(models.Model):
    """One line of a task's history: a progress note from a unit, or a lifecycle step with
    its note (the reason for a return, the evidence of a report, the verifier's remark)."""

    task = models.ForeignKey(
        Task, verbose_name="督办事项", on_delete=models.CASCADE, related_name="progress"
    )
    kind = models.CharField(
        "类型", max_length=12, choices=ProgressKind.choices, default=ProgressKind.NOTE
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填报人", null=True, on_delete=models.SET_NULL
    )
    unit = models.ForeignKey(
        Unit, verbose_name="填报单位", null=True, blank=True, on_delete=models.SET_NULL
    )
    from_status = models.CharField("原状态", max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField("新状态", max_length=20, choices=Status.choices, blank=True)
    note = models.TextField("内容", blank=True)
    percent_done = models.PositiveSmallIntegerField("完成进度（%）", null=True, blank=True)
    attachment = models.FileField("附件", upload_to="tasks/progress/%Y/%m", blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "办理进展"
        verbose_name_plural = "办理进展"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.note[:30]}"
