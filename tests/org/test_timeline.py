"""The demo timeline's periods for anchors around the year (pure: no database)."""

from datetime import date

import pytest

from baozheng.analysis.periods import Period
from baozheng.org.timeline import Timeline
from baozheng.testing import DEMO_AS_OF


@pytest.mark.parametrize(
    ("anchor", "released", "opened", "extrapolated"),
    [
        (date(2026, 12, 5), Period(2026, 10), Period(2026, 11), [10]),
        (date(2027, 3, 10), Period(2026, 12), Period(2027, 2), [10, 11, 12]),
        (date(2027, 1, 12), Period(2026, 11), Period(2026, 12), [10, 11]),
        (date(2026, 6, 1), Period(2026, 4), Period(2026, 5), []),
        (DEMO_AS_OF, Period(2023, 9), Period(2023, 10), []),
    ],
)
def test_the_open_period_is_the_last_ended_month_and_the_release_the_one_before(
    anchor, released, opened, extrapolated
):
    line = Timeline(anchor)
    assert (line.released, line.open, line.extrapolated) == (released, opened, extrapolated)
    assert line.year == released.year


def test_the_summary_states_the_timeline_in_chinese_and_marks_extrapolated_months():
    text = Timeline(date(2026, 12, 5)).summary()
    assert text.startswith("演示时间线：以 2026-12-05 为今天")
    assert "2025年全年及2026年1-10月（10月为按增速外推的演示数据）" in text
    assert "2026年1-11月开放填报" in text


def test_the_years_touched_reach_next_year_from_november():
    assert Timeline(date(2026, 12, 5)).years == [2025, 2026, 2027]
    assert Timeline(date(2026, 6, 1)).years == [2025, 2026]
    assert Timeline(date(2027, 1, 12)).years == [2025, 2026, 2027]
