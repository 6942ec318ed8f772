"""Completion, expected progress and the growth still required (倒算目标)."""

from __future__ import annotations

import pytest

from baozheng.analysis.model import Indicator, Target
from baozheng.analysis.rounding import r
from tests.analysis.helpers import FIRMS, GDP, JOBLESS, Data, bulletin, row


def level(floor: float, stretch: float, indicator: str = "retail", unit: str = "a") -> Target:
    return Target(indicator, unit, 2023, "level", floor, stretch)


def growth_target(
    floor: float, stretch: float, indicator: str = "retail", unit: str = "a"
) -> Target:
    return Target(indicator, unit, 2023, "growth", floor, stretch)


def test_nbs_check_equal_month_approximation() -> None:
    """1-9月 GDP +5.2 %, target 5 %: the rest of the year needs 4.4 % (NBS, Oct 2023)."""
    data = Data("gdp").add("a", "2023-09", growth=5.2)
    a = row(
        bulletin("2023-09", data, indicators=[GDP], targets=[growth_target(5, 5.5, "gdp")]),
        "a",
        "gdp",
    )
    assert a["required_growth_floor"] == pytest.approx(4.4)  # w = 9/12
    assert a["required_approximate"] is True


def test_nbs_check_with_the_seasonal_weight_domain_quotes() -> None:
    """docs/rules.md: w ≈ 0.72 gives 4.49 % — w = L/L12 = 72/100 here."""
    data = Data().add("a", "2023-09", 75.744, growth=5.2).add("a", "2022-09", 72.0)
    data.add("a", "2022-12", 100.0)
    a = row(bulletin("2023-09", data, targets=[growth_target(5, 6)]), "a")
    assert a["required_growth_floor"] == pytest.approx(4.485714285714, abs=1e-9)
    assert round(a["required_growth_floor"], 2) == 4.49
    assert a["required_approximate"] is False
    assert a["expected_source"] is None  # growth targets have no expected progress


def test_required_growth_matches_the_value_formula_when_growth_is_computed() -> None:
    data = Data().pair("a", "2023-06", 420.0, 400.0).add("a", "2022-12", 1000.0)
    a = row(bulletin("2023-06", data, targets=[growth_target(8, 10)]), "a")
    exact = ((1000 * 1.08 - 420) / (1000 - 400) - 1) * 100
    assert a["required_growth_floor"] == pytest.approx(exact)


def test_level_target_completion_and_seasonal_expected() -> None:
    data = Data().pair("a", "2023-06", 250.0, 180.0).add("a", "2022-12", 400.0)
    a = row(bulletin("2023-06", data, targets=[level(500, 550)]), "a")
    assert a["completion_pct"] == 50.0
    assert a["expected_pct"] == 45.0
    assert a["expected_source"] == "seasonal"
    assert a["required_growth_floor"] == pytest.approx(((500 - 250) / (400 - 180) - 1) * 100)
    assert a["required_approximate"] is False


def test_expected_falls_back_to_time_progress() -> None:
    data = Data().add("a", "2023-02", 50.0)
    a = row(bulletin("2023-02", data, targets=[level(500, 550)]), "a")
    assert a["expected_source"] == "time"
    assert r(a["expected_pct"]) == 16.7
    data = Data().pair("a", "2023-06", 250.0, 500.0).add("a", "2022-12", 400.0)  # L > L12
    assert row(bulletin("2023-06", data, targets=[level(500, 550)]), "a")["expected_pct"] == 50.0


def test_growth_targets_have_no_completion() -> None:
    a = row(
        bulletin("2023-06", Data().pair("a", "2023-06", 1.0, 1.0), targets=[growth_target(8, 9)]),
        "a",
    )
    assert a["reasons"]["completion_pct"] == "growth_target"
    assert a["reasons"]["expected_pct"] == "growth_target"


def test_non_cumulative_level_targets_compare_the_value_directly() -> None:
    target = Target("jobless", "a", 2023, "level", 5.5, 5.0)
    data = Data("jobless").pair("a", "2023-06", 5.2, 5.5)
    a = row(bulletin("2023-06", data, indicators=[JOBLESS], targets=[target]), "a", "jobless")
    assert a["reasons"]["completion_pct"] == "not_cumulative"
    assert a["reasons"]["required_growth_floor"] == "not_cumulative"
    assert a["status"] == "on_track"  # 5.2 ≤ 5.5 but not ≤ 5.0 ("down")


def test_required_is_null_at_the_last_release() -> None:
    data = Data().pair("a", "2023-12", 1000.0, 900.0)
    a = row(bulletin("2023-12", data, targets=[growth_target(8, 10)]), "a")
    assert a["reasons"]["required_growth_floor"] == "year_over"
    assert a["reasons"]["required_approximate"] == "year_over"
    assert a["required_approximate"] is None


