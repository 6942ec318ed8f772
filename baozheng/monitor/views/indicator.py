"""One indicator across the units of the parent: ranked table, the year's curve, pulls."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from baozheng.analysis.periods import latest_release as latest_release_of
from baozheng.analysis.periods import release_months
from baozheng.monitor.charts import month_label, pull_bars, year_curve
from baozheng.monitor.report import Row, load_report
from baozheng.monitor.trend import points, yearly_series
from baozheng.monitor.views.common import empty_page, selection
from baozheng.org.permissions import require
from baozheng.org.roles import Cap
from baozheng.stats.models import Indicator


def _curve(indicator: Indicator, row: Row, year: int, last_month: int) -> tuple[dict, list[dict]]:
    """The chart and its table: growth against growth targets, else the cumulative value
    against level targets (a level is what such a target is met in)."""
    months = list(release_months(indicator.frequency, indicator.merged_jan_feb))
    labels = [month_label(m) for m in months]
    growth, level = yearly_series([indicator], [row.unit], [year, year - 1])
    level_target = row.target_basis == "level"
    series = level if level_target else growth
    key = (indicator.code, row.unit.code)
    this_year = [
        v if m <= last_month else None
        for m, v in zip(months, points(series.get((*key, year), {}), months), strict=True)
    ]
    last_year = points(series.get((*key, year - 1), {}), months)
    floor, stretch = row.target_floor, row.target_stretch
    unit_text = indicator.measure if level_target else "%"
    what = "当期比率" if indicator.is_rate else ("累计值" if level_target else "累计增速")
    title = f"{row.unit.name}{indicator.name}{what}"
    chart = year_curve(title, unit_text, labels, this_year, last_year, floor, stretch, year)
    table = [
        {"label": label, "this": this, "last": last}
        for label, this, last in zip(labels, this_year, last_year, strict=True)
    ]
    return chart, table


@require(Cap.VIEW)
def indicator_page(request: HttpRequest, code: str) -> HttpResponse:
    indicator = get_object_or_404(Indicator.objects.select_related("department"), code=code)
    chosen = selection(request)
    if chosen is None:
        return empty_page(request, indicator.name)
    period = chosen.period
    context = {**chosen.picker(request.user), "indicator": indicator}
    released = latest_release_of(period, indicator.frequency, indicator.merged_jan_feb)
    if released != period:
        context["released"] = released
        return render(request, "monitor/indicator.html", context)
    report = load_report(period, chosen.parent, request.user)
    parent_row = report.parent_row(indicator)
    children = report.child_rows(indicator)
    chart_unit = request.GET.get("unit")
    focus = next((row for row in children if row.unit.code == chart_unit), parent_row)
    chart, chart_table = (
        _curve(indicator, focus, period.year, period.month) if focus else (None, [])
    )
    pulls = [row for row in children if row.pull_pp is not None]
    context.update(
        {
            "parent_row": parent_row,
            "groups": report.by_group(indicator),
            "focus": focus,
            "children": children,
            "curve": chart,
            "curve_table": chart_table,
            "pull_chart": pull_bars(
                f"各单位对{chosen.parent.name}增速的拉动",
                [r.unit.name for r in pulls],
                [r.pull_pp for r in pulls],
            )
            if pulls
            else None,
        }
    )
    return render(request, "monitor/indicator.html", context)
