"""The growth of a unit month by month through a year: the small trend on the dashboard,
the curve on the indicator page and a county's history.

A bulletin per month would recompute every figure of every unit twelve times for a line
of twelve points, so the curve is read straight from the approved observations in one
query: the published growth, or — only where none is published — (V/L − 1)·100 from the
stored values, which is docs/rules.md §3's rule for a unit's own YTD growth. A parent without an
observation of its own (figures derived from its children) shows no curve; the bulletin
table beside it has the derived figure. A rate (城镇调查失业率) has no growth: its trend is
the rate itself at each release (docs/rules.md §3).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from baozheng.analysis.periods import release_months
from baozheng.org.models import Unit
from baozheng.stats.models import Indicator, Observation

# (indicator code, unit code, year) -> {month: figure}
Series = dict[tuple[str, str, int], dict[int, float | None]]


def _growth(value: Decimal | None, published: Decimal | None, last: Decimal | None) -> float | None:
    if published is not None:
        return float(published)
    if value is None or last is None or last <= 0:
        return None
    return (float(value) / float(last) - 1) * 100


def yearly_series(
    indicators: Iterable[Indicator],
    units: Iterable[Unit],
    years: Iterable[int],
    through: int = 12,
) -> tuple[Series, Series]:
    """Growth and cumulative value at each release month of `years` up to month `through`,
    per indicator and unit."""
    indicators, units = list(indicators), list(units)
    years = sorted(set(years))
    wanted = set(years) | {y - 1 for y in years}
    indicator_codes = {i.pk: i.code for i in indicators}
    unit_codes = {u.pk: u.code for u in units}
    rows = Observation.objects.filter(
        indicator_id__in=list(indicator_codes),
        unit_id__in=list(unit_codes),
        year__in=wanted,
        month__lte=through,
        has_approved=True,
    ).values_list("indicator_id", "unit_id", "year", "month", "value", "growth")
    values: dict[tuple[str, str, int, int], tuple[Decimal | None, Decimal | None]] = {
        (indicator_codes[ind], unit_codes[unit], year, month): (value, growth)
        for ind, unit, year, month, value, growth in rows
    }
    calendars = {i.code: release_months(i.frequency, i.merged_jan_feb) for i in indicators}
    rates = {i.code for i in indicators if i.is_rate}
    growth: Series = {}
    level: Series = {}
    for (ind, unit, year, month), (value, published) in values.items():
        if year not in years or month not in calendars[ind]:
            continue
        last = values.get((ind, unit, year - 1, month), (None, None))[0]
        trend = (
            (float(value) if value is not None else None)
            if ind in rates
            else _growth(value, published, last)
        )
        growth.setdefault((ind, unit, year), {})[month] = trend
        level.setdefault((ind, unit, year), {})[month] = float(value) if value is not None else None
    return growth, level


def points(series: dict[int, float | None], months: Iterable[int]) -> list[float | None]:
    return [series.get(m) for m in months]
