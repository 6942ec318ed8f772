"""Supervision-and-service groups (督导服务组): the source interviews' nine groups, each covering some
counties, whose members follow those counties' tasks, warnings and projects."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from baozheng.org.models import Unit


class SupervisionGroup(models.Model):
    name = models.CharField("名称", max_length=60, unique=True)
    order = models.PositiveSmallIntegerField("序号", default=0)
    leader_name = models.CharField("组长", max_length=60, blank=True)
    counties = models.ManyToManyField(
        Unit, verbose_name="联系县市区", related_name="supervision_groups"
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="成员", blank=True, related_name="supervision_groups"
    )
    duties = models.TextField("工作职责", blank=True)
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = "督导服务组"
        verbose_name_plural = "督导服务组"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name
