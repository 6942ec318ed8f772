"""Dispatch meetings (调度会) on their cadence. A meeting series (周研判, 旬会商, 月调度)
holds the chair and standing attendees; each meeting is planned, then held with its
attendance and minutes. A meeting's decisions are tracked tasks whose source is the
meeting (`Task.source_kind == "meeting"`, `source_id == meeting.pk`), so there is no
separate decision table to keep in step with the tasks."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from baozheng.org.models import Unit


class MeetingKind(models.TextChoices):
    WEEKLY_REVIEW = "weekly_review", "周研判"
    TEN_DAY = "ten_day", "旬会商"
    MONTHLY = "monthly", "月调度"
    WEEKLY_ROUTINE = "weekly_routine", "周例会"
    SPECIAL = "special", "专题会"


CADENCE = {
    MeetingKind.WEEKLY_REVIEW: "每周一次",
    MeetingKind.TEN_DAY: "每旬一次（上、中、下旬）",
    MeetingKind.MONTHLY: "每月一次",
    MeetingKind.WEEKLY_ROUTINE: "每周一次",
    MeetingKind.SPECIAL: "根据需要召开",
}


class MeetingSeries(models.Model):
    """A standing meeting held once per week, 旬 or month (`baozheng.tasks.cadence`)."""

    kind = models.CharField("会议类型", max_length=20, choices=MeetingKind.choices)
    title = models.CharField("会议名称", max_length=200)
    chair = models.CharField("主持人", max_length=60)
    standing_units = models.ManyToManyField(
        Unit, verbose_name="固定参会单位", blank=True, related_name="meeting_series"
    )
    started_on = models.DateField("起始日期")
    active = models.BooleanField("按期召开", default=True)
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = "会议序列"
        verbose_name_plural = "会议序列"
        ordering = ["kind", "title"]

    def __str__(self) -> str:
        return self.title


class MeetingState(models.TextChoices):
    PLANNED = "planned", "已排期"
    HELD = "held", "已召开"


class Meeting(models.Model):
    series = models.ForeignKey(
        MeetingSeries,
        verbose_name="会议序列",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    state = models.CharField(
        "状态", max_length=10, choices=MeetingState.choices, default=MeetingState.HELD
    )
    kind = models.CharField("会议类型", max_length=20, choices=MeetingKind.choices)
    title = models.CharField("会议名称", max_length=200)
    held_on = models.DateField("会议日期")
    chair = models.CharField("主持人", max_length=60)
    attending_units = models.ManyToManyField(
        Unit, verbose_name="参会单位", blank=True, related_name="meetings"
    )
    agenda = models.TextField("会议议程", blank=True)
    minutes = models.TextField("会议纪要", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.SET_NULL
    )
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = "调度会"
        verbose_name_plural = "调度会"
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"

    @property
    def cadence(self) -> str:
        return CADENCE.get(self.kind, "")


class Presence(models.TextChoices):
    PRESENT = "present", "出席"
    EXCUSED = "excused", "请假"
    ABSENT = "absent", "缺席"


class Attendance(models.Model):
    """Whether one attending unit came to one meeting; an excused absence has its reason."""

    meeting = models.ForeignKey(
        Meeting, verbose_name="会议", on_delete=models.CASCADE, related_name="attendance"
    )
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    presence = models.CharField("出席情况", max_length=10, choices=Presence.choices)
    attendee = models.CharField("参会人", max_length=60, blank=True)
    reason = models.CharField("请假事由", max_length=200, blank=True)

    class Meta:
        verbose_name = "参会记录"
        verbose_name_plural = "参会记录"
        ordering = ["unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "unit"], name="one_attendance_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_presence_display()}"
