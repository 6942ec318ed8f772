"""The headline in words, from plain bulletin rows (no database)."""

from baozheng.headline import words


def growth_row(growth, floor, stretch, rank=None, **extra):
    return {
        "growth": growth,
        "value": None,
        "target_basis": "growth",
        "target_floor": floor,
        "target_stretch": stretch,
        "rank": rank,
        **extra,
    }


def test_above_the_stretch_it_is_said_against_the_stretch_with_the_rank():
    row = growth_row(9.4, 8, 9, rank=1)
    assert words.headline_sentence(row, "2023年1-9月", "%", "全省") == (
        "1-9月增长9.4%，高于争9目标0.4个百分点，全省第1"
    )


def test_between_the_tiers_it_is_said_against_both():
    row = growth_row(12.5, 12, 13)
    assert words.target_phrase(row) == "高于保12目标0.5个百分点，低于争13目标0.5个百分点"


def test_below_the_floor_it_is_said_against_the_floor_on_printed_figures():
    # 9.05 prints 9.1 (half-up), so the gap to 10 is 0.9 points, not 0.95.
    row = growth_row(9.05, 10, 12)
    assert words.target_phrase(row) == "低于保10目标0.9个百分点"


def test_a_one_tier_target_and_a_decimal_tier():
    assert words.target_phrase(growth_row(5.0, 5, None)) == "与保5目标持平"
    assert words.target_phrase(growth_row(9.2, 8.5, 9)) == "高于争9目标0.2个百分点"


def test_a_fall_is_said_as_a_fall():
    assert words.growth_phrase(-1.24) == "下降1.2%"
    assert words.growth_phrase(0.04) == "与上年持平"


def test_a_level_target_speaks_of_completion_against_progress():
    row = {
        "growth": 6.1,
        "value": 320.45,
        "target_basis": "level",
        "target_floor": 460,
        "completion_pct": 69.66,
        "expected_pct": 72.0,
        "rank": 3,
    }
    assert words.headline_sentence(row, "2023年1-9月", "亿元", "全市") == (
        "1-9月累计320.5亿元，增长6.1%，完成全年保底目标69.7%，慢于进度2.3个百分点，全市第3"
    )


def test_no_figure_says_so():
    assert words.headline_sentence(None, "2023年1-9月", "%", "全省") == "1-9月暂无数据"


def test_required_growth_marks_the_equal_month_approximation():
    row = {
        "required_growth_floor": 3.84,
        "required_growth_stretch": 7.75,
        "required_approximate": True,
    }
    assert words.required_phrase(row) == "余下月份需增长约3.8%（保）、7.8%（争）"
    reached = {
        "required_growth_floor": None,
        "required_growth_stretch": None,
        "reasons": {"required_growth_floor": "target_reached"},
    }
    assert words.required_phrase(reached) == "已达全年目标"


def test_moves_of_rank_and_light():
    assert words.rank_move(2, "全省") == "全省位次上升2位"
    assert words.rank_move(-1, "全市") == "全市位次下降1位"
    assert words.rank_move(0, "全市") == ""
    assert words.status_move("at_risk", "off_track") == "黄灯→红灯"
    assert words.status_move("on_track", "on_track") == ""
    assert words.is_worse("at_risk", "off_track")
    assert not words.is_worse("off_track", "exceeds")
