"""What the leader's pages keep: the headline indicator list, unit boundaries for the
county map, revocable display links for the big screen, push channels and the record of
every push sent (one per channel and release)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from baozheng.org.models import Unit
from baozheng.stats.models import Indicator


class HeadlineIndicator(models.Model):
    """One of the few indicators that decide the year, in the order the headline shows them."""

    indicator = models.OneToOneField(
        Indicator, verbose_name="指标", on_delete=models.CASCADE, related_name="+"
    )
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "首页重点指标"
        verbose_name_plural = "首页重点指标"
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.indicator.name


class UnitBoundary(models.Model):
    """A unit's outline as a GeoJSON geometry (Polygon or MultiPolygon, WGS84 lon/lat),
    served from the product to draw the county map without map tiles."""

    unit = models.OneToOneField(
        Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="boundary"
    )
    geometry = models.JSONField("边界（GeoJSON 几何）")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "单位边界"
        verbose_name_plural = "单位边界"

    def __str__(self) -> str:
        return self.unit.name


def _new_key() -> str:
    return secrets.token_urlsafe(24)


class DisplayLink(models.Model):
    """A read-only link for the meeting room's projector: the signed link is the
    credential (no login prompt interrupts the screen), limited to one unit's subtree,
    and revoked by setting `revoked_at` or by a new key."""

    name = models.CharField("名称", max_length=60, help_text="如：调度指挥中心大屏")
    unit = models.ForeignKey(
        Unit, verbose_name="显示范围", on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField("密钥", max_length=64, default=_new_key, editable=False)
    rotate_seconds = models.PositiveSmallIntegerField("轮播间隔（秒）", default=20)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    class Meta:
        verbose_name = "大屏链接"
        verbose_name_plural = "大屏链接"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class ChannelKind(models.TextChoices):
    WECOM = "wecom", "企业微信群机器人"
    DINGTALK = "dingtalk", "钉钉群机器人"
    EMAIL = "email", "电子邮件"


class PushChannel(models.Model):
    """Where the month's summary goes: a group robot, or a list of e-mail addresses."""

    name = models.CharField("名称", max_length=60, help_text="如：市政府领导群")
    kind = models.CharField("渠道", max_length=10, choices=ChannelKind.choices)
    address = models.TextField(
        "地址", help_text="机器人 Webhook 地址；电子邮件填收件人，多个用逗号或换行分隔"
    )
    secret = models.CharField("钉钉加签密钥", max_length=100, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name="摘要所属单位",
        on_delete=models.CASCADE,
        related_name="+",
        help_text="推送该单位的月度摘要（如全市）",
    )
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "推送渠道"
        verbose_name_plural = "推送渠道"
        ordering = ["unit__path", "name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"

    def email_addresses(self) -> list[str]:
        text = self.address.replace("，", ",").replace("\n", ",")
        return [a.strip() for a in text.split(",") if a.strip()]


class PushDelivery(models.Model):
    """One summary pushed to one channel for one release (period, parent, version): the
    row is claimed before sending (unique key) and kept only when delivery succeeded, so
    a second run, or a second signal for the same release, sends nothing."""

    channel = models.ForeignKey(
        PushChannel, verbose_name="渠道", on_delete=models.CASCADE, related_name="deliveries"
    )
    period = models.CharField("期间", max_length=7)
    parent = models.CharField("单位编码", max_length=32)
    version = models.PositiveIntegerField("发布版本", default=1)
    claimed_at = models.DateTimeField("开始发送", default=timezone.now)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "推送记录"
        verbose_name_plural = "推送记录"
        ordering = ["-claimed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "period", "parent", "version"],
                name="one_push_per_channel_release",
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.period} v{self.version}"


class ReleaseNotice(models.Model):
    """A release heard of (signal or command): the big screen reloads when a newer one
    appears for its unit."""

    period = models.CharField("期间", max_length=7)
    parent = models.CharField("单位编码", max_length=32)
    version = models.PositiveIntegerField("发布版本", default=1)
    received_at = models.DateTimeField("收到时间", default=timezone.now)

    class Meta:
        verbose_name = "发布通知"
        verbose_name_plural = "发布通知"
        constraints = [
            models.UniqueConstraint(
                fields=["period", "parent", "version"], name="one_notice_per_release"
            )
        ]

    def __str__(self) -> str:
        return f"{self.parent} {self.period} v{self.version}"
