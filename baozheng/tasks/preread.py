"""The pre-read (会前材料) of a dispatch meeting: sections contributed by the apps that
have something to say about the period.

This app contributes the overdue (red) and lagging (yellow) tasks. Other apps add their
sections without this app knowing them — the statistics bulletin its red and yellow
indicators, key projects its lagging projects — by registering a function in their
AppConfig.ready()::

    from baozheng.tasks.preread import PreReadItem, PreReadSection, register

    def lagging_projects(user, on):
        return PreReadSection("滞后项目", [PreReadItem("某项目", "投资完成率 35%", "red", url)], order=20)

    register(lagging_projects)

A section function receives the reading user (show only what is in their scope) and the
meeting date, and returns a `PreReadSection` or None when it has nothing to say.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class PreReadItem:
    title: str
    detail: str = ""
    light: str = ""
    url: str = ""


@dataclass(frozen=True)
class PreReadSection:
    title: str
    items: list[PreReadItem] = field(default_factory=list)
    order: int = 50


SectionFunction = Callable[[Any, date], PreReadSection | None]
_sections: list[SectionFunction] = []


def register(function: SectionFunction) -> SectionFunction:
    if function not in _sections:
        _sections.append(function)
    return function


def build(user: Any, on: date) -> list[PreReadSection]:
    sections = [s for f in _sections if (s := f(user, on)) is not None]
    return sorted(sections, key=lambda s: s.order)


def _task_items(user: Any, on: date, light: str) -> list[PreReadItem]:
    from baozheng.tasks.access import visible_tasks
    from baozheng.tasks.models import OPEN_STATUSES
    from baozheng.tasks.services import colour

    items = []
    tasks = visible_tasks(user).filter(status__in=OPEN_STATUSES).select_related("lead_unit")
    for task in tasks:
        if colour(task, on) == light:
            late = (
                f"，已超期 {(on - task.deadline).days} 天"
                if light == "red"
                else f"，进度 {task.percent_done}%"
            )
            items.append(
                PreReadItem(
                    f"{task.code} {task.title}",
                    f"{task.lead_unit.display_name}牵头，时限 {task.deadline:%m月%d日}{late}",
                    light,
                    reverse("tasks-detail", args=[task.pk]),
                )
            )
    return items


@register
def overdue_tasks(user: Any, on: date) -> PreReadSection:
    return PreReadSection("超期督办事项（红灯）", _task_items(user, on, "red"), order=80)


@register
def lagging_tasks(user: Any, on: date) -> PreReadSection:
    return PreReadSection("进度滞后事项（黄灯）", _task_items(user, on, "yellow"), order=81)
