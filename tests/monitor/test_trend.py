"""The growth trends read from the approved figures (`monitor.trend.yearly_series`)."""

from __future__ import annotations

from baozheng.monitor.trend import yearly_series
from baozheng.stats.models import Indicator
from tests.monitor.base import MonitorTestCase


def cut(series: dict, month: int) -> dict:
    kept = {key: {m: v for m, v in months.items() if m <= month} for key, months in series.items()}
    return {key: months for key, months in kept.items() if months}


class TrendTests(MonitorTestCase):
    def test_a_trend_through_a_month_is_the_years_trend_cut_there(self):
        indicators = list(Indicator.objects.all())
        units = [self.city, self.wancheng_unit]
        growth, level = yearly_series(indicators, units, [2023])
        self.assertTrue(any(month > 6 for months in growth.values() for month in months))
        self.assertEqual(
            yearly_series(indicators, units, [2023], through=6), (cut(growth, 6), cut(level, 6))
        )
