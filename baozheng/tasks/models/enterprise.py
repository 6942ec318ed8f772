"""Enterprise service (万人助万企, docs/rules.md §6.4): enterprises paired with a cadre, and their
requests (诉求) through the green channel. Each assigned request is backed by a tracked
task; the request's own lifecycle follows the task (reported → handled, closed →
resolved) and then the follow-up call."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from baozheng.org.models import Unit
from baozheng.tasks.creditcode import validate_credit_code
from baozheng.tasks.models.task import Task


class Enterprise(models.Model):
    credit_code = models.CharField(
        "统一社会信用代码", max_length=18, unique=True, validators=[validate_credit_code]
    )
    name = models.CharField("企业名称", max_length=200)
    county = models.ForeignKey(
        Unit, verbose_name="所在县市区", on_delete=models.PROTECT, related_name="enterprises"
    )
    industry = models.CharField("所属行业", max_length=60, blank=True)
    above_scale = models.BooleanField("规模以上", default=False)
    cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="包联干部（账户）",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="paired_enterprises",
    )
    cadre_name = models.CharField("包联干部", max_length=60, blank=True)
    cadre_phone = models.CharField("包联干部电话", max_length=20, blank=True)
    self_registered = models.BooleanField("企业自行登记（待核实）", default=False)
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = "企业"
        verbose_name_plural = "企业"
        ordering = ["county__path", "name"]

    def __str__(self) -> str:
        return self.name


class RequestCategory(models.TextChoices):
    LAND = "land", "用地"
    ENERGY = "energy", "用能用电"
    LABOUR = "labour", "用工"
    FINANCE = "finance", "融资"
    APPROVAL = "approval", "审批手续"
    LOGISTICS = "logistics", "物流运输"
    POLICY = "policy", "政策兑现"
    OTHER = "other", "其他"


class Complexity(models.TextChoices):
    GENERAL = "general", "一般问题"
    COMPLEX = "complex", "复杂问题"


class RequestStatus(models.TextChoices):
    RECEIVED = "received", "已受理"
    ASSIGNED = "assigned", "已交办"
    HANDLED = "handled", "已办理"
    RESOLVED = "resolved", "已解决"
    FOLLOWED_UP = "followed_up", "已回访"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASICALLY = "basically", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class Channel(models.TextChoices):
    STAFF = "staff", "包联干部/窗口登记"
    PUBLIC = "public", "企业在线提交"


class ServiceRequest(models.Model):
    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="requests"
    )
    receipt_code = models.CharField("回执码", max_length=12, unique=True)
    channel = models.CharField(
        "渠道", max_length=10, choices=Channel.choices, default=Channel.STAFF
    )
    category = models.CharField("诉求类别", max_length=12, choices=RequestCategory.choices)
    complexity = models.CharField(
        "问题类型", max_length=10, choices=Complexity.choices, default=Complexity.GENERAL
    )
    description = models.TextField("诉求内容")
    contact_name = models.CharField("联系人", max_length=60, blank=True)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    received_on = models.DateField("受理日期")
    received_at = models.DateTimeField("受理时间", default=timezone.now)
    department = models.ForeignKey(
        Unit,
        verbose_name="承办单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprise_requests",
    )
    assigned_on = models.DateField("交办日期", null=True, blank=True)
    task = models.OneToOneField(
        Task,
        verbose_name="督办事项",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enterprise_request",
    )
    handled_on = models.DateField("办理日期", null=True, blank=True)
    resolved_on = models.DateField("解决日期", null=True, blank=True)
    satisfaction = models.CharField(
        "满意度", max_length=12, choices=Satisfaction.choices, blank=True
    )
    follow_up_note = models.TextField("回访记录", blank=True)
    followed_up_on = models.DateField("回访日期", null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField("重办次数", default=0)
    on_time_count = models.PositiveSmallIntegerField("按期办结次数", default=0)
    late_count = models.PositiveSmallIntegerField("超期办结次数", default=0)
    submitted_from = models.GenericIPAddressField("提交地址", null=True, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = "企业诉求"
        verbose_name_plural = "企业诉求"
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["submitted_from", "received_at"])]

    def __str__(self) -> str:
        return f"{self.receipt_code} {self.enterprise.name}"
