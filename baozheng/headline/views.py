"""The headline page (要览): the leader's and the dispatch office's thirty seconds."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from baozheng.headline import mapfig
from baozheng.headline.summary import (
    Headline,
    build,
    headline_indicators,
    headline_period,
    lagging_projects,
    red_tasks,
)
from baozheng.monitor.context import default_parent, parse_period, period_choices
from baozheng.monitor.report import Row
from baozheng.org.models import PeerGroup, Unit
from baozheng.org.permissions import can, check, require, scope_q
from baozheng.org.roles import Cap
from baozheng.projects.facts import visible_projects
from baozheng.tasks.access import visible_tasks
from baozheng.tasks.services import today
from baozheng.workcal.calendar import coverage_warning


def selected_unit(request: HttpRequest) -> Unit:
    code = request.GET.get("unit")
    unit = Unit.objects.filter(code=code).first() if code else default_parent(request.user)
    if unit is None:
        raise Http404("未找到该单位")
    check(request.user, Cap.VIEW, unit)
    return unit


def unit_choices(user, selected: Unit) -> list[Unit]:
    parent_ids = PeerGroup.objects.values_list("parent_id", flat=True)
    units = list(Unit.objects.filter(scope_q(user), pk__in=parent_ids).order_by("path"))
    if selected not in units:
        units.insert(0, selected)
    return units


def map_rows(headline: Headline, code: str) -> list[Row]:
    """The shapes of the map: the unit's children, or the unit alone in its own view."""
    line = headline.line(code)
    if line is None:
        return []
    if headline.own_row:
        return [line.row] if line.row else []
    return headline.reports[line.period.code].child_rows(line.indicator)


def unit_url(period_code: str):
    def url_for(row: Row) -> str:
        return reverse("monitor-unit", args=[row.unit.code]) + f"?period={period_code}"

    return url_for


@require(Cap.VIEW)
def headline(request: HttpRequest) -> HttpResponse:
    unit = selected_unit(request)
    latest = headline_period(unit)
    text = request.GET.get("period")
    indicators = headline_indicators()
    context: dict = {
        "unit": unit,
        "units": unit_choices(request.user, unit),
        # The dispatch office counts deadlines: it sees an incomplete holiday calendar.
        "calendar_warning": coverage_warning() if can(request.user, Cap.DISPATCH) else None,
    }
    if (not text and latest is None) or not indicators:
        context["empty"] = "尚未设置首页重点指标" if not indicators else "尚无已审核的数据"
        return render(request, "headline/headline.html", context)
    period = parse_period(text, latest)
    result = build(request.user, unit, period, indicators)
    code = request.GET.get("map") or (result.lines[0].indicator.code if result.lines else "")
    mode = request.GET.get("mode") if request.GET.get("mode") in mapfig.MODES else "status"
    rows = map_rows(result, code)
    line = result.line(code)
    area = result.area if result.own_row else result.child_area
    figure = (
        mapfig.map_figure(
            rows,
            mapfig.geometries(r.unit for r in rows),
            mode,
            area,
            unit_url(line.period.code),
        )
        if line
        else None
    )
    context.update(
        {
            "headline": result,
            "period": period,
            "latest": latest,
            "periods": period_choices(latest, period),
            "map_line": line,
            "map_mode": mode,
            "map_mode_label": mapfig.MODES[mode],
            "modes": mapfig.MODES,
            "map_figure": figure,
            "legend": mapfig.legend(),
            "red_tasks": red_tasks(visible_tasks(request.user), today()),
            "lagging": lagging_projects(visible_projects(request.user)),
            "can_manage_display": can(request.user, Cap.DISPATCH),
        }
    )
    return render(request, "headline/headline.html", context)
