"""What a supervision group's membership lets a user see: every unit inside the counties
the group covers (the county itself and, by path, everything below it)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from baozheng.tasks.models import SupervisionGroup


def covered_paths(user: Any) -> list[str]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_group_paths", None)
    if cached is None:
        cached = sorted(
            SupervisionGroup.objects.filter(members=user)
            .values_list("counties__path", flat=True)
            .distinct()
        )
        cached = [p for p in cached if p]
        user._group_paths = cached
    return cached


def covered_units_q(user: Any, field: str) -> Q:
    """Rows whose `field` unit lies in a county covered by one of the user's groups."""
    q = Q(pk__in=[])
    for path in covered_paths(user):
        q |= Q(**{f"{field}__path__startswith": path})
    return q
