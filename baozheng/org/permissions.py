"""The one place that decides who may see or change what.

Every view, export and API call asks `can(user, cap, unit)` or narrows its queryset with
`scoped(queryset, user, field)`; department staff are further narrowed to the matters
their own department is responsible for with `for_department(queryset, user, field)`.
Apps keep their object-access helpers (fetch one object, then check it) in their own
`access.py`, built on these functions, never in a views module.

One answer for refusals: an object outside the user's scope, or one the user may not act
on, raises `PermissionDenied` (HTTP 403 with a Chinese page), exactly as a missing
capability does. 404 is kept for objects that do not exist at all. Nothing outside the
user's unit subtrees is ever returned.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse

from baozheng.org.models import Unit, User
from baozheng.org.roles import Role


def scope_paths(user: Any) -> list[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_scope_paths", None)
    if cached is None:
        cached = sorted(user.scope.values_list("path", flat=True))
        user._scope_paths = cached
    return cached


def in_scope(user: Any, unit: Unit | None) -> bool:
    if unit is None:
        return False
    return any(unit.path.startswith(path) for path in scope_paths(user))


def can(user: Any, cap: str, unit: Unit | None = None) -> bool:
    """True when the user's role holds `cap` and, if a unit is given, it lies in scope."""
    if not getattr(user, "is_authenticated", False) or cap not in user.caps:
        return False
    return unit is None or in_scope(user, unit)


def check(user: Any, cap: str, unit: Unit | None = None) -> None:
    if not can(user, cap, unit):
        raise PermissionDenied("您没有权限访问该内容")


def scope_q(user: Any, field: str = "") -> Q:
    """A filter on `<field>__path` that keeps rows whose unit is in the user's scope."""
    prefix = f"{field}__path" if field else "path"
    paths = scope_paths(user)
    if not paths:
        return Q(pk__in=[])
    q = Q()
    for path in paths:
        q |= Q(**{f"{prefix}__startswith": path})
    return q


def scoped(queryset: QuerySet, user: Any, field: str = "unit") -> QuerySet:
    """Narrow a queryset of rows that have a unit foreign key (or units themselves: field="")."""
    return queryset.filter(scope_q(user, field))


def visible_units(user: Any) -> QuerySet[Unit]:
    return scoped(Unit.objects.all(), user, field="")


def require(cap: str) -> Callable:
    """View decorator: log in first, then hold `cap` (scope is checked by the view per unit)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            check(request.user, cap)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def primary_unit(user: User) -> Unit | None:
    """The unit a user's pages open on: their own unit, else the top of their scope."""
    if user.unit_id and in_scope(user, user.unit):
        return user.unit
    return visible_units(user).order_by("path").first()


def can_for(user: Any, cap: str, unit: Unit | None, responsible: Unit | None) -> bool:
    """`can(user, cap, unit)`, and department staff only on matters their own department
    is responsible for (`responsible`, e.g. an indicator's department); other roles that
    hold the capability act on everything in their scope."""
    if not can(user, cap, unit):
        return False
    if user.role != Role.DEPARTMENT:
        return True
    return responsible is not None and user.unit_id == responsible.pk


def for_department(queryset: QuerySet, user: Any, field: str = "indicator__department") -> QuerySet:
    """Department staff see only rows their own department is responsible for (`field`
    names the responsible unit, e.g. an observation's indicator's department); every other
    role is left as is. The queryset form of the rule `can_for` applies to one object."""
    if getattr(user, "role", None) != Role.DEPARTMENT:
        return queryset
    return queryset.filter(**{f"{field}_id": user.unit_id})


def scoped_or_assigned(
    queryset: QuerySet, user: Any, field: str = "unit", person_field: str = "owner"
) -> QuerySet:
    """Rows of units in the user's scope; a leader (read-only role) sees, within that
    scope, only the rows assigned to them (e.g. the projects they are responsible for)."""
    rows = scoped(queryset, user, field)
    if getattr(user, "role", None) == Role.LEADER:
        rows = rows.filter(**{person_field: user})
    return rows