def test_required_is_null_once_the_target_is_reached() -> None:
    data = Data().pair("a", "2023-06", 600.0, 400.0).add("a", "2022-12", 1000.0)
    a = row(bulletin("2023-06", data, targets=[level(500, 650)]), "a")
    assert a["reasons"]["required_growth_floor"] == "target_reached"
    assert a["required_growth_stretch"] == pytest.approx((50 / 600 - 1) * 100)
    assert a["required_approximate"] is False
    grown = Data().pair("a", "2023-06", 900.0, 400.0).add("a", "2022-12", 1000.0)
    b = row(bulletin("2023-06", grown, targets=[growth_target(-20, 10)]), "a")
    assert b["reasons"]["required_growth_floor"] == "target_reached"  # 0.4·225 ≥ 80
    assert b["required_growth_stretch"] is not None


def test_required_needs_a_remaining_base() -> None:
    data = Data().pair("a", "2023-06", 250.0, 400.0).add("a", "2022-12", 400.0)
    a = row(bulletin("2023-06", data, targets=[level(500, 550)]), "a")
    assert a["reasons"]["required_growth_floor"] == "no_remaining_base"


def test_required_for_a_level_target_needs_last_year() -> None:
    data = Data().add("a", "2023-06", 250.0)
    a = row(bulletin("2023-06", data, targets=[level(500, 550)]), "a")
    assert a["reasons"]["required_growth_floor"] == "no_last_year"
    assert a["expected_source"] == "time"


def test_required_approximate_is_true_for_time_weights_and_null_without_figures() -> None:
    data = Data().pair("a", "2023-06", 105.0, 100.0)  # no L12: w = 6/12
    a = row(bulletin("2023-06", data, targets=[growth_target(8, 10)]), "a")
    assert a["required_approximate"] is True
    assert a["required_growth_floor"] == pytest.approx(((108 - 0.5 * 105) / 0.5) - 100)
    b = row(bulletin("2023-06", data, targets=[growth_target(8, 10)]), "b")
    assert b["required_approximate"] is None
    assert b["reasons"]["required_approximate"] == "no_target"


def test_count_indicators_take_level_targets() -> None:
    data = Data("firms").pair("a", "2023-06", 40.0, 30.0).add("a", "2022-12", 80.0)
    a = row(
        bulletin("2023-06", data, indicators=[FIRMS], targets=[level(100, 120, "firms")]),
        "a",
        "firms",
    )
    assert a["completion_pct"] == 40.0
    assert a["expected_pct"] == 37.5


def test_targets_of_other_years_are_ignored() -> None:
    old = Target("retail", "a", 2022, "growth", 8, 9)
    a = row(bulletin("2023-06", Data().pair("a", "2023-06", 1.0, 1.0), targets=[old]), "a")
    assert a["target_basis"] is None
    assert a["status"] == "no_target"


def test_zero_floor_level_target_has_no_completion() -> None:
    a = row(bulletin("2023-06", Data().add("a", "2023-06", 5.0), targets=[level(0, 1)]), "a")
    assert a["reasons"]["completion_pct"] == "zero_base"
    negative = row(
        bulletin("2023-06", Data().add("a", "2023-06", 5.0), targets=[level(-1, 1)]), "a"
    )
    assert negative["reasons"]["completion_pct"] == "negative_base"


def test_an_indicator_without_flags_for_the_default_still_works() -> None:
    plain = Indicator("plain")
    data = Data("plain").pair("a", "2023-06", 2.0, 1.0)
    assert row(bulletin("2023-06", data, indicators=[plain]), "a", "plain")["growth"] == 100.0


def test_a_growth_only_indicator_marked_not_cumulative_still_gets_the_approximation() -> None:
    """Imports mark growth indicators non-cumulative by default; their published growth is
    still year-to-date growth of a flow, so 倒算 applies (equal months, flagged)."""
    gdp = Indicator("gdp", "growth", "quarterly", False, "up", False, False)
    data = Data("gdp").add("a", "2023-09", growth=5.2)
    a = row(
        bulletin("2023-09", data, indicators=[gdp], targets=[growth_target(5, 5.5, "gdp")]),
        "a",
        "gdp",
    )
    assert a["required_growth_floor"] == pytest.approx(4.4)
    assert a["required_approximate"] is True


def test_a_non_cumulative_stock_has_no_required_growth() -> None:
    deposits = Indicator("retail", "amount", "monthly", True, "up", True, False)
    data = Data().pair("a", "2023-06", 420.0, 400.0).add("a", "2022-12", 1000.0)
    a = row(bulletin("2023-06", data, indicators=[deposits], targets=[growth_target(8, 10)]), "a")
    assert a["required_growth_floor"] is None
    assert a["reasons"]["required_growth_floor"] == "not_cumulative"
