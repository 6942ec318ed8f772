"""auditlog's record of a created row, without its detours: the same changes, a third of the time.

For a new row auditlog compares every field, the reverse relations included, with "None":
it lists the model's fields anew for each row, and it reads each reverse one-to-one
relation from the database (a unit's teacher count and boundary, a task's enterprise
request and project support: two queries for every unit or task created) to find that no
row points at the row just inserted yet. Here the fields are listed once per model and
such a relation is taken as empty unless the saving code set it; every other field goes
through auditlog's own `get_field_value`, in the same order (the listed fields are kept
as the same set), so the entry stores the same changes. Updates, deletions and the
registrations this shortcut does not cover (included or masked fields, JSON changes)
keep auditlog's own diff. Verified with django-auditlog 3.4 (bounded in pyproject).

For an update auditlog reads the row again to compare with. A service that holds the row
as it stands, read under its lock or just written by itself in the same transaction (a
task's step, a draw being run, a request's backing task after its assignment), saves
inside `compared_with` a copy of it (`as_read`): nothing else can have written the row
between, so the entry is the same, without the second read.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from auditlog import diff, receivers
from auditlog.registry import auditlog
from django.db import models
from django.db.models.fields.related_descriptors import (
    ManyToManyDescriptor,
    ReverseManyToOneDescriptor,
)
from django.db.models.fields.reverse_related import OneToOneRel
from django.db.models.manager import BaseManager
from django.utils.encoding import smart_str

_library_diff = diff.model_instance_diff
_fields: dict[type[models.Model], list[Any]] = {}


def _tracked(instance: models.Model) -> list[Any]:
    """auditlog's fields of the model, in the order of the set it iterates."""
    model = instance._meta.model
    found = _fields.get(model)
    if found is None:
        found = _fields[model] = list(set(diff.get_fields_in_model(instance)))
    return found


_many: dict[tuple[type[models.Model], str], str] = {}


def _value(new: models.Model, field: Any) -> str:
    """auditlog's `get_field_value`. A relation to many rows gives the text of its
    related manager, "<label of the related model>.None", the same for every row of the
    model: it is kept, not made anew for each row (a created unit has thirty such
    relations, each a manager built to be printed), and written without building the
    manager's class when that class prints as every manager does."""
    if not (field.one_to_many or field.many_to_many):
        return diff.get_field_value(new, field)
    key = (type(new), field.name)
    text = _many.get(key)
    if text is None:
        descriptor = getattr(type(new), field.name, None)
        text = _manager_text(descriptor) or diff.get_field_value(new, field)
        if isinstance(descriptor, ReverseManyToOneDescriptor):
            _many[key] = text
    return text


def _manager_text(descriptor: Any) -> str:
    """The text of a related manager of `descriptor` (Django's `Manager.__str__`, the
    manager's name being None), if its class keeps that `__str__`; "" otherwise."""
    if not isinstance(descriptor, ReverseManyToOneDescriptor):
        return ""
    if isinstance(descriptor, ManyToManyDescriptor) and not descriptor.reverse:
        related = descriptor.rel.model
    else:
        related = descriptor.rel.related_model
    if type(related._default_manager).__str__ is not BaseManager.__str__:
        return ""
    return f"{related._meta.label}.None"


def model_instance_diff(
    old: models.Model | None,
    new: models.Model | None,
    fields_to_check=None,
    use_json_for_changes: bool = False,
) -> dict | None:
    if old is not None or new is None or fields_to_check or use_json_for_changes:
        return _library_diff(old, new, fields_to_check, use_json_for_changes)
    options = auditlog.get_model_fields(new._meta.model)
    if options["include_fields"] or options["mask_fields"]:
        return _library_diff(old, new, fields_to_check, use_json_for_changes)
    excluded = options["exclude_fields"]
    changes = {}
    for field in _tracked(new):
        if field.name in excluded:
            continue
        if isinstance(field, OneToOneRel) and not field.is_cached(new):
            continue  # nothing points at a row inserted just now: "None" both sides
        value = _value(new, field)
        if value != "None":  # a row that did not exist: every field was "None"
            changes[field.name] = ("None", smart_str(value))
    return changes or None


_read: ContextVar[models.Model | None] = ContextVar("audit_row_as_read", default=None)
_library_manager = receivers._get_manager_from_settings


def as_read(instance: models.Model) -> models.Model:
    """A copy of `instance` as just read, for `compared_with`; JSON values copied too, so
    that changing one in place leaves the copy as read."""
    row = copy.copy(instance)
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.JSONField):
            setattr(row, field.attname, copy.deepcopy(getattr(instance, field.attname)))
    return row


@contextmanager
def compared_with(row: models.Model | None) -> Iterator[None]:
    """An update of `row`'s database row inside compares with `row` (`as_read`); with
    None, auditlog reads the row itself, as outside."""
    token = _read.set(row)
    try:
        yield
    finally:
        _read.reset(token)


class _AsRead:
    """auditlog's `manager.filter(pk=…).first()` for the row held by `compared_with`."""

    def __init__(self, row: models.Model) -> None:
        self.row = row

    def filter(self, **lookup: Any) -> Any:
        if lookup == {"pk": self.row.pk}:
            return self
        return _library_manager(type(self.row)).filter(**lookup)

    def first(self) -> models.Model:
        return self.row


def _manager(model: type[models.Model]) -> Any:
    row = _read.get()
    if row is not None and type(row) is model:
        return _AsRead(row)
    return _library_manager(model)


def connect() -> None:
    receivers.model_instance_diff = model_instance_diff
    receivers._get_manager_from_settings = _manager
