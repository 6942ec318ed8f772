"""What every monitoring page starts from: the selected period and parent, the picker
choices, and an empty state for an installation that has no approved data yet."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from baozheng.analysis.periods import Period
from baozheng.monitor.context import (
    latest_release,
    parent_choices,
    parse_period,
    period_choices,
    selected_parent,
)
from baozheng.org.models import Unit


@dataclass(frozen=True)
class Selection:
    period: Period
    parent: Unit
    latest: Period | None

    def picker(self, user, with_parent: bool = True) -> dict:
        return {
            "period": self.period,
            "parent": self.parent,
            "latest": self.latest,
            "periods": period_choices(self.latest, self.period),
            "parents": parent_choices(user, self.parent) if with_parent else [],
        }


def selection(request: HttpRequest) -> Selection | None:
    """The page's period and parent; None when there is nothing to show yet."""
    parent = selected_parent(request)
    latest = latest_release(parent)
    text = request.GET.get("period")
    if not text and latest is None:
        return None
    return Selection(parse_period(text, latest), parent, latest)


def empty_page(request: HttpRequest, title: str) -> HttpResponse:
    return render(request, "monitor/empty.html", {"title": title})
