"""The county map: a plotly.js choropleth of GeoJSON outlines stored per unit.

Plotly's geo subplot asks for its base-map topojson (from a CDN by default) whenever a
trace has a `locationmode`, which a GeoJSON choropleth always has; the page therefore
points `topojsonURL` at a tiny empty topology shipped in this app's static files, hides
the base map, and fits the view to the outlines. No tile, no request outside the server.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import TextField
from django.db.models.functions import Cast

from baozheng.analysis.rounding import r
from baozheng.headline.models import UnitBoundary
from baozheng.headline.words import STATUS_WORDS, pct
from baozheng.lib.rawjson import Encoded
from baozheng.monitor.charts import FONT
from baozheng.monitor.report import Row
from baozheng.org.models import Unit

# Status as a position on a stepped colour scale (0 grey … 4 dark green).
STATUS_STEP = {
    "no_data": 0,
    "no_target": 0,
    "off_track": 1,
    "at_risk": 2,
    "on_track": 3,
    "exceeds": 4,
}
STATUS_COLOURS = ("#bdbdbd", "#c62828", "#f2b600", "#43a047", "#0a6b35")
MODES = {"status": "按亮灯", "growth": "按增速"}


def _stepped_scale(colours: Sequence[str]) -> list[list]:
    """A colour scale with flat bands, so z = 0…n-1 each gets exactly one colour."""
    n = len(colours)
    scale = []
    for i, colour in enumerate(colours):
        scale += [[i / n, colour], [(i + 1) / n, colour]]
    return scale


@dataclass(frozen=True)
class Outline:
    """A unit's outline as JSON text ready for the page, and where its label goes."""

    geometry: Encoded
    label_point: tuple[float, float]


def geometries(units: Iterable[Unit]) -> dict[str, Outline]:
    """The units' outlines, read as the stored text: an outline seen before is neither
    decoded nor encoded again (`_outline`)."""
    ids = {u.pk: u.code for u in units}
    stored = UnitBoundary.objects.filter(unit_id__in=ids).values_list(
        "unit_id", Cast("geometry", TextField())
    )
    return {ids[unit_id]: _outline(text) for unit_id, text in stored}


@lru_cache(maxsize=512)
def _outline(stored: str) -> Outline:
    """The outline of one stored geometry, kept per text (the outlines change once in
    years; the key is the text itself, so a changed outline is never served stale)."""
    geometry = json.loads(stored)
    return Outline(Encoded(json.dumps(geometry)), _label_point(geometry))


def _label_point(geometry: dict) -> tuple[float, float]:
    """The centre of the bounding box of the largest polygon: good enough for a label."""
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    best, best_area = (0.0, 0.0), -1.0
    for polygon in polygons:
        xs = [p[0] for p in polygon[0]]
        ys = [p[1] for p in polygon[0]]
        area = (max(xs) - min(xs)) * (max(ys) - min(ys))
        if area > best_area:
            best = ((max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2)
            best_area = area
    return best


def _hover(row: Row, area: str) -> str:
    lines = [f"<b>{row.unit.name}</b>"]
    growth = row.data.get("growth")
    if row.data.get("target_basis") == "level" and row.data.get("completion_pct") is not None:
        lines.append(f"完成 {pct(row.completion_pct)}%（进度 {pct(row.expected_pct)}%）")
    if growth is not None:
        lines.append(f"增长 {pct(growth)}%")
    rank = f" · {area}第{row.rank}/{row.rank_of}" if row.data.get("rank") else ""
    lines.append(f"{STATUS_WORDS.get(row.status, row.status)}{rank}")
    return "<br>".join(lines)


def map_figure(
    rows: Sequence[Row],
    shapes: dict[str, Outline],
    mode: str,
    area: str,
    url_for: Callable[[Row], str],
    height: int | None = 420,
    dark: bool = False,
) -> dict | None:
    """The choropleth of `rows` that have an outline; None when none has."""
    drawn = [row for row in rows if row.unit.code in shapes]
    if not drawn:
        return None
    codes = [row.unit.code for row in drawn]
    features = [
        {
            "type": "Feature",
            "id": code,
            "properties": {"code": code},
            "geometry": shapes[code].geometry,
        }
        for code in codes
    ]
    trace: dict = {
        "type": "choropleth",
        "geojson": {"type": "FeatureCollection", "features": features},
        "featureidkey": "properties.code",
        "locations": codes,
        "text": [_hover(row, area) for row in drawn],
        "hovertemplate": "%{text}<extra></extra>",
        "customdata": [url_for(row) for row in drawn],
        "marker": {"line": {"color": "#1b1f24" if dark else "#ffffff", "width": 1.2}},
        "name": "",
    }
    growth = [r(row.data.get("growth")) for row in drawn]
    if mode == "growth" and any(g is not None for g in growth):
        trace.update(
            {
                "z": growth,
                "colorscale": "RdYlGn",
                "colorbar": {"title": {"text": "%"}, "thickness": 12, "len": 0.8},
            }
        )
    else:
        trace.update(
            {
                "z": [STATUS_STEP.get(row.status, 0) for row in drawn],
                "zmin": -0.5,
                "zmax": len(STATUS_COLOURS) - 0.5,
                "colorscale": _stepped_scale(STATUS_COLOURS),
                "showscale": False,
            }
        )
    points = [shapes[code].label_point for code in codes]
    labels = {
        "type": "scattergeo",
        "mode": "text",
        "lon": [p[0] for p in points],
        "lat": [p[1] for p in points],
        "text": [row.unit.display_name for row in drawn],
        "textfont": {"size": 12, "color": "#ffffff" if dark else "#1b1f24", "family": FONT},
        "hoverinfo": "skip",
        "showlegend": False,
    }
    background = "#0d1b2a" if dark else "#ffffff"
    layout = {
        "font": {"family": FONT, "size": 12, "color": "#e8eef5" if dark else "#1b1f24"},
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "paper_bgcolor": background,
        "geo": {
            "visible": False,
            "fitbounds": "locations",
            "projection": {"type": "mercator"},
            "bgcolor": background,
        },
        "hoverlabel": {"font": {"family": FONT}},
        "dragmode": False,
    }
    if height:
        layout["height"] = height
    return {"data": [trace, labels], "layout": layout}


def legend() -> list[tuple[str, str]]:
    return [
        (STATUS_COLOURS[4], "达争"),
        (STATUS_COLOURS[3], "达保"),
        (STATUS_COLOURS[2], "黄灯"),
        (STATUS_COLOURS[1], "红灯"),
        (STATUS_COLOURS[0], "无目标/无数据"),
    ]
