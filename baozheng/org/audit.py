"""The audit trail as its readers read it: Chinese actions and field labels, filters.

django-auditlog stores each change as a dict of field name → [old, new]. The page used to
iterate that dict in the template, where `changes.items` looks the key "items" up before
the method: a scheme's change set has a field named `items` (its reverse relation), so
every page holding one returned 500. Here the rows are built in Python, each field named
by its verbose name, and the template only loops over plain lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from baozheng.org.models import AuditUnit, Unit, UnitKind
from baozheng.org.permissions import check, visible_units
from baozheng.org.roles import Cap

FINE_KINDS = (UnitKind.TOWNSHIP, UnitKind.SUBDISTRICT, UnitKind.SCHOOL, UnitKind.CENTRAL_SCHOOL)
ACTIONS = {
    LogEntry.Action.CREATE: "新增",
    LogEntry.Action.UPDATE: "修改",
    LogEntry.Action.DELETE: "删除",
    LogEntry.Action.ACCESS: "查看",
}


@dataclass(frozen=True)
class AuditRow:
    timestamp: datetime
    actor: str
    object_type: str
    object_name: str
    action: str
    changes: list[tuple[str, str, str]]  # (field label, old, new)


def _label(model: type | None, field: str) -> str:
    if model is None:
        return field
    try:
        return str(getattr(model._meta.get_field(field), "verbose_name", field))
    except FieldDoesNotExist:
        return field


def _text(value: object) -> str:
    return "（空）" if value in (None, "", "None") else str(value)


def audit_row(entry: LogEntry) -> AuditRow:
    model = entry.content_type.model_class() if entry.content_type_id else None
    changes = entry.changes_dict if isinstance(entry.changes_dict, dict) else {}
    pairs = []
    for field, change in changes.items():
        if isinstance(change, list | tuple) and len(change) >= 2:
            old, new = change[0], change[1]
        else:
            old, new = "", change
        pairs.append((_label(model, field), _text(old), _text(new)))
    return AuditRow(
        timestamp=entry.timestamp,
        actor=str(entry.actor) if entry.actor_id else "系统",
        object_type=str(model._meta.verbose_name) if model else entry.content_type.name,
        object_name=entry.object_repr,
        action=ACTIONS.get(entry.action, str(entry.action)),
        changes=pairs,
    )


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def filter_entries(params, user) -> tuple[QuerySet[LogEntry], dict[str, str]]:
    """Entries filtered by user, object type, unit (with its subtree), date range and a
    search of the object's name or the changed values; returns the queryset and the filters
    as applied (for the form). A unit outside the reader's scope is refused (403)."""
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp")
    keys = ("user", "type", "unit", "start", "end", "q")
    applied = {k: params.get(k, "").strip()[:100] for k in keys}
    if applied["user"]:
        entries = entries.filter(actor__username=applied["user"])
    if applied["type"].isascii() and applied["type"].isdigit():
        entries = entries.filter(content_type_id=int(applied["type"][:9]))
    if applied["unit"]:
        unit = Unit.objects.filter(code=applied["unit"]).first()
        if unit is None:
            applied["unit"] = ""
        else:
            check(user, Cap.MANAGE, unit)
            concerned = AuditUnit.objects.filter(entry=OuterRef("pk"), path__startswith=unit.path)
            entries = entries.filter(Exists(concerned))
    zone = timezone.get_current_timezone()
    if start := _day(applied["start"]):
        entries = entries.filter(timestamp__gte=datetime.combine(start, time.min, zone))
    if end := _day(applied["end"]):
        entries = entries.filter(timestamp__lte=datetime.combine(end, time.max, zone))
    if applied["q"]:
        entries = entries.filter(
            Q(object_repr__icontains=applied["q"]) | Q(changes_text__icontains=applied["q"])
        )
    return entries, applied


def unit_choices(user) -> list[tuple[str, str]]:
    """The units the reader may filter by: their scope, down to counties and departments
    (townships and schools are reached through their county, whose filter includes them)."""
    units = visible_units(user).exclude(kind__in=FINE_KINDS).order_by("path")
    return [(u.code, u.name) for u in units]


def type_choices() -> list[tuple[int, str]]:
    """The object types that have entries, by their Chinese names."""
    ids = LogEntry.objects.values_list("content_type_id", flat=True).distinct()
    types = ContentType.objects.filter(pk__in=list(ids))
    named = [
        (t.pk, str(t.model_class()._meta.verbose_name) if t.model_class() else t.name)
        for t in types
    ]
    return sorted(named, key=lambda pair: pair[1])
