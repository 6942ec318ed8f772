"""The home page's hints for key projects."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from baozheng.org.navigation import Hint
from baozheng.org.permissions import can
from baozheng.org.roles import Cap, Role
from baozheng.projects.facts import load_facts, missing_report, reporting_month, visible_projects


def hints(user: Any) -> list[Hint]:
    """Clerks: projects still missing this month's report; everyone: red warnings."""
    if not can(user, Cap.VIEW):
        return []
    projects = visible_projects(user)
    if not projects.exists():
        return []
    month = reporting_month()
    found = []
    if can(user, Cap.ENTER) and user.role == Role.CLERK:
        missing = missing_report(projects, month).count()
        if missing:
            found.append(
                Hint(
                    f"{month.label}尚有重点项目未填报月度进展",
                    reverse("projects-list") + "?missing=1",
                    missing,
                )
            )
    red = sum(f.level == "red" for f in load_facts(projects, month))
    if red:
        found.append(
            Hint(
                f"{month.label}重点项目红灯预警",
                reverse("projects-warnings") + "?level=red",
                red,
            )
        )
    if user.role == Role.LEADER:
        found.append(Hint("我的分包项目", reverse("projects-mine"), projects.count()))
    return found
