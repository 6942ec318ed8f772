"""Who may see and act on a tracked task, built on `baozheng.org.permissions`.

- The dispatch office (and the administrator) see every task whose lead unit is in their
  scope and verify, return and close them; leaders see the same tasks, read-only.
- Every other account sees the tasks its own unit (or a unit below it) leads or helps
  with, or that name it as the responsible person; members of a supervision group
  (督导服务组) also see the tasks of the counties their group covers.
- The lead unit starts work, reports progress and reports completion; helping units add
  progress notes.

The `visible_*(user)` functions narrow lists; `one_visible(queryset, pk, what)` fetches one
object for a page: 404 when it does not exist, 403 when it exists outside what the user
may see (the one answer `baozheng.org.permissions` documents for out-of-scope objects).
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from baozheng.org.permissions import can, in_scope, scope_q, scoped
from baozheng.org.roles import Cap, Role
from baozheng.tasks.models import Enterprise, Meeting, ServiceRequest, SupervisionGroup, Task

M = TypeVar("M", bound=Model)


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


def one_visible(visible: QuerySet[M], pk: int, what: str) -> M:
    """The row `pk` of `visible`: 404 when no such row exists at all, 403 when it exists
    but lies outside what the user may see. `what` names it in the message (e.g. 督办事项)."""
    row = visible.filter(pk=pk).first()
    if row is not None:
        return row
    if visible.model._default_manager.filter(pk=pk).exists():
        raise PermissionDenied(f"您没有权限查看该{what}")
    raise Http404(f"没有找到该{what}")


def visible_task(user: Any, pk: int) -> Task:
    return one_visible(visible_tasks(user).select_related("lead_unit"), pk, "督办事项")


def visible_enterprises(user: Any) -> QuerySet[Enterprise]:
    return scoped(Enterprise.objects.select_related("county"), user, "county")


def visible_requests(user: Any) -> QuerySet[ServiceRequest]:
    """The dispatch office and leaders see every request in their counties; a department
    sees the requests assigned to it; a county the requests of its enterprises."""
    requests = ServiceRequest.objects.select_related("enterprise__county", "department", "task")
    if oversees(user):
        return scoped(requests, user, "enterprise__county")
    if user.unit is None:
        return requests.none()
    path = user.unit.path
    own_county = Q(enterprise__county__path__startswith=path) & scope_q(user, "enterprise__county")
    return requests.filter(Q(department__path__startswith=path) | own_county)


def visible_groups(user: Any) -> QuerySet[SupervisionGroup]:
    """Dispatch and leaders see every supervision group; others the groups they belong to."""
    groups = SupervisionGroup.objects.prefetch_related("counties", "members")
    return groups if oversees(user) else groups.filter(members=user)


def visible_meetings(user: Any) -> QuerySet[Meeting]:
    """Meetings the user's units attended, or every meeting for those who see all tasks."""
    meetings = Meeting.objects.all()
    if oversees(user):
        return meetings
    unit = user.unit
    if unit is None:
        return meetings.none()
    return meetings.filter(
        Q(attending_units__path__startswith=unit.path) & scope_q(user, "attending_units")
    ).distinct()
