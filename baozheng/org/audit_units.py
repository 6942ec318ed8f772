"""Which units an audited change concerns, recorded beside auditlog's entry (AuditUnit).

A row's unit is its own foreign key to Unit (an observation's 地区, a task's 牵头单位, a
project's 县区, a user's 所在单位); a row without one takes the units of the objects it
belongs to, one or two links up (a progress note → its task → the lead unit), when the
code that saved it holds those objects already: no query is added to a hot write path
(a judge's score sheet stays at five queries). A unit the saving code holds gives its path
without a query; only units known by id alone are looked up. Links to users are not
followed: whoever edited a row is not what the row is about.

`batched()` holds the entries of a long run of audited saves (a demo load: a thousand
tasks, progress notes and targets) and writes them, with their units, in two inserts at
the end, in the order they were made: the same rows and ids as one by one, without two
statement round trips and a model save per entry.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from auditlog.models import LogEntry, LogEntryManager
from auditlog.signals import post_log
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models.signals import pre_save

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


class _Batch:
    def __init__(self) -> None:
        self.entries: list[LogEntry] = []
        self.units: list[AuditUnit] = []

    def write(self) -> None:
        LogEntry.objects.bulk_create(self.entries)  # ids set in order, as saved one by one
        for unit in self.units:
            unit.entry_id = unit.entry.pk
        AuditUnit.objects.bulk_create(self.units, ignore_conflicts=True)


_batch: ContextVar[_Batch | None] = ContextVar("audit_batch", default=None)


@contextmanager
def batched() -> Iterator[None]:
    """Hold the audit entries made inside, and write them all in one transaction with
    the changes they record. For writers that read no audit entry back before the end
    and roll back no savepoint after an audited save (the demo's loads: an entry held
    here would outlive its rolled-back change). Entries whose actor auditlog would set
    from a request (`set_actor`) are written at once. Nested, the outermost writes."""
    if _batch.get() is not None:
        yield
        return
    batch = _Batch()
    token = _batch.set(batch)
    try:
        with transaction.atomic():
            yield
            batch.write()
    finally:
        _batch.reset(token)


_create = LogEntryManager.create


def _create_or_hold(manager: LogEntryManager, **kwargs: Any) -> LogEntry:
    """auditlog's `log_create` ends in `self.create(**kwargs)`: inside `batched()` the
    entry is built (timestamp and all) and held instead of saved."""
    batch = _batch.get()
    if batch is None or manager.model is not LogEntry or pre_save.has_listeners(LogEntry):
        return _create(manager, **kwargs)
    entry = LogEntry(**kwargs)
    batch.entries.append(entry)
    return entry


def record_units(sender: Any, instance: models.Model, log_entry=None, **kwargs: Any) -> None:
    if log_entry is None:
        return
    units = [AuditUnit(entry=log_entry, path=path) for path in sorted(unit_paths(instance))]
    batch = _batch.get()
    if batch is not None and log_entry.pk is None:
        batch.units.extend(units)
        return
    AuditUnit.objects.bulk_create(units, ignore_conflicts=True)


def connect() -> None:
    post_log.connect(record_units, dispatch_uid="baozheng-audit-units")
    LogEntryManager.create = _create_or_hold  # type: ignore[method-assign]
