"""The home page's hints for tracked tasks and enterprise requests, and the counts behind them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.urls import reverse

from baozheng.org.navigation import Hint
from baozheng.org.permissions import can, scoped
from baozheng.org.roles import Cap
from baozheng.tasks.access import oversees, visible_tasks
from baozheng.tasks.models import OPEN_STATUSES, RequestStatus, ServiceRequest, Status
from baozheng.tasks.services import colour, today


@dataclass(frozen=True)
class HintCounts:
    red: int = 0
    blue: int = 0
    to_verify: int = 0
    to_assign: int = 0
    missed: int = 0


def counts_for(user: Any) -> HintCounts:
    if not can(user, Cap.VIEW):
        return HintCounts()
    tasks = visible_tasks(user)
    if oversees(user):
        mine = tasks.filter(Q(owner=user) | Q(created_by=user))
    else:
        mine = tasks
    on = today()
    lights = [colour(t, on) for t in mine.filter(status__in=OPEN_STATUSES)]
    to_verify = to_assign = missed = 0
    if can(user, Cap.DISPATCH):
        from baozheng.tasks.meetings import missed_meetings

        missed = len(missed_meetings(on))
        to_verify = tasks.filter(status=Status.REPORTED).count()
        to_assign = scoped(
            ServiceRequest.objects.filter(status=RequestStatus.RECEIVED), user, "enterprise__county"
        ).count()
    return HintCounts(lights.count("red"), lights.count("blue"), to_verify, to_assign, missed)


def hints(user: Any) -> list[Hint]:
    """Overdue and nearly due tasks of one's own; for dispatch, what waits on them."""
    counts = counts_for(user)
    found = []
    if counts.red:
        found.append(
            Hint(
                f"您有 {counts.red} 项督办事项已超期",
                reverse("tasks-mine") + "?light=red",
                counts.red,
            )
        )
    if counts.blue:
        found.append(
            Hint(
                f"您有 {counts.blue} 项督办事项即将到期",
                reverse("tasks-mine") + "?light=blue",
                counts.blue,
            )
        )
    if counts.to_verify:
        found.append(
            Hint(
                f"有 {counts.to_verify} 项督办事项待核实销号",
                reverse("tasks-board") + "?status=reported",
                counts.to_verify,
            )
        )
    if counts.missed:
        found.append(
            Hint(
                f"有 {counts.missed} 次例行会议未按期召开",
                reverse("tasks-series"),
                counts.missed,
            )
        )
    if counts.to_assign:
        found.append(
            Hint(
                f"有 {counts.to_assign} 件企业诉求待交办",
                reverse("tasks-requests") + "?status=received",
                counts.to_assign,
            )
        )
    return found
