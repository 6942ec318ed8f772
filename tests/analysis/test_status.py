"""亮灯: status thresholds on printed figures, mirrored for "down" indicators."""

from __future__ import annotations

import pytest

from baozheng.analysis.model import StatusRules, Target
from tests.analysis.helpers import ENERGY, Data, bulletin, row


def status_for_growth(growth: float, floor: float = 8.0, stretch: float = 9.0, **kw) -> str:
    data = Data(kw.pop("indicator", "retail")).add("a", "2023-06", 100.0, growth=growth)
    target = Target(data.indicator, "a", 2023, "growth", floor, stretch)
    return row(bulletin("2023-06", data, targets=[target], **kw), "a", data.indicator)["status"]


@pytest.mark.parametrize(
    ("growth", "status"),
    [
        (8.95, "exceeds"),  # prints 9.0
        (8.94, "on_track"),
        (7.95, "on_track"),  # prints 8.0
        (7.94, "at_risk"),
        (6.95, "at_risk"),  # prints 7.0 = floor − 1
        (6.94, "off_track"),
    ],
)
def test_growth_target_thresholds_compare_printed_figures(growth: float, status: str) -> None:
    assert status_for_growth(growth) == status


@pytest.mark.parametrize(
    ("growth", "status"),
    [
        (-3.05, "exceeds"),
        (-3.0, "exceeds"),
        (-2.0, "on_track"),
        (-1.05, "at_risk"),
        (-0.9, "off_track"),
    ],
)
def test_down_indicators_mirror_the_thresholds(growth: float, status: str) -> None:
    # energy intensity: floor −2 %, stretch −3 %; lower is better
    got = status_for_growth(growth, -2.0, -3.0, indicator="energy", indicators=[ENERGY])
    assert got == status


def test_at_risk_margin_is_configurable() -> None:
    assert status_for_growth(6.5, rules=StatusRules(at_risk_growth_pp=2.0)) == "at_risk"


def level_status(value: float, floor: float = 500.0, stretch: float = 550.0, **kw) -> str:
    data = Data().pair("a", "2023-06", value, 180.0).add("a", "2022-12", 400.0)  # expected 45 %
    target = Target("retail", "a", 2023, "level", floor, stretch)
    return row(bulletin("2023-06", data, targets=[target], **kw), "a")["status"]


@pytest.mark.parametrize(
    ("value", "status"),
    [
        (247.5, "exceeds"),  # 247.5 / 550 = 45.0 %
        (247.0, "on_track"),  # 49.4 % of the floor ≥ 45
        (224.75, "on_track"),  # 44.95 % prints 45.0
        (224.7, "at_risk"),
        (199.75, "at_risk"),  # 39.95 % prints 40.0 = 45 − 5
        (199.7, "off_track"),
    ],
)
def test_level_target_thresholds_against_expected_progress(value: float, status: str) -> None:
    assert level_status(value) == status


def test_no_data_wins_over_a_target() -> None:
    target = Target("retail", "a", 2023, "growth", 8, 9)
    a = row(bulletin("2023-06", Data().pair("b", "2023-06", 1.0, 1.0), targets=[target]), "a")
    assert a["status"] == "no_data"


def test_no_data_when_the_target_needs_a_figure_that_is_missing() -> None:
    target = Target("retail", "a", 2023, "growth", 8, 9)
    a = row(bulletin("2023-06", Data().add("a", "2023-06", 100.0), targets=[target]), "a")
    assert a["growth"] is None
    assert a["status"] == "no_data"


def test_figures_without_target_are_no_target() -> None:
    assert (
        row(bulletin("2023-06", Data().pair("a", "2023-06", 1.0, 1.0)), "a")["status"]
        == "no_target"
    )


def test_top_tier_is_shown_but_not_evaluated() -> None:
    target = Target("retail", "a", 2023, "growth", 8, 9, top=10)
    data = Data().add("a", "2023-06", 100.0, growth=12.0)
    a = row(bulletin("2023-06", data, targets=[target]), "a")
    assert (a["target_floor"], a["target_stretch"], a["target_top"]) == (8.0, 9.0, 10.0)
    assert a["status"] == "exceeds"
