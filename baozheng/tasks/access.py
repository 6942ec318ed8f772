"""Who may see and act on a tracked task, built on `baozheng.org.permissions`.

- The dispatch office (and the administrator) see every task whose lead unit is in their
  scope and verify, return and close them; leaders see the same tasks, read-only.
- Every other account sees the tasks its own unit (or a unit below it) leads or helps
  with, or that name it as the responsible person; members of a supervision group
  (督导服务组) also see the tasks of the counties their group covers.
- The lead unit starts work, reports progress and reports completion; helping units add
  progress notes.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from baozheng.org.permissions import can, in_scope, scope_q
from baozheng.org.roles import Cap, Role
from baozheng.tasks.models import Task


def oversees(user: Any) -> bool:
    """Sees all tasks in scope: the dispatch office, the administrator, read-only leaders."""
    return can(user, Cap.DISPATCH) or (can(user, Cap.VIEW) and user.role == Role.LEADER)


def _own_unit_path(user: Any) -> str | None:
    unit = getattr(user, "unit", None)
    if unit is None or not in_scope(user, unit):
        return None
    return unit.path


def visible_tasks(user: Any, queryset: QuerySet[Task] | None = None) -> QuerySet[Task]:
    queryset = Task.objects.all() if queryset is None else queryset
    if not can(user, Cap.VIEW):
        return queryset.none()
    if oversees(user):
        return queryset.filter(scope_q(user, "lead_unit"))
    q = Q(owner=user)
    path = _own_unit_path(user)
    if path:
        q |= Q(lead_unit__path__startswith=path) | Q(helpers__path__startswith=path)
    from baozheng.tasks.groups import covered_units_q

    q |= covered_units_q(user, "lead_unit")
    return queryset.filter(q).distinct()


def can_see(user: Any, task: Task) -> bool:
    return visible_tasks(user, Task.objects.filter(pk=task.pk)).exists()


def leads(user: Any, task: Task) -> bool:
    """May act for the lead unit: start, report progress and completion."""
    if can(user, Cap.DISPATCH, task.lead_unit):
        return True
    path = _own_unit_path(user)
    return (
        bool(path) and can(user, Cap.ENTER, task.lead_unit) and task.lead_unit.path.startswith(path)
    )


def helps(user: Any, task: Task) -> bool:
    """May add progress notes as a helping unit."""
    path = _own_unit_path(user)
    if not path or not can(user, Cap.ENTER):
        return False
    return task.helpers.filter(path__startswith=path).exists()


def verifies(user: Any, task: Task) -> bool:
    """May verify, return for rework and close: the dispatch office for this lead unit."""
    return can(user, Cap.DISPATCH, task.lead_unit)
