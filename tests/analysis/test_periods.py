"""Periods in both notations, and the release calendar."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from baozheng.analysis.engine import released_indicators
from baozheng.analysis.model import Indicator
from baozheng.analysis.periods import (
    FIRST_YEAR,
    LAST_YEAR,
    Period,
    is_released,
    latest_release,
    previous_release,
    release_months,
)
from baozheng.analysis.rounding import r
from tests.analysis.helpers import GDP, RETAIL


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("2023-06", Period(2023, 6)),
        ("2023-6", Period(2023, 6)),
        ("2023年1-6月", Period(2023, 6)),
        ("2023年1－6月", Period(2023, 6)),
        ("2023年1—6月", Period(2023, 6)),
        ("２０２３年１-６月", Period(2023, 6)),
        ("2023年1-2月", Period(2023, 2)),
        ("2023年1月", Period(2023, 1)),
        ("2023年1-9月", Period(2023, 9)),
        ("2023年", Period(2023, 12)),
        (" 2023年1-12月 ", Period(2023, 12)),
    ],
)
def test_parse_reads_both_notations(text: str, period: Period) -> None:
    assert Period.parse(text) == period


@pytest.mark.parametrize(
    "text",
    [
        "2023-13",
        "2023-00",
        "2023年3-6月",
        "2023年6月",
        "六月",
        "",
        "2023年1-13月",
        "9999-12",
        "1899年",
    ],
)
def test_parse_rejects_bad_input_in_chinese(text: str) -> None:
    with pytest.raises(ValueError, match=r"期间|月份"):
        Period.parse(text)


def test_a_period_names_a_year_whose_next_month_is_a_date() -> None:
    assert Period.parse("2200-12") == Period(LAST_YEAR, 12)
    with pytest.raises(ValueError, match="无法识别期间“9999-12”：年份须在1900至2200之间"):
        Period.parse("9999-12")
    with pytest.raises(ValueError, match="年份须在1900至2200之间，得到 1899"):
        Period(1899, 12)


def test_code_and_labels_print_both_forms() -> None:
    assert Period(2023, 6).code == "2023-06"
    assert Period(2023, 6).label == "2023年1-6月"
    assert Period(2023, 1).label == "2023年1月"
    assert Period(2023, 2).label == "2023年1-2月"
    assert Period(2023, 12).label == "2023年1-12月"
    assert Period(2023, 12).year_label == "2023年"


@given(st.integers(FIRST_YEAR, LAST_YEAR), st.integers(1, 12))
def test_code_and_label_parse_back_to_the_same_period(year: int, month: int) -> None:
    period = Period(year, month)
    assert Period.parse(period.code) == period == Period.parse(period.label)


def test_time_progress_of_jan_feb_prints_as_16_7() -> None:
    assert r(Period(2023, 2).time_progress) == 16.7
    assert Period(2023, 9).time_progress == 75.0


def test_periods_order_by_year_then_month() -> None:
    assert Period(2022, 12) < Period(2023, 2) < Period(2023, 10)


def test_release_months_follow_the_calendar() -> None:
    assert release_months("monthly", True) == tuple(range(2, 13))
    assert release_months("monthly", False) == tuple(range(1, 13))
    assert release_months("quarterly", False) == (3, 6, 9, 12)
    assert release_months("yearly", False) == (12,)
    with pytest.raises(ValueError, match="频率"):
        release_months("weekly", False)


def test_there_is_no_january_release_for_merged_indicators() -> None:
    assert not is_released(Period(2023, 1), "monthly", True)
    assert is_released(Period(2023, 1), "monthly", False)


def test_quarterly_previous_release_is_the_previous_quarter() -> None:
    assert previous_release(Period(2023, 6), "quarterly", False) == Period(2023, 3)


def test_first_release_of_the_year_has_no_previous_release() -> None:
    assert previous_release(Period(2023, 2), "monthly", True) is None
    assert previous_release(Period(2023, 1), "monthly", False) is None
    assert previous_release(Period(2023, 3), "quarterly", False) is None
    assert previous_release(Period(2023, 12), "yearly", False) is None
    assert previous_release(Period(2023, 3), "monthly", True) == Period(2023, 2)


def test_latest_release_looks_back_within_the_year() -> None:
    assert latest_release(Period(2023, 8), "quarterly", False) == Period(2023, 6)
    assert latest_release(Period(2023, 2), "quarterly", False) is None


def test_a_bulletin_for_december_includes_yearly_indicators() -> None:
    yearly = Indicator("firms_year", "count", "yearly", False, "up", True, True)
    assert released_indicators(Period(2023, 12), [RETAIL, GDP, yearly]) == [RETAIL, GDP, yearly]
    assert released_indicators(Period(2023, 6), [RETAIL, GDP, yearly]) == [RETAIL, GDP]
    assert released_indicators(Period(2023, 5), [RETAIL, GDP, yearly]) == [RETAIL]
