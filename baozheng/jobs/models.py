"""A background job as its starter sees it: what it is, how far it got, what came out.

The engine (django-tasks with its database backend) queues and runs the work; this row
holds what the page that started it shows: the progress (rows read, checked, written)
and the result. Progress is written from the job's own database connection outside the
work's transaction, so that an all-or-nothing import can report while it writes.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class JobState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class Job(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField("类型", max_length=30)
    title = models.CharField("名称", max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.CASCADE
    )
    state = models.CharField(
        "状态", max_length=10, choices=JobState.choices, default=JobState.QUEUED
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    total = models.BigIntegerField("总行数", null=True, blank=True)
    read = models.BigIntegerField("已读取", default=0)
    checked = models.BigIntegerField("已检查", default=0)
    written = models.BigIntegerField("已写入", default=0)
    params = models.JSONField("参数", default=dict)
    result = models.JSONField("结果", default=dict)
    error = models.TextField("错误", blank=True)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = verbose_name
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_state_display()}）"

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)

    def percent(self, stage: str) -> int:
        if not self.total:
            return 100 if self.finished else 0
        return min(100, round(100 * getattr(self, stage) / self.total))
