"""The pages leaders read: the overview (驾驶舱), the warnings (预警) and one county."""

from __future__ import annotations

from collections import Counter

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from baozheng.analysis.periods import release_months
from baozheng.monitor.charts import month_label, sparkline
from baozheng.monitor.context import unit_in_scope
from baozheng.monitor.labels import WARNING_STATUSES
from baozheng.monitor.lines import overview_cells, unit_cells, warning_line
from baozheng.monitor.report import Report, Row, load_report
from baozheng.monitor.trend import points, yearly_series
from baozheng.monitor.views.common import empty_page, selection
from baozheng.org.permissions import can, require
from baozheng.org.roles import Cap


def _released_months(indicator, last_month: int) -> list[int]:
    return [
        m for m in release_months(indicator.frequency, indicator.merged_jan_feb) if m <= last_month
    ]


@require(Cap.VIEW)
def overview(request: HttpRequest) -> HttpResponse:
    chosen = selection(request)
    if chosen is None:
        return empty_page(request, "驾驶舱")
    report = load_report(chosen.period, chosen.parent, request.user)
    # The trend runs to the period shown: the months after it are not read.
    growth, _ = yearly_series(
        report.indicators, [chosen.parent], [chosen.period.year], chosen.period.month
    )
    lines = []
    for indicator in report.indicators:
        months = _released_months(indicator, chosen.period.month)
        series = growth.get((indicator.code, chosen.parent.code, chosen.period.year), {})
        children = report.child_rows(indicator)
        row = report.parent_row(indicator)
        lines.append(
            {
                "indicator": indicator,
                "row": row,
                "url": reverse("monitor-indicator", args=[indicator.code]),
                "cells": overview_cells(row) if row else None,
                "spark": sparkline([month_label(m) for m in months], points(series, months)),
                "red": sum(row.status == "off_track" for row in children),
                "yellow": sum(row.status == "at_risk" for row in children),
            }
        )
    counts = report.status_counts()
    return render(
        request,
        "monitor/overview.html",
        {
            **chosen.picker(request.user),
            "lines": lines,
            "counts": counts,
            "red": counts["off_track"],
            "yellow": counts["at_risk"],
            "green": counts["on_track"] + counts["exceeds"],
        },
    )


def _grouped(rows: list[Row], key) -> list[tuple[str, list[Row]]]:
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(key(row), []).append(row)
    return [(name, sorted(items, key=_severity)) for name, items in groups.items()]


def _severity(row: Row) -> tuple:
    gap = row.floor_gap
    return (WARNING_STATUSES.index(row.status), gap if gap is not None else 0, row.indicator.code)


@require(Cap.VIEW)
def warnings(request: HttpRequest) -> HttpResponse:
    """Every red and yellow item, by unit and by the department responsible."""
    chosen = selection(request)
    if chosen is None:
        return empty_page(request, "预警")
    report = load_report(chosen.period, chosen.parent, request.user)
    items = sorted(report.warnings(), key=lambda row: row.unit.path)
    by_unit = _grouped(items, lambda row: row.unit.name)
    by_department = sorted(
        _grouped(
            items,
            lambda row: (
                row.indicator.department.name if row.indicator.department else "未指定牵头部门"
            ),
        ),
        key=lambda pair: (pair[0] == "未指定牵头部门", pair[0]),
    )
    # Each row shows in both lists: its cells are formatted once.
    urls = {
        code: reverse("monitor-indicator", args=[code])
        for code in {r.indicator.code for r in items}
    }
    lines = {row: warning_line(row, urls[row.indicator.code]) for row in items}
    return render(
        request,
        "monitor/warnings.html",
        {
            **chosen.picker(request.user),
            "items": items,
            "by_unit": [(name, [lines[row] for row in rows]) for name, rows in by_unit],
            "by_department": [(name, [lines[row] for row in rows]) for name, rows in by_department],
            "red": sum(row.status == "off_track" for row in items),
            "yellow": sum(row.status == "at_risk" for row in items),
        },
    )


def unit_report(unit, period, user) -> Report:
    """A unit's rows: ranked among its peers under its parent when it has a peer group,
    else as the parent row of its own bulletin. Only in-scope rows are kept, so a county
    clerk sees their county's rank but no other county's figures."""
    parent = unit.parent if unit.peer_group_id and unit.parent_id else unit
    return load_report(period, parent, user)


@require(Cap.VIEW)
def unit_page(request: HttpRequest, code: str) -> HttpResponse:
    unit = unit_in_scope(request.user, code)
    chosen = selection(request, unit)
    if chosen is None:
        return empty_page(request, unit.name)
    period = chosen.period
    report = unit_report(unit, period, request.user)
    rows = report.rows_of(unit)
    growth, _ = yearly_series(report.indicators, [unit], [period.year, period.year - 1])
    months = sorted({m for i in report.indicators for m in _released_months(i, 12)})
    history = [
        {
            "indicator": row.indicator,
            "cells": [
                growth.get((row.indicator.code, unit.code, period.year), {}).get(m) for m in months
            ],
            "last_year": growth.get((row.indicator.code, unit.code, period.year - 1), {}).get(12),
        }
        for row in rows
    ]
    return render(
        request,
        "monitor/unit.html",
        {
            **chosen.picker(request.user, with_parent=False),
            "unit": unit,
            "rows": rows,
            "lines": [
                {
                    "indicator": row.indicator,
                    "url": reverse("monitor-indicator", args=[row.indicator.code]),
                    "cells": unit_cells(row),
                }
                for row in rows
            ],
            "months": [(m, month_label(m)) for m in months],
            "history": history,
            # The unit's own rows, not its parent's whole bulletin.
            "counts": Counter(row.status for row in rows),
            "can_enter": can(request.user, Cap.ENTER, unit),
            "letters": letter_lines(unit, rows, period),
            "can_file_letter": can(request.user, Cap.DISPATCH, unit),
        },
    )


def letter_lines(unit, rows, period) -> list[dict]:
    """The unit's responsibility letters of the year, each target with its light now:
    the value status where that target is in force, the rank status for rank targets."""
    by_indicator = {row.indicator.code: row for row in rows}
    lines = []
    letters = unit.responsibility_letters.filter(year=period.year).prefetch_related(
        "targets__indicator"
    )
    for letter in letters:
        targets = []
        for target in letter.targets.all():
            row = by_indicator.get(target.indicator.code)
            if row is None:
                state = None
            elif target.is_rank:
                state = row.data.get("rank_status")
            else:
                in_force = row.data.get("target_period") == (
                    f"{target.year}"
                    if target.month is None
                    else f"{target.year}-{target.month:02d}"
                )
                state = row.status if in_force else None
            targets.append({"target": target, "row": row, "state": state})
        lines.append({"letter": letter, "targets": targets})
    return lines
