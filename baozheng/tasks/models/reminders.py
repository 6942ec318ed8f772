"""Who is reminded about a task, and the record of every reminder sent.

A `Reminder` row is the guarantee that `baozheng remind`, run from cron every few
minutes, sends each reminder once: the row is claimed (unique key) before sending and
kept only when the sending succeeded.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from baozheng.org.models import Unit
from baozheng.tasks.models.task import Task


class ContactRole(models.TextChoices):
    HEAD = "head", "单位主要负责人"
    LIAISON = "liaison", "联络员"
    DISPATCH = "dispatch", "调度办"


class WebhookKind(models.TextChoices):
    WECOM = "wecom", "企业微信群机器人"
    DINGTALK = "dingtalk", "钉钉群机器人"


class Contact(models.Model):
    """Where a unit's reminders go: an e-mail address, a group-robot webhook, or both.
    Dispatch-office contacts (`role == dispatch`) receive every escalation, whatever the unit."""

    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="task_contacts"
    )
    role = models.CharField(
        "身份", max_length=10, choices=ContactRole.choices, default=ContactRole.LIAISON
    )
    name = models.CharField("姓名/群名", max_length=60)
    email = models.EmailField("电子邮箱", blank=True)
    mobile = models.CharField("手机（用于群内@）", max_length=20, blank=True)
    webhook_kind = models.CharField(
        "机器人类型", max_length=10, choices=WebhookKind.choices, blank=True
    )
    webhook_url = models.URLField("机器人 Webhook 地址", max_length=500, blank=True)
    webhook_secret = models.CharField("钉钉加签密钥", max_length=100, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = "提醒联系人"
        verbose_name_plural = "提醒联系人"
        ordering = ["unit__path", "role", "name"]

    def __str__(self) -> str:
        return f"{self.unit.name} {self.get_role_display()} {self.name}"


class Reminder(models.Model):
    """One reminder to one address about one task at one light (blue/yellow/red) for one
    deadline. A changed deadline is a new reminder; the same light again is not."""

    task = models.ForeignKey(
        Task, verbose_name="督办事项", on_delete=models.CASCADE, related_name="reminders"
    )
    light = models.CharField("灯色", max_length=10)
    channel = models.CharField("渠道", max_length=10)
    recipient = models.CharField("接收方", max_length=500)
    deadline = models.DateField("当时的办结时限")
    claimed_at = models.DateTimeField("开始发送", default=timezone.now)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "提醒记录"
        verbose_name_plural = "提醒记录"
        ordering = ["-claimed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "light", "channel", "recipient", "deadline"],
                name="one_reminder_per_task_light_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_id} {self.light} → {self.recipient}"
