"""YTD growth and the single-period figures (docs/rules.md §3)."""

from __future__ import annotations

import pytest

from baozheng.analysis.model import Indicator
from tests.analysis.helpers import GDP, JOBLESS, Data, bulletin, row


def test_published_growth_wins_over_computed() -> None:
    data = Data().add("a", "2023-06", 110.0, growth=8.2).add("a", "2022-06", 100.0)
    a = row(bulletin("2023-06", data), "a")
    assert a["growth"] == 8.2
    assert a["growth_source"] == "published"


def test_growth_is_computed_only_where_none_is_published() -> None:
    a = row(bulletin("2023-06", Data().pair("a", "2023-06", 110.0, 100.0)), "a")
    assert a["growth"] == pytest.approx(10.0)
    assert a["growth_source"] == "computed"
    assert a["value"] == 110.0
    assert a["value_last_year"] == 100.0


@pytest.mark.parametrize(
    ("last", "reason"),
    [(None, "no_last_year"), (0.0, "zero_base"), (-5.0, "negative_base")],
)
def test_growth_without_a_sound_base_is_null_with_its_reason(
    last: float | None, reason: str
) -> None:
    data = Data().add("a", "2023-06", 110.0)
    if last is not None:
        data.add("a", "2022-06", last)
    a = row(bulletin("2023-06", data), "a")
    assert a["growth"] is None
    assert a["growth_source"] is None
    assert a["reasons"]["growth"] == reason
    assert a["reasons"]["growth_source"] == reason


def test_a_unit_without_observation_has_no_data() -> None:
    a = row(bulletin("2023-06", Data().pair("b", "2023-06", 1.0, 1.0)), "a")
    assert a["value"] is None
    assert a["reasons"]["value"] == "no_data"
    assert a["reasons"]["growth"] == "no_data"
    assert a["status"] == "no_data"


def test_jan_feb_single_period_equals_the_cumulative() -> None:
    a = row(bulletin("2023-02", Data().pair("a", "2023-02", 120.0, 100.0)), "a")
    assert a["month_value"] == 120.0
    assert a["month_growth"] == a["growth"] == pytest.approx(20.0)


def test_single_period_is_the_difference_from_the_previous_release() -> None:
    data = Data().pair("a", "2023-06", 660.0, 600.0).pair("a", "2023-05", 540.0, 500.0)
    a = row(bulletin("2023-06", data), "a")
    assert a["month_value"] == 120.0
    assert a["month_growth"] == pytest.approx(20.0)  # 120 / 100 − 1


def test_quarterly_previous_release_is_one_quarter_back() -> None:
    quarterly = Indicator("output", "amount", "quarterly", False, "up", True, True)
    data = Data("output").pair("a", "2023-06", 300.0, 280.0).pair("a", "2023-03", 140.0, 130.0)
    data.pair("a", "2023-05", 1.0, 1.0)  # a stray monthly figure is ignored
    a = row(bulletin("2023-06", data, indicators=[quarterly]), "a", "output")
    assert a["month_value"] == 160.0
    assert a["month_growth"] == pytest.approx((160 / 150 - 1) * 100)


def test_missing_previous_release_never_skips_back_further() -> None:
    data = Data().pair("a", "2023-06", 660.0, 600.0).pair("a", "2023-04", 400.0, 380.0)
    a = row(bulletin("2023-06", data), "a")
    assert a["month_value"] is None
    assert a["month_growth"] is None
    assert a["reasons"]["month_value"] == "no_previous_release"
    assert a["reasons"]["month_growth"] == "no_previous_release"


def test_single_period_growth_is_null_when_last_years_period_was_not_positive() -> None:
    data = Data().pair("a", "2023-06", 660.0, 500.0).pair("a", "2023-05", 540.0, 500.0)
    a = row(bulletin("2023-06", data), "a")
    assert a["month_value"] == 120.0
    assert a["month_growth"] is None
    assert a["reasons"]["month_growth"] == "zero_base"
    data = Data().pair("a", "2023-06", 660.0, 490.0).pair("a", "2023-05", 540.0, 500.0)
    assert row(bulletin("2023-06", data), "a")["reasons"]["month_growth"] == "negative_base"


def test_growth_only_indicators_have_growth_but_no_values() -> None:
    data = Data("gdp").add("a", "2023-06", growth=6.1).add("a", "2023-03", growth=5.0)
    a = row(bulletin("2023-06", data, indicators=[GDP]), "a", "gdp")
    assert a["growth"] == 6.1
    for key in ("value", "value_last_year", "month_value", "month_growth"):
        assert a[key] is None
        assert a["reasons"][key] == "growth_only"


def test_rates_have_no_single_period_figures() -> None:
    data = Data("jobless").pair("a", "2023-06", 5.2, 5.5).pair("a", "2023-05", 5.3, 5.6)
    a = row(bulletin("2023-06", data, indicators=[JOBLESS]), "a", "jobless")
    assert a["growth"] == pytest.approx((5.2 / 5.5 - 1) * 100)
    assert a["reasons"]["month_value"] == "not_cumulative"
    assert a["reasons"]["month_growth"] == "not_cumulative"


def test_indicators_not_released_at_the_period_are_left_out() -> None:
    data = Data("gdp").add("a", "2023-05", growth=6.1)
    assert bulletin("2023-05", data, indicators=[GDP]) == []


def test_yearly_indicators_appear_in_the_december_bulletin() -> None:
    yearly = Indicator("firms_year", "count", "yearly", False, "up", True, True)
    data = Data("firms_year").pair("a", "2023年", 12.0, 10.0)
    a = row(bulletin("2023年1-12月", data, indicators=[yearly]), "a", "firms_year")
    assert a["growth"] == pytest.approx(20.0)
    assert a["month_value"] == 12.0  # the only release of the year
    assert bulletin("2023-11", data, indicators=[yearly]) == []
