"""Which units an audited change concerns, recorded beside auditlog's entry (AuditUnit).

A row's unit is its own foreign key to Unit (an observation's 地区, a task's 牵头单位, a
project's 县区, a user's 所在单位); a row without one takes the units of the objects it
belongs to, one or two links up (a progress note → its task → the lead unit), when the
code that saved it holds those objects already: no query is added to a hot write path
(a judge's score sheet stays at five queries). A unit the saving code holds gives its path
without a query; only units known by id alone are looked up. Links to users are not
followed: whoever edited a row is not what the row is about.
"""

from __future__ import annotations

from typing import Any

from auditlog.signals import post_log
from django.contrib.contenttypes.models import ContentType
from django.db import models

from baozheng.org.models import AuditUnit, Unit, User


def unit_paths(instance: models.Model, depth: int = 2) -> set[str]:
    if isinstance(instance, Unit):
        return {instance.path}
    links = [f for f in instance._meta.concrete_fields if f.many_to_one]
    held: set[str] = set()  # units the saving code loaded already: no query for them
    ids = set()
    for field in links:
        if field.related_model is Unit and getattr(instance, field.attname) is not None:
            if field.is_cached(instance):
                held.add(getattr(instance, field.name).path)
            else:
                ids.add(getattr(instance, field.attname))
    if ids:
        held |= set(Unit.objects.filter(pk__in=ids).values_list("path", flat=True))
    if held:
        return held
    paths: set[str] = set()
    if depth == 0:
        return paths
    for field in links:
        if field.related_model in (User, ContentType) or not field.is_cached(instance):
            continue
        parent = getattr(instance, field.name)
        if parent is not None:
            paths |= unit_paths(parent, depth - 1)
    return paths


def record_units(sender: Any, instance: models.Model, log_entry=None, **kwargs: Any) -> None:
    if log_entry is None:
        return
    AuditUnit.objects.bulk_create(
        [AuditUnit(entry=log_entry, path=path) for path in sorted(unit_paths(instance))],
        ignore_conflicts=True,
    )


def connect() -> None:
    post_log.connect(record_units, dispatch_uid="baozheng-audit-units")
