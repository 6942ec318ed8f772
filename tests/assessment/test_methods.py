"""The scoring methods, without a database."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from baozheng.assessment.methods import SchemeError, score_item, shared_ranks, validate

TABLE = {
    "table": [
        {"from": 1, "to": 3, "points": 7},
        {"from": 4, "to": 6, "points": 5},
        {"from": 7, "to": 10, "points": 3},
    ]
}


def points(method, params, full, figures, missing="zero"):
    return {
        code: s.points for code, s in score_item(method, params, D(full), figures, missing).items()
    }


def test_ties_share_the_best_place_and_the_next_place_is_skipped():
    assert shared_ranks({"a": D(5), "b": D(3), "c": D(3), "d": D(1)}) == {
        "a": 1,
        "b": 2,
        "c": 2,
        "d": 4,
    }


def test_lower_is_better_ranks_the_smallest_first_and_missing_is_not_ranked():
    assert shared_ranks({"a": D(5), "b": D(3), "c": None}, -1) == {"a": 2, "b": 1, "c": None}


def test_rank_table_gives_each_band_its_points_and_beyond_the_table_nothing():
    figures = {f"u{i:02d}": D(20 - i) for i in range(1, 12)}
    scored = points("rank_table", TABLE, 7, figures)
    assert [scored[f"u{i:02d}"] for i in range(1, 12)] == [D(7)] * 3 + [D(5)] * 3 + [D(3)] * 4 + [
        D(0)
    ]


def test_rank_compares_figures_as_printed_so_5_04_and_4_96_tie():
    scored = score_item(
        "rank_table",
        TABLE,
        D(7),
        {"a": D("5.04"), "b": D("4.96"), "c": D("1"), "d": D("0.9"), "e": D("0.8")},
    )
    assert scored["a"].rank == scored["b"].rank == 1
    assert scored["e"].rank == 5 and scored["e"].points == D(5)


def test_rank_step_gives_the_first_full_points_and_each_place_below_one_step_less():
    scored = points("rank_step", {"step": "0.5"}, 5, {"a": D(9), "b": D(8), "c": D(8), "d": D(1)})
    assert scored == {"a": D("5.00"), "b": D("4.50"), "c": D("4.50"), "d": D("3.50")}


def test_rank_step_never_goes_below_its_minimum():
    figures = {str(i): D(i) for i in range(20)}
    scored = points("rank_step", {"step": 1, "min": 2}, 10, figures)
    assert min(scored.values()) == D(2)


def test_missing_figure_scores_an_explicit_zero_with_the_reason():
    scored = score_item("rank_table", TABLE, D(7), {"a": D(1), "b": None})
    assert scored["b"].points == 0 and "无数据" in scored["b"].why and scored["b"].rank is None


def test_missing_figure_is_excluded_when_the_item_says_so():
    scored = score_item("tier", {"floor": 8, "stretch": 9}, D(10), {"a": None}, missing="exclude")
    assert scored["a"].excluded and "折算" in scored["a"].why


def test_attainment_ratio_is_points_times_actual_over_target():
    scored = score_item("attainment_ratio", {"target": 100}, D(20), {"a": D("93.5")})["a"]
    assert scored.points == D("18.70")
    assert "20×0.935" in scored.why


def test_attainment_ratio_is_capped():
    assert points("attainment_ratio", {"target": 100, "cap": "1.2"}, 10, {"a": D(150)}) == {
        "a": D("12.00")
    }
    assert points("attainment_ratio", {"target": 100}, 10, {"a": D(150)}) == {"a": D("10.00")}


def test_attainment_ratio_of_a_negative_figure_is_zero_not_negative():
    assert points("attainment_ratio", {}, 10, {"a": D(-5)}) == {"a": D("0.00")}


STEPS = {
    "base": 100,
    "short_step": "0.1",
    "bands": [{"from": 100, "to": 130, "step": "0.2"}, {"from": 130, "step": "0.1"}],
    "cap": 10,
}


@pytest.mark.parametrize(
    ("figure", "expected"),
    [
        ("100", "20.00"),  # at base: full points
        ("95", "19.50"),  # 5 points short × 0.1
        ("110", "22.00"),  # 10 points × 0.2
        ("140", "27.00"),  # 30 × 0.2 + 10 × 0.1
        ("250", "30.00"),  # 6 + 12 = 18 capped at +10
        ("0", "10.00"),  # −10 capped at −10
    ],
)
def test_attainment_steps_follow_the_published_rule(figure, expected):
    assert points("attainment_steps", STEPS, 20, {"a": D(figure)}) == {"a": D(expected)}


def test_attainment_steps_say_when_the_adjustment_was_capped():
    assert "封顶" in score_item("attainment_steps", STEPS, D(20), {"a": D(250)})["a"].why


@pytest.mark.parametrize(
    ("figure", "expected"),
    [
        ("9.2", "10.00"),
        ("9", "10.00"),
        ("8.5", "6.00"),
        ("8", "6.00"),
        ("7.96", "6.00"),
        ("7.9", "0.00"),
    ],
)
def test_tier_gives_full_points_at_stretch_a_share_at_floor_none_below(figure, expected):
    # 7.96 prints as 8.0 and therefore reaches the floor, as the bulletin shows it
    assert points(
        "tier", {"floor": 8, "stretch": 9, "floor_share": "0.6"}, 10, {"a": D(figure)}
    ) == {"a": D(expected)}


def test_tier_with_lower_is_better_mirrors_the_comparisons():
    params = {"floor": 3, "stretch": 2, "direction": "down"}
    assert points("tier", params, 10, {"a": D(2), "b": D(3), "c": D(4)}) == {
        "a": D("10.00"),
        "b": D("6.00"),
        "c": D("0.00"),
    }


@pytest.mark.parametrize(
    ("figure", "expected"),
    [("7", "0.00"), ("8", "6.00"), ("8.5", "8.00"), ("9", "10.00"), ("12", "10.00")],
)
def test_linear_rises_straight_from_the_floor_share_to_full_points(figure, expected):
    params = {"floor": 8, "stretch": 9, "floor_share": "0.6"}
    assert points("linear", params, 10, {"a": D(figure)}) == {"a": D(expected)}


def test_bonus_entries_add_up_to_the_item_cap_and_penalties_subtract():
    assert points("entries", {"kind": "bonus"}, 5, {"a": D(3), "b": D(8)}) == {
        "a": D("3.00"),
        "b": D("5.00"),
    }
    assert points("entries", {"kind": "penalty"}, 5, {"a": D(2)}) == {"a": D("-2.00")}


def test_no_entries_is_zero_whatever_the_missing_rule():
    assert points("entries", {"kind": "bonus"}, 5, {"a": None}, missing="exclude") == {"a": D(0)}


def test_direct_score_is_kept_between_zero_and_full_points():
    assert points("direct", {}, 10, {"a": D(12), "b": D(-1), "c": D("7.25")}) == {
        "a": D("10.00"),
        "b": D("0.00"),
        "c": D("7.3"),
    }


@pytest.mark.parametrize(
    ("method", "params", "message"),
    [
        ("nonsense", {}, "未知的赋分方法"),
        ("tier", {"floor": 9, "stretch": 8}, "争取目标"),
        ("tier", {"floor": 8}, "缺少参数"),
        ("tier", {"floor": 8, "stretch": 9, "floor_share": 2}, "0到1"),
        ("rank_table", {"table": [{"from": 3, "to": 1, "points": 5}]}, "from/to"),
        ("rank_table", {}, "位次赋分表"),
        ("linear", {"floor": "x", "stretch": 9}, "应为数字"),
        ("attainment_ratio", {"target": 0}, "应大于0"),
        ("attainment_steps", {"bands": [{"from": 130, "to": 100, "step": 1}]}, "to 应大于"),
        ("direct", {"colour": "red"}, "不认识参数"),
        ("entries", {"kind": "both"}, "bonus"),
    ],
)
def test_invalid_parameters_are_refused_in_chinese(method, params, message):
    with pytest.raises(SchemeError, match=message):
        validate(method, params, 10)


def test_valid_parameters_pass_validation():
    validate("rank_table", TABLE, 7)
    validate("attainment_steps", STEPS, 20)


figure = st.decimals(min_value=-1000, max_value=1000, allow_nan=False, places=2)


@given(st.dictionaries(st.text(min_size=1, max_size=3), st.one_of(st.none(), figure), max_size=15))
def test_rank_points_stay_within_zero_and_full_and_better_figures_never_score_less(figures):
    scored = score_item("rank_step", {"step": "0.7"}, D(5), figures)
    ranked = [(figures[c], s.points) for c, s in scored.items() if figures[c] is not None]
    assert all(D(0) <= p <= 5 for _, p in ranked)
    for f1, p1 in ranked:
        for f2, p2 in ranked:
            if round(f1, 1) > round(f2, 1):
                assert p1 >= p2


@given(figure, figure)
def test_linear_never_leaves_zero_to_full_and_is_monotone(a, b):
    params = {"floor": 80, "stretch": 100, "floor_share": "0.5"}
    scored = points("linear", params, 10, {"a": a, "b": b})
    assert all(D(0) <= p <= 10 for p in scored.values())
    if a >= b:
        assert scored["a"] >= scored["b"]


@given(figure)
def test_attainment_steps_never_move_more_than_the_cap(a):
    score = points("attainment_steps", STEPS, 20, {"a": a})["a"]
    assert D(10) <= score <= D(30)
