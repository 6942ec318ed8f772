"""A background job as its starter sees it: what it is, how far it got, what came out.

The engine (django-tasks with its database backend) queues and runs the work; this row
holds what the page that started it shows: the progress (rows read, checked, written for
an import; steps done of a total for the other kinds: documents built, items scored,
messages sent) and the result. Live progress goes through the shared cache while the job
runs (`progress.py`); the row gets the final figures when it ends.

`key` names the one thing a job produces (a document of one data version): while a job
with that key is queued or running no second one may exist, so concurrent requests join
it (`joined`) instead of building the same file twice.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


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
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text="空：由命令行或定时调度发起",
    )
    joined = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="同时请求的用户",
        related_name="joined_jobs",
        blank=True,
    )
    key = models.CharField("产物标识", max_length=200, blank=True, default="")
    state = models.CharField(
        "状态", max_length=10, choices=JobState.choices, default=JobState.QUEUED
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    total = models.BigIntegerField("总行数", null=True, blank=True)
    read = models.BigIntegerField("已读取", default=0)
    checked = models.BigIntegerField("已检查", default=0)
    written = models.BigIntegerField("已写入", default=0)
    done = models.BigIntegerField("已完成步数", default=0)
    attempts = models.PositiveIntegerField("已尝试次数", default=0)
    params = models.JSONField("参数", default=dict)
    result = models.JSONField("结果", default=dict)
    error = models.TextField("错误", blank=True)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = verbose_name
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                condition=Q(state__in=["queued", "running"]) & ~Q(key=""),
                name="jobs_one_active_job_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_state_display()}）"

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)


class Schedule(models.Model):
    """When a periodic job (`scheduler.py`) is next due. A scheduler claims a due row with
    a row lock and moves `next_run` on in the transaction that enqueues the job, so several
    schedulers on several machines enqueue each run once."""

    name = models.CharField("名称", max_length=30, primary_key=True)
    next_run = models.DateTimeField("下次运行")
    last_run = models.DateTimeField("上次运行", null=True, blank=True)

    class Meta:
        verbose_name = "定时任务"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.name
