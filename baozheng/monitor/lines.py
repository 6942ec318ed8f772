"""The rows of the monitoring pages' long tables, each cell formatted once here by the
monitor tag library's own tags and filters (so the text is the same) for the templates to
print. A city's bulletin is some 300 rows of ten cells and its warnings page prints each red
or yellow row twice (by unit, then by department): a template tag per cell made the
template engine's work around the tags most of these pages' time."""

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
        "rank": f"{rank(row)}/{data.get('rank_of', '')}" if data.get("rank") else "—",
        "rank_change": rank_change(data.get("rank_change")),
        "status": format_html("{} {}", status(row), rank_status(row)),
        "floor": cell(row, "required_growth_floor"),
        "stretch": cell(row, "required_growth_stretch"),
    }


def warning_line(row: Row, url: str) -> dict:
    """`url`: the indicator's page (many rows share an indicator)."""
    data = row.data
    progress = data.get("completion_pct")
    return {
        "status": status(row),
        "unit": row.unit.name,
        "indicator": row.indicator.name,
        "url": url,
        "growth": growth_cell(row),
        "progress": "—"
        if progress is None
        else f"{fig(progress)} / {fig(data.get('expected_pct'))}",
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
