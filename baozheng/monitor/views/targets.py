from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from baozheng.analysis.periods import FIRST_YEAR, LAST_YEAR
from baozheng.lib.bounds import parse_int
from baozheng.monitor.context import parent_choices, selected_parent
from baozheng.org.permissions import can, require
from baozheng.org.roles import Cap
from baozheng.stats.decomposition import decomposition_lines
from baozheng.stats.models import Target
from baozheng.stats.targets import adjusted


@require(Cap.VIEW)
def targets(request: HttpRequest) -> HttpResponse:
    """The year's targets of a unit and whether its children's targets add up to them."""
    parent = selected_parent(request)
    year = _year_from(request)
    lines = decomposition_lines(parent, year)
    return render(
        request,
        "monitor/targets.html",
        {
            "parent": parent,
            "year": year,
            "lines": lines,
            "adjusted": adjusted(line.target for line in lines),
            "can_edit": can(request.user, Cap.DISPATCH, parent),
            "years": Target.objects.filter(unit=parent)
            .values_list("year", flat=True)
            .distinct()
            .order_by("-year"),
            "parents": parent_choices(request.user, parent),
        },
    )


def _year_from(request: HttpRequest) -> int:
    try:
        return parse_int(request.GET["year"], FIRST_YEAR, LAST_YEAR)
    except (KeyError, ValueError):
        latest = Target.objects.order_by("-year").values_list("year", flat=True).first()
        return latest or timezone.localdate().year
