"""The bulletin's sentences say what the row says and nothing more (plain Python)."""

from types import SimpleNamespace

from baozheng.stats.bulletin_sentences import (
    places_sentence,
    rank_cell,
    summary_sentence,
    warning_sentence,
)


def indicator(**fields):
    base = dict(
        name="工业投资",
        measure="%",
        kind="growth",
        frequency="monthly",
        growth_only=True,
        cumulative=True,
        direction="up",
    )
    return SimpleNamespace(**{**base, **fields})


def row(**fields):
    base = dict(
        value=None,
        growth=None,
        vs_parent_pp=None,
        rank=None,
        rank_of=None,
        completion_pct=None,
        expected_pct=None,
        required_growth_floor=None,
        required_approximate=None,
        target_floor=None,
        target_basis=None,
        status="no_target",
        reasons={},
    )
    return {**base, **fields}


def say(ind, r, month=6):
    return summary_sentence(ind, r, month=month, span=f"1-{month}月", here="全市", above="全省")


def test_a_red_indicator_states_the_gap_and_what_the_rest_of_the_year_needs():
    text = say(
        indicator(),
        row(
            growth=5.6,
            target_floor=8.0,
            target_basis="growth",
            status="off_track",
            required_growth_floor=10.4,
            required_approximate=False,
        ),
    )
    assert "低于年度保底目标（增长8.0%）2.4个百分点" in text
    assert "要完成全年保底目标（增长8.0%），下半年需增长10.4%以上" in text
    assert "完成全年保底目标，余下月份" not in text


def test_an_approximate_requirement_says_about_and_quarterly_indicators_use_half_year_words():
    text = say(
        indicator(name="地区生产总值", frequency="quarterly"),
        row(
            growth=8.5,
            target_floor=8.0,
            target_basis="growth",
            status="on_track",
            required_growth_floor=7.46,
            required_approximate=True,
        ),
    )
    assert text.startswith("上半年，全市地区生产总值同比增长8.5%")
    assert "达到年度保底目标（增长8.0%）" in text
    assert "下半年需增长约7.5%" in text and "以上" not in text
    assert "前三季度" in say(indicator(frequency="quarterly"), row(growth=1.0), month=9)
    assert "四季度需增长" in say(
        indicator(), row(growth=1.0, required_growth_floor=3.8, target_floor=5.0), month=9
    )


def test_a_rate_is_a_level_with_a_change_in_points_never_a_growth():
    rate = indicator(name="城镇调查失业率", kind="rate", growth_only=False, cumulative=False)
    text = say(
        rate,
        row(
            value=5.0,
            change_pp=-0.3,
            vs_parent_pp=0.2,
            rank=3,
            rank_of=18,
            target_period="2023-03",
        ),
    )
    assert (
        text
        == "6月份，全市城镇调查失业率为5.0%，比上年同期下降0.3个百分点，高于全省0.2个百分点，居全省第3位。"
    )
    assert "增长" not in text
    behind = say(
        SimpleNamespace(**{**vars(rate), "direction": "down"}),
        row(value=6.2, change_pp=0.1, target_floor=5.5, status="at_risk", target_period="2023-03"),
    )
    assert "比上年同期上升0.1个百分点" in behind
    assert "高于一季度保底目标（5.5%）0.7个百分点" in behind


def test_a_rate_before_the_rate_kind_exists_is_not_ranked_by_its_growth():
    legacy = indicator(name="城镇调查失业率", kind="amount", growth_only=False, cumulative=False)
    text = say(legacy, row(value=5.0, growth=2.04, rank=17, rank_of=18))
    assert text == "6月份，全市城镇调查失业率为5.0%。"


def test_a_tied_rank_is_written_as_tied():
    text = say(indicator(), row(growth=3.0, rank=2, rank_of=13, rank_tied=True))
    assert "居全省并列第2位" in text


def test_a_missing_figure_gives_its_reason_in_words():
    text = say(
        indicator(name="一般公共预算收入"),
        row(reasons={"growth": "incomplete_children", "value": "incomplete_children"}),
    )
    assert text == "1-6月，全市一般公共预算收入暂无数据（下级单位数据不全，暂不汇总）。"


def test_a_level_target_compares_completion_with_time_progress():
    count = indicator(
        name="新增规上企业", measure="家", kind="count", growth_only=False, cumulative=True
    )
    text = say(
        count,
        row(value=103.0, growth=12.0, completion_pct=51.5, expected_pct=47.2, target_floor=200.0),
    )
    assert "1-6月，全市新增规上企业103家" in text
    assert "完成年度目标的51.5%，快于时序进度4.3个百分点" in text


def test_warnings_are_one_sentence_per_indicator():
    text = warning_sentence(
        "地区生产总值", "growth", "off_track", ["西峡县", "卧龙区", "社旗县"], all_counties=True
    )
    assert text == "地区生产总值增速低于保底目标1个百分点以上的有西峡县、卧龙区、社旗县3个县市区。"
    assert "完成率落后时序进度" in warning_sentence("社零", "level", "at_risk", ["甲"], False)


def test_an_untied_rank_is_written_plainly():
    text = say(indicator(), row(growth=3.0, rank=2, rank_of=13, rank_tied=False))
    assert "居全省第2位" in text and "并列" not in text


def test_the_first_three_counties_with_a_tie_at_third():
    ranked = [(1, "镇平县"), (2, "内乡县"), (3, "西峡县"), (3, "卧龙区"), (5, "宛城区")]
    assert (
        places_sentence(ranked)
        == "分县市区看，镇平县、内乡县分列第一、二位，西峡县、卧龙区并列第三。"
    )


def test_five_counties_tied_at_third_are_not_the_top_three():
    ranked = [(1, "甲"), (2, "乙"), *[(3, name) for name in "丙丁戊己庚"]]
    text = places_sentence(ranked)
    assert text == "分县市区看，甲、乙分列第一、二位，丙、丁、戊、己、庚并列第三。"
    assert "前三名" not in text


def test_untied_counties_and_a_single_ranked_county():
    assert (
        places_sentence([(1, "甲"), (2, "乙"), (3, "丙"), (4, "丁")])
        == "分县市区看，甲、乙、丙分列第一、二、三位。"
    )
    assert places_sentence([(1, "甲")]) == ""


def test_a_rank_cell_says_tied_only_when_it_is():
    assert rank_cell({"rank": 3, "rank_tied": True}) == "并列3"
    assert rank_cell({"rank": 3, "rank_tied": False}) == 3
    assert rank_cell({"rank": None, "rank_tied": None}) is None
