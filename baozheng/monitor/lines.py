"""The rows of the monitoring pages' long tables, each cell formatted once here by the
monitor tag library's own tags and filters (so the text is the same) for the templates to
print. A city's bulletin is some 300 rows of ten cells, its warnings page prints each red
or yellow row twice (by unit, then by department) and a province's overview has 200
lines: a template tag per cell made the template engine's work around the tags most of
these pages' time."""

from __future__ import annotations

from django.utils.html import format_html

from baozheng.monitor.report import Row
from baozheng.monitor.templatetags.monitor import (
    cell,
    fig,
    growth_cell,
    rank,
    rank_change,
    rank_status,
    size,
    status,
    target_in_force,
)


def bulletin_line(row: Row) -> dict:
    data = row.data
    return {
        "is_parent": row.is_parent,
        "unit": row.unit.name,
        "value": cell(row, "value", "level"),
        "growth": growth_cell(row),
        "vs_parent": cell(row, "vs_parent_pp", "signed"),
        "pull": cell(row, "pull_pp", "signed"),
        "rank": rank_of(row) if data.get("rank") else "—",
        "rank_change": rank_change(data.get("rank_change")),
        "status": lights(row),
        "floor": cell(row, "required_growth_floor"),
        "stretch": cell(row, "required_growth_stretch"),
    }


def overview_cells(row: Row) -> dict:
    """The parent's own figures on one line of the overview (驾驶舱)."""
    data = row.data
    return {
        "value": cell(row, "value", "level"),
        "growth": growth_cell(row),
        "floor": floor_cell(row),
        "stretch": cell(row, "target_stretch", "level"),
        "top": fig(data.get("target_top")),
        "progress": progress_cell(data),
        "status": lights(row),
        "rank": (
            f"{rank_of(row)} {rank_change(data.get('rank_change'))}" if data.get("rank") else "—"
        ),
    }


def unit_cells(row: Row) -> dict:
    """One indicator's line on a unit's page; `rank` is empty when the unit is not ranked."""
    data = row.data
    return {
        "value": cell(row, "value", "level"),
        "growth": growth_cell(row),
        "vs_parent": cell(row, "vs_parent_pp", "signed"),
        "pull": cell(row, "pull_pp", "signed"),
        "floor": floor_cell(row),
        "stretch": cell(row, "target_stretch", "level"),
        "progress": progress_cell(data),
        "status": lights(row),
        "rank": rank_of(row) if data.get("rank") else "",
        "rank_change": rank_change(data.get("rank_change")),
        "required_floor": cell(row, "required_growth_floor"),
        "required_stretch": cell(row, "required_growth_stretch"),
    }


def rank_of(row: Row) -> str:
    """位次 as place/of, for a ranked row."""
    return f"{rank(row)}/{row.data.get('rank_of', '')}"


def floor_cell(row: Row) -> str:
    """保, with the phase target in force when one is (一季度目标)."""
    floor = cell(row, "target_floor", "level")
    if len(row.data.get("target_period") or "") > 4:
        return format_html("{} <small>{}</small>", floor, target_in_force(row))
    return floor


def lights(row: Row) -> str:
    """The status light and, beside it, the rank target's light."""
    return format_html("{} {}", status(row), rank_status(row))


def progress_cell(data: dict) -> str:
    """完成/进度: the completion against the time or seasonal progress, both in %."""
    if data.get("completion_pct") is None:
        return "—"
    return f"{fig(data['completion_pct'])} / {fig(data.get('expected_pct'))}"


def warning_line(row: Row, url: str) -> dict:
    """`url`: the indicator's page (many rows share an indicator)."""
    data = row.data
    return {
        "status": status(row),
        "unit": row.unit.name,
        "indicator": row.indicator.name,
        "url": url,
        "growth": growth_cell(row),
        "progress": progress_cell(data),
        "floor": cell(row, "target_floor", "level"),
        "stretch": cell(row, "target_stretch", "level"),
        "gap": gap_words(row),
        "required_floor": cell(row, "required_growth_floor"),
        "required_stretch": cell(row, "required_growth_stretch"),
        "approximate": data.get("required_approximate"),
    }


def gap_words(row: Row) -> str:
    """距保目标 in words: behind or ahead of the floor (growth targets), of the time or
    seasonal progress (cumulative level targets), or short of the floor in the measure."""
    gap = row.floor_gap
    if gap is None:
        return "—"
    amount = size(gap)
    if row.gap_kind == "pp":
        if gap < 0:
            return f"低于保目标 {amount} 个百分点"
        return f"高于保目标 {amount} 个百分点" if gap > 0 else "与保目标持平"
    if row.gap_kind == "progress":
        if gap < 0:
            return f"落后进度 {amount} 个百分点"
        return f"领先进度 {amount} 个百分点" if gap > 0 else "与进度持平"
    if gap < 0:
        return f"差保目标 {amount} {row.indicator.measure}"
    return f"优于保目标 {amount} {row.indicator.measure}"
