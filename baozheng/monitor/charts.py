"""Chart data for plotly.js (drawn by static/monitor/charts.js) and the dashboard's small
server-drawn trend lines. Charts receive plain JSON through `json_script`; the page also
prints every figure in a table, so a chart is never the only place a number appears."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from baozheng.analysis.rounding import r

FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, sans-serif"
COLOURS = {
    "this": "#b3261e",
    "last": "#9aa0a6",
    "floor": "#d4a017",
    "stretch": "#0a7d3b",
    "up": "#c62828",
    "down": "#0a7d3b",
}


def month_label(month: int) -> str:
    if month == 1:
        return "1月"
    return f"1-{month}月"


def _layout(title: str, y_title: str, **extra) -> dict:
    return {
        "title": {"text": title, "font": {"size": 15}},
        "font": {"family": FONT, "size": 12},
        "margin": {"l": 56, "r": 16, "t": 44, "b": 48},
        "yaxis": {"title": {"text": y_title}, "zeroline": True},
        "legend": {"orientation": "h", "y": -0.18},
        "hovermode": "x unified",
        **extra,
    }


def _line(
    name: str, x: Sequence[str], y: Sequence[float | None], colour: str, dash: str = "solid"
) -> dict:
    return {
        "type": "scatter",
        "mode": "lines+markers",
        "name": name,
        "x": list(x),
        "y": [r(v) for v in y],
        "line": {"color": colour, "dash": dash},
        "connectgaps": False,
    }


def year_curve(
    title: str,
    y_title: str,
    labels: Sequence[str],
    this_year: Sequence[float | None],
    last_year: Sequence[float | None],
    floor: float | None,
    stretch: float | None,
    year: int,
) -> dict:
    """This year's cumulative curve against last year's and the floor/stretch lines."""
    traces = [
        _line(f"{year}年", labels, this_year, COLOURS["this"]),
        _line(f"{year - 1}年", labels, last_year, COLOURS["last"], "dot"),
    ]
    if floor is not None:
        traces.append(_line("保", labels, [floor] * len(labels), COLOURS["floor"], "dash"))
    if stretch is not None:
        traces.append(_line("争", labels, [stretch] * len(labels), COLOURS["stretch"], "dash"))
    return {"data": traces, "layout": _layout(title, y_title)}


def pull_bars(title: str, names: Sequence[str], pulls: Sequence[float | None]) -> dict:
    """Each unit's pull (拉动, percentage points) on the parent's growth, largest first."""
    pairs = sorted(
        ((n, p) for n, p in zip(names, pulls, strict=True) if p is not None),
        key=lambda pair: pair[1],
    )
    values = [r(p) for _, p in pairs]
    trace = {
        "type": "bar",
        "orientation": "h",
        "y": [n for n, _ in pairs],
        "x": values,
        "marker": {"color": [COLOURS["down"] if (v or 0) >= 0 else COLOURS["up"] for v in values]},
        "text": [f"{v:.1f}" for v in values],
        "textposition": "auto",
        "name": "拉动",
    }
    height = max(260, 28 * len(pairs) + 90)
    layout = _layout(title, "", height=height, showlegend=False)
    layout["xaxis"] = {"title": {"text": "百分点"}}
    layout["hovermode"] = "closest"
    layout["margin"]["l"] = 110
    return {"data": [trace], "layout": layout}


@dataclass(frozen=True)
class Sparkline:
    """A polyline for an inline SVG (no script, prints, reads on a phone)."""

    points: str
    values: str  # the figures as text, for the SVG <title> and screen readers
    width: int
    height: int


def sparkline(
    labels: Sequence[str], values: Sequence[float | None], width: int = 96, height: int = 26
) -> Sparkline | None:
    known = [(i, v) for i, v in enumerate(values) if v is not None]
    if len(known) < 2:
        return None
    low = min(v for _, v in known)
    high = max(v for _, v in known)
    span = (high - low) or 1.0
    step = (width - 4) / max(len(values) - 1, 1)
    coords = " ".join(
        f"{2 + i * step:.1f},{height - 2 - (v - low) / span * (height - 4):.1f}" for i, v in known
    )
    text = "；".join(f"{labels[i]} {r(v):.1f}%" for i, v in known)
    return Sparkline(coords, text, width, height)
