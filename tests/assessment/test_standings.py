"""Totals, ranks, tiers, year weighting, rank targets and recomputation diffs, without a database."""

from decimal import Decimal as D

import pytest

from baozheng.assessment.methods import SchemeError, Scored
from baozheng.assessment.periods import AssessmentPeriod, PeriodError, parse_period
from baozheng.assessment.standings import (
    ItemResult,
    RankTarget,
    combine_parts,
    diff_rows,
    parse_parts,
    parse_tiers,
    rank_change,
    rank_target_status,
    rank_totals,
    tier_for,
    unit_total,
)


def item(full, pts, in_base=True):
    return ItemResult(D(full), in_base, Scored(None if pts is None else D(pts), ""))


def test_a_total_adds_item_points_and_bonus_and_penalty():
    assert unit_total(
        [item(10, "7.5"), item(30, "28"), item(5, "2", False), item(5, "-1", False)]
    ) == D("36.50")


def test_an_excluded_item_scales_the_rest_back_to_the_full_score():
    # 20 of the 30 remaining points scaled to 40: 20 × 40/30 = 26.67
    assert unit_total([item(10, None), item(30, "20")]) == D("26.67")


def test_a_unit_with_every_item_excluded_has_no_total():
    assert unit_total([item(10, None), item(5, "3", False)]) is None


def test_totals_rank_with_shared_places():
    assert rank_totals({"a": D(90), "b": D(95), "c": D(90), "d": None}) == {
        "b": 1,
        "a": 2,
        "c": 2,
        "d": None,
    }


def test_rank_change_is_previous_minus_current_and_null_without_either():
    assert rank_change(5, 2) == 3
    assert rank_change(2, 5) == -3
    assert rank_change(None, 1) is None


def test_tiers_follow_the_places():
    tiers = parse_tiers(
        [
            {"label": "第一方阵", "max_rank": 4},
            {"label": "第二方阵", "max_rank": 9},
            {"label": "第三方阵"},
        ]
    )
    assert [tier_for(r, tiers) for r in (1, 4, 5, 13, None)] == [
        "第一方阵",
        "第一方阵",
        "第二方阵",
        "第三方阵",
        "",
    ]


def test_tiers_must_grow_and_only_the_last_may_be_open():
    with pytest.raises(SchemeError):
        parse_tiers([{"label": "甲", "max_rank": 4}, {"label": "乙", "max_rank": 3}])
    with pytest.raises(SchemeError):
        parse_tiers([{"label": "甲"}, {"label": "乙", "max_rank": 3}])


def test_year_parts_weight_monthly_half_year_and_year_end():
    assert combine_parts([(D(10), D(80)), (D(45), D(90)), (D(45), D(100))]) == D("93.50")


def test_a_missing_part_counts_zero_or_is_left_out_as_the_scheme_says():
    parts = [(D(10), None), (D(45), D(90)), (D(45), D(100))]
    assert combine_parts(parts, "zero") == D("85.50")
    assert combine_parts(parts, "exclude") == D("95.00")


def test_part_weights_may_not_exceed_one_hundred():
    with pytest.raises(SchemeError):
        parse_parts([{"scheme": "m", "weight": 60}, {"scheme": "h", "weight": 45}])


def test_rank_target_bao_san_zheng_er_qiang_di_yi():
    target = RankTarget(floor=3, stretch=2, top=1)
    assert target.label == "保三争二抢第一"
    assert [rank_target_status(r, target) for r in (1, 2, 3, 4, 5, None)] == [
        "exceeds",
        "exceeds",
        "on_track",
        "at_risk",
        "off_track",
        "no_data",
    ]
    assert rank_target_status(1, None) == "no_target"


def test_a_rank_target_with_stretch_below_floor_is_refused():
    with pytest.raises(SchemeError):
        RankTarget(floor=2, stretch=3)


def test_a_recomputation_diff_lists_only_what_changed():
    old = {"a": (D(90), 1, {"x": D(5)}), "b": (D(80), 2, {"x": D(4)}), "c": (D(70), 3, {})}
    new = {"a": (D(90), 1, {"x": D(5)}), "b": (D(85), 2, {"x": D(9)}), "d": (D(60), 3, {})}
    changes = {c.unit: c for c in diff_rows(old, new)}
    assert set(changes) == {"b", "c", "d"}
    assert changes["b"].items == (("x", D(4), D(9)),)
    assert changes["c"].new_total is None


def test_periods_are_named_and_step_back_across_the_year():
    q1 = AssessmentPeriod(2023, 3, "quarter")
    assert q1.label == "2023年第一季度" and q1.previous() == AssessmentPeriod(2022, 12, "quarter")
    assert AssessmentPeriod(2023, 6, "half").label == "2023年上半年"
    assert parse_period("2023年6月", "month").label == "2023年6月"


def test_a_quarter_cannot_end_in_may():
    with pytest.raises(PeriodError):
        AssessmentPeriod(2023, 5, "quarter")
