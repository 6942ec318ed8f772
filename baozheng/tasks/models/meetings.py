"""Dispatch meetings (调度会) on their cadence. A meeting's decisions are tracked tasks
whose source is the meeting (`Task.source_kind == "meeting"`, `source_id == meeting.pk`),
so there is no separate decision table to keep in step with the tasks."""

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


class Meeting(models.Model):
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
