"""The big screen (大屏) and its revocable links."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from baozheng.headline import mapfig
from baozheng.headline.display import ScreenViewer, make_token, read_token
from baozheng.headline.models import DisplayLink, ReleaseNotice
from baozheng.headline.summary import (
    build,
    headline_indicators,
    headline_period,
    lagging_projects,
    red_tasks,
)
from baozheng.headline.views import map_rows
from baozheng.lib.bounds import overlong
from baozheng.lib.once import once
from baozheng.monitor.charts import FONT
from baozheng.monitor.report import Row
from baozheng.org.models import Unit
from baozheng.org.permissions import check, require, scope_q, visible_units
from baozheng.org.roles import Cap
from baozheng.projects.models import Project
from baozheng.tasks.models import Task
from baozheng.tasks.services import today


@require(Cap.DISPATCH)
@once
def display_links(request: HttpRequest) -> HttpResponse:
    """The dispatch office's list of screen links: create one, copy or scan it, revoke it."""
    if request.method == "POST":
        name = request.POST.get("name", "").strip()
        unit = Unit.objects.filter(code=request.POST.get("unit", "")).first()
        if not name or unit is None:
            messages.error(request, "请填写名称并选择显示范围")
        elif too_long := overlong(name, DisplayLink, "name", "名称"):
            messages.error(request, too_long)
        else:
            check(request.user, Cap.DISPATCH, unit)
            DisplayLink.objects.create(name=name, unit=unit, created_by=request.user)
            messages.success(request, f"已创建大屏链接“{name}”")
        return redirect("headline-displays")
    links = [
        link
        for link in DisplayLink.objects.select_related("unit", "created_by")
        if link.unit in visible_units(request.user)
    ]
    for link in links:
        if link.active:
            link.url = request.build_absolute_uri(
                reverse("headline-screen", args=[make_token(link)])
            )
            link.qr = segno.make(link.url, error="m").svg_inline(scale=3, border=2)
    units = visible_units(request.user).filter(peer_groups__isnull=False).distinct()
    return render(request, "headline/displays.html", {"links": links, "units": units})


@require(Cap.DISPATCH)
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(DisplayLink.objects.select_related("unit"), pk=pk)
    check(request.user, Cap.DISPATCH, link.unit)
    if link.active:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        messages.success(request, f"已撤销大屏链接“{link.name}”")
    return redirect("headline-displays")


def _bars(rows: list[Row], title: str) -> dict | None:
    """The ranking bars of the children for one indicator (growth, or completion)."""
    pairs = []
    for row in rows:
        level = row.data.get("target_basis") == "level" and row.data.get("completion_pct")
        value = row.data.get("completion_pct") if level else row.data.get("growth")
        if value is not None:
            pairs.append((row.unit.display_name, value, row.status))
    if not pairs:
        return None
    pairs.sort(key=lambda p: p[1])
    colours = {
        "off_track": "#ef5350",
        "at_risk": "#f2b600",
        "on_track": "#43a047",
        "exceeds": "#2ecc71",
    }
    trace = {
        "type": "bar",
        "orientation": "h",
        "y": [p[0] for p in pairs],
        "x": [round(p[1], 1) for p in pairs],
        "text": [f"{p[1]:.1f}" for p in pairs],
        "textposition": "outside",
        "marker": {"color": [colours.get(p[2], "#90a4ae") for p in pairs]},
        "hoverinfo": "skip",
    }
    layout = {
        "title": {"text": title, "font": {"size": 22}},
        "font": {"family": FONT, "size": 18, "color": "#e8eef5"},
        "paper_bgcolor": "#0d1b2a",
        "plot_bgcolor": "#0d1b2a",
        "margin": {"l": 120, "r": 80, "t": 50, "b": 30},
        "xaxis": {"gridcolor": "#243b53", "zerolinecolor": "#829ab1"},
        "showlegend": False,
    }
    return {"data": [trace], "layout": layout}


def screen(request: HttpRequest, token: str) -> HttpResponse:
    """1920×1080, dark, large type; one slide per headline indicator, rotating."""
    try:
        link = read_token(token)
    except Http404 as refused:
        return render(request, "headline/screen.html", {"refused": str(refused)}, status=404)
    viewer = ScreenViewer(link.unit)
    period = headline_period(link.unit)
    indicators = headline_indicators()
    context: dict = {"link": link, "unit": link.unit, "token": token}
    if period is None or not indicators:
        return render(request, "headline/screen.html", context)
    result = build(viewer, link.unit, period, indicators)
    own = result.own_row
    rows_of = {line.indicator.code: map_rows(result, line.indicator.code) for line in result.lines}
    # The slides draw the same outlines: read (and decoded) once, not once a slide.
    shapes = mapfig.geometries({row.unit for rows in rows_of.values() for row in rows})
    slides = []
    for line in result.lines:
        rows = rows_of[line.indicator.code]
        area = result.area if own else result.child_area
        slides.append(
            {
                "map": mapfig.map_figure(
                    rows, shapes, "status", area, lambda row: "", height=None, dark=True
                ),
                "bars": None if own else _bars(rows, f"{line.indicator.name}各单位排名"),
            }
        )
    tasks = Task.objects.filter(scope_q(viewer, "lead_unit"))
    projects = Project.objects.filter(scope_q(viewer, "county"))
    context.update(
        {
            "headline": result,
            "period": period,
            "slides": slides,
            "red_tasks": red_tasks(tasks, today()),
            "lagging": lagging_projects(projects),
            "config": {
                "rotate": link.rotate_seconds * 1000,
                "version": _version(link.unit),
                "versionUrl": reverse("headline-screen-version", args=[token]),
                "slides": slides,
            },
        }
    )
    return render(request, "headline/screen.html", context)


def _version(unit: Unit) -> str:
    """Changes when a release is heard of or the newest period moves: the screen reloads."""
    notice = ReleaseNotice.objects.order_by("-pk").values_list("pk", flat=True).first()
    period = headline_period(unit)
    return f"{period.code if period else ''}:{notice or 0}"


def screen_version(request: HttpRequest, token: str) -> JsonResponse:
    link = read_token(token)
    return JsonResponse({"version": _version(link.unit)})
