"""Organisation units (docs/rules.md §1), peer groups for ranking, and users with role and scope."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models

from baozheng.org.roles import ROLE_CAPS, Role


class UnitKind(models.TextChoices):
    COUNTRY = "country", "国家"
    PROVINCE = "province", "省"
    CITY = "city", "市"
    DISTRICT = "district", "区"
    COUNTY = "county", "县"
    COUNTY_CITY = "county_city", "县级市"
    ZONE = "zone", "功能区"
    TOWNSHIP = "township", "乡镇"
    SUBDISTRICT = "subdistrict", "街道"
    DEPARTMENT = "department", "部门"
    SCHOOL = "school", "学校"
    CENTRAL_SCHOOL = "central_school", "中心校"

    @classmethod
    def parse(cls, text: str) -> UnitKind:
        """Accept the Chinese label or the English value, as imports do."""
        text = text.strip()
        for kind in cls:
            if text in (kind.value, kind.label):
                return kind
        raise ValueError(f"未知的单位类型“{text}”，可选：{'、'.join(cls.labels)}")


class UnitQuerySet(models.QuerySet["Unit"]):
    def subtree(self, unit: Unit) -> UnitQuerySet:
        return self.filter(path__startswith=unit.path)

    def home(self) -> Unit:
        """The unit that runs this installation: settings.HOME_UNIT, else the unit marked
        `is_home`, else the tree's root. Dashboards and bulletins open on it."""
        if settings.HOME_UNIT:
            found = self.filter(code=settings.HOME_UNIT).first()
            if found:
                return found
        marked = self.filter(is_home=True).order_by("path").first()
        if marked:
            return marked
        root = self.filter(parent__isnull=True).order_by("code").first()
        if root is None:
            raise Unit.DoesNotExist("尚未创建任何单位")
        return root


class Unit(models.Model):
    """A node of the unit tree. `path` ("410000/411300/411302/") makes "this unit and
    everything below it" one indexed prefix query, which every scope check needs."""

    code = models.CharField("编码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    peer_group = models.ForeignKey(
        "PeerGroup",
        verbose_name="分组",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    path = models.CharField(max_length=400, editable=False, db_index=True)
    short_name = models.CharField("简称", max_length=40, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)
    is_home = models.BooleanField(
        "本级单位",
        default=False,
        help_text="使用本系统的单位（通常是本市）；驾驶舱和通报默认以它为上级",
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        old_path = self.path
        self.path = Unit.path_of(self.code, self.parent if self.parent_id else None)
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            for child in Unit.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                child.save()

    @staticmethod
    def path_of(code: str, parent: Unit | None) -> str:
        return (parent.path if parent is not None else "") + f"{code}/"

    def clean(self) -> None:
        if self.parent_id and self.pk and self.parent.path.startswith(self.path):
            raise ValidationError({"parent": "上级单位不能是本单位或其下级"})
        if self.peer_group_id and self.peer_group.parent_id != self.parent_id:
            raise ValidationError({"peer_group": "分组必须属于本单位的上级单位"})

    def is_within(self, other: Unit) -> bool:
        return self.path.startswith(other.path)

    def ancestors(self) -> list[Unit]:
        codes = self.path.strip("/").split("/")[:-1]
        by_code = {u.code: u for u in Unit.objects.filter(code__in=codes)}
        return [by_code[c] for c in codes if c in by_code]

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class PeerGroup(models.Model):
    """Children of one parent that are ranked against each other (县市区, 功能区 …).
    `partitions` marks the group whose members together make up the parent, so that
    sums over it do not double-count (functional zones lie inside districts)."""

    code = models.CharField("编码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=60)
    parent = models.ForeignKey(
        Unit, verbose_name="上级单位", on_delete=models.CASCADE, related_name="peer_groups"
    )
    partitions = models.BooleanField("构成上级全域", default=False)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "分组"
        verbose_name_plural = "分组"
        ordering = ["parent__path", "order", "code"]

    def __str__(self) -> str:
        return f"{self.parent.name}·{self.name}"


class User(AbstractUser):
    """An account with one role and one or more unit subtrees it may see (its scope)."""

    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.LEADER)
    full_name = models.CharField("姓名", max_length=60, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name="所在单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    scope = models.ManyToManyField(
        Unit, verbose_name="数据范围", blank=True, related_name="scoped_users"
    )
    phone = models.CharField("手机", max_length=20, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def caps(self) -> frozenset[str]:
        if not self.is_active:
            return frozenset()
        return ROLE_CAPS.get(self.role, frozenset())


class FormSubmission(models.Model):
    """A create form's one-time key (lib/once.py): a second POST of the same page, by a
    double click, a retry or the back button, finds the key used and creates nothing."""

    key = models.CharField(max_length=32, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    result_url = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = "表单提交记录"
        verbose_name_plural = "表单提交记录"

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"


class AuditUnit(models.Model):
    """The unit an audit entry concerns, so that the audit page filters by unit.

    A side table rather than LogEntry.additional_data: a row per unit lets one entry name
    several units, is filtered with an indexed `path__startswith` on SQLite and PostgreSQL
    alike (JSON key lookups differ between the two), and needs no method on every audited
    model. It keeps the unit's path as it was when the change was made, so the entry
    stays findable under its parent after the unit is moved or removed. Filled by
    org/audit_units.py when auditlog writes an entry; earlier entries have none.
    """

    entry = models.ForeignKey(
        "auditlog.LogEntry", on_delete=models.CASCADE, related_name="audit_units"
    )
    path = models.CharField(max_length=400, db_index=True)

    class Meta:
        verbose_name = "审计记录所涉单位"
        verbose_name_plural = "审计记录所涉单位"
        constraints = [models.UniqueConstraint(fields=["entry", "path"], name="audit_unit_once")]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.path}"
