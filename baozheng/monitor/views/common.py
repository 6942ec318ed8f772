"""What every monitoring page starts from: the selected period and parent, the picker
choices, and an empty state for an installation that has no approved data yet."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from baozheng.analysis.periods import Period
from baozheng.monitor.context import (
    check_period_visible,
    default_period,
    parent_choices,
    parse_period,
    period_choices,
    selected_parent,
)
from baozheng.org.models import Unit
from baozheng.reporting.periods import is_statistics_staff
from baozheng.stats.released import Releases, released_periods


@dataclass(frozen=True)
class Selection:
    period: Period
    parent: Unit
    latest: Period | None
    released: Releases  # read once for the whole page

    def picker(self, user, with_parent: bool = True) -> dict:
        collecting = is_statistics_staff(user) and self.released.in_use
        return {
            "period": self.period,
            "parent": self.parent,
            "latest": self.latest,
            "periods": period_choices(self.latest, self.period, collecting),
            "parents": parent_choices(user, self.parent) if with_parent else [],
            "unreleased": self.released.is_unreleased(self.period),
        }


def selection(request: HttpRequest, parent: Unit | None = None) -> Selection | None:
    """The page's period and parent (`parent`, else the one asked for or the user's
    default); None when there is nothing to show yet."""
    parent = parent or selected_parent(request)
    released = released_periods()
    latest = default_period(parent, released)
    text = request.GET.get("period")
    if not text and latest is None:
        return None
    period = parse_period(text, latest)
    check_period_visible(request.user, period, released)
    return Selection(period, parent, latest, released)


def empty_page(request: HttpRequest, title: str) -> HttpResponse:
    return render(request, "monitor/empty.html", {"title": title})
