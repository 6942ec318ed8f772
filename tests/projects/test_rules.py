"""The pure rules of key projects: warnings, stage ladder, cumulative investment, periods,
county figures and the two-year rule. No database."""

from datetime import date
from decimal import Decimal as D

import pytest

from baozheng.projects.figures import (
    ProjectFacts,
    county_figures,
    evaluate,
    group_figures,
    two_year_rule,
    two_year_window_start,
)
from baozheng.projects.rules import (
    RED,
    YELLOW,
    Month,
    StageDates,
    Thresholds,
    cumulative_problem,
    investment_alert,
    parse_month,
    percent,
    stage_problems,
    start_alert,
    statistics_alert,
    time_progress,
)

T = Thresholds()
JUNE = Month(2023, 6)


def level(alert):
    return alert.level if alert else None


# ---------------------------------------------------------------- periods


@pytest.mark.parametrize("text", ["2023-06", "2023-6", "2023年1-6月", " 2023－06 "])
def test_it_parses_the_period_in_both_forms(text):
    assert parse_month(text) == Month(2023, 6)


@pytest.mark.parametrize("text", ["2023-13", "2023-00", "June", "2023年3-6月", ""])
def test_it_refuses_a_period_it_cannot_read(text):
    with pytest.raises(ValueError):
        parse_month(text)


def test_a_month_knows_its_last_day_neighbours_and_labels():
    assert Month(2024, 2).end == date(2024, 2, 29)
    assert Month(2023, 12).end == date(2023, 12, 31)
    assert Month(9999, 12).end == date(9999, 12, 31)
    assert Month(2023, 12).next() == Month(2024, 1)
    assert Month(2023, 1).previous() == Month(2022, 12)
    assert JUNE.span_label == "2023年1-6月"
    assert Month(2023, 1).span_label == "2023年1月"


def test_time_progress_is_m_over_12_rounded_half_up():
    assert time_progress(Month(2023, 1)) == D("8.3")
    assert time_progress(Month(2023, 2)) == D("16.7")
    assert time_progress(JUNE) == D("50.0")
    assert time_progress(Month(2023, 12)) == D("100.0")


def test_percent_rounds_half_up_and_is_undefined_without_a_positive_whole():
    assert percent(D("1"), D("8")) == D("12.5")
    assert percent(D("0.5"), D("1000")) == D("0.1")  # 0.05 → 0.1, never banker's rounding
    assert percent(D("5"), D("0")) is None
    assert percent(D("5"), None) is None


# ---------------------------------------------------------------- investment behind time progress


@pytest.mark.parametrize(
    ("ytd", "expected"),
    [
        ("401", None),  # 40.1 % vs 50.0 → 9.9 points behind
        ("400", YELLOW),  # exactly 10 points → yellow
        ("200", YELLOW),  # exactly 30 points → still yellow
        ("199", RED),  # 30.1 points → red
        ("0", RED),
        ("900", None),  # ahead of time progress
    ],
)
def test_investment_warning_boundaries(ytd, expected):
    assert level(investment_alert(JUNE, 2023, D("1000"), D(ytd), T)) == expected


def test_investment_gap_uses_the_printed_figures():
    # 39.96 % prints as 40.0 → exactly 10.0 points behind 50.0 → yellow, as the page reads
    alert = investment_alert(JUNE, 2023, D("10000"), D("3996"), T)
    assert alert.level == YELLOW
    assert "落后 10.0 个百分点" in alert.message


def test_no_report_this_year_counts_as_nothing_invested():
    assert level(investment_alert(JUNE, 2023, D("1000"), None, T)) == RED


@pytest.mark.parametrize(
    ("plan_year", "plan"), [(2022, D("1000")), (2023, None), (2023, D("0")), (None, None)]
)
def test_no_investment_warning_without_a_plan_for_that_year(plan_year, plan):
    assert investment_alert(JUNE, plan_year, plan, D("0"), T) is None


def test_investment_thresholds_are_configurable():
    strict = Thresholds(investment_yellow_points=D(5), investment_red_points=D(15))
    assert level(investment_alert(JUNE, 2023, D("1000"), D("440"), strict)) == YELLOW
    assert level(investment_alert(JUNE, 2023, D("1000"), D("340"), strict)) == RED


# ---------------------------------------------------------------- planned start passed


@pytest.mark.parametrize(
    ("planned", "expected"),
    [
        (date(2023, 6, 1), None),  # the planned month itself has not passed yet
        (date(2023, 5, 31), YELLOW),  # one month passed
        (date(2023, 4, 15), YELLOW),  # two months
        (date(2023, 3, 1), RED),  # three months
        (date(2022, 1, 1), RED),
        (date(2023, 9, 1), None),  # planned later
    ],
)
def test_start_warning_boundaries(planned, expected):
    assert level(start_alert(JUNE, planned, None, T)) == expected


def test_a_start_by_the_end_of_the_month_clears_the_start_warning():
    assert start_alert(JUNE, date(2023, 1, 1), date(2023, 6, 30), T) is None


def test_a_start_after_the_month_does_not_count_yet():
    assert level(start_alert(JUNE, date(2023, 1, 1), date(2023, 7, 1), T)) == RED


def test_no_start_warning_without_a_planned_start():
    assert start_alert(JUNE, None, None, T) is None


# ---------------------------------------------------------------- started but not in statistics


@pytest.mark.parametrize(
    ("started", "expected"),
    [
        (date(2023, 6, 10), None),  # started this month
        (date(2023, 5, 31), YELLOW),  # one month
        (date(2023, 4, 1), RED),  # two months
        (date(2022, 11, 1), RED),
        (date(2023, 7, 1), None),  # not started yet at the end of June
    ],
)
def test_statistics_warning_boundaries(started, expected):
    assert level(statistics_alert(JUNE, started, None, T)) == expected


def test_entering_the_statistics_by_the_end_of_the_month_clears_it():
    assert statistics_alert(JUNE, date(2023, 1, 5), date(2023, 6, 30), T) is None
    assert level(statistics_alert(JUNE, date(2023, 1, 5), date(2023, 7, 2), T)) == RED


def test_no_statistics_warning_before_a_start():
    assert statistics_alert(JUNE, None, None, T) is None


def test_evaluate_lists_every_warning_red_first():
    facts = _facts(
        plan=D("1000"),
        ytd=D("400"),
        actual={"signed": date(2022, 1, 1), "started": date(2023, 1, 1)},
        planned_start=date(2022, 12, 1),
    )
    alerts = evaluate(facts, JUNE, T)
    assert [a.rule for a in alerts] == ["statistics", "investment"]
    assert [a.level for a in alerts] == [RED, YELLOW]


# ---------------------------------------------------------------- stage ladder

TODAY = date(2023, 12, 31)


def test_a_stage_cannot_be_skipped():
    problems = stage_problems(
        {
            "signed": StageDates(actual=date(2023, 1, 1)),
            "started": StageDates(actual=date(2023, 3, 1)),
        },
        TODAY,
    )
    assert "started" in problems and "落地" in problems["started"]


def test_a_stage_cannot_be_dated_before_the_previous_one():
    problems = stage_problems(
        {
            "signed": StageDates(actual=date(2023, 5, 1)),
            "landed": StageDates(actual=date(2023, 4, 1)),
        },
        TODAY,
    )
    assert "早于签约" in problems["landed"]


def test_a_planned_date_cannot_precede_the_previous_planned_date():
    problems = stage_problems(
        {
            "signed": StageDates(planned=date(2023, 5, 1)),
            "landed": StageDates(planned=date(2023, 4, 1)),
        },
        TODAY,
    )
    assert "计划落地" in problems["landed"]


def test_a_recorded_reason_allows_skipping_or_dating_early():
    stages = {"started": StageDates(actual=date(2023, 3, 1), reason="技改项目，无需签约落地")}
    assert stage_problems(stages, TODAY) == {}


def test_the_same_day_as_the_previous_stage_is_allowed():
    day = date(2023, 3, 1)
    assert (
        stage_problems({"signed": StageDates(actual=day), "landed": StageDates(actual=day)}, TODAY)
        == {}
    )


def test_an_actual_date_cannot_lie_in_the_future():
    problems = stage_problems({"signed": StageDates(actual=date(2024, 1, 1))}, TODAY)
    assert "不能晚于今天" in problems["signed"]


def test_a_full_ladder_in_order_has_no_problem():
    ladder = {
        k: StageDates(planned=date(2023, i + 1, 1), actual=date(2023, i + 1, 5))
        for i, k in enumerate(["signed", "landed", "started", "producing", "at_capacity"])
    }
    assert stage_problems(ladder, TODAY) == {}


# ---------------------------------------------------------------- cumulative investment


def test_cumulative_may_not_fall_below_last_month_without_a_reason():
    assert "低于上月累计" in cumulative_problem(D("90"), D("100"), None, "")
    assert cumulative_problem(D("90"), D("100"), None, "统计口径调整，核减重复计算") is None
    assert cumulative_problem(D("100"), D("100"), None, "") is None


def test_cumulative_may_not_exceed_an_already_reported_later_month():
    assert "高于下月" in cumulative_problem(D("300"), D("100"), D("200"), "")


def test_cumulative_is_never_negative():
    assert cumulative_problem(D("-1"), None, None, "更正") == "累计完成投资不能为负"


# ---------------------------------------------------------------- figures and the two-year rule


def _facts(
    code="P1",
    county="411302",
    manufacturing=True,
    total=D("10000"),
    plan=None,
    ytd=None,
    actual=None,
    planned_start=None,
    stats=None,
    leader="张三",
) -> ProjectFacts:
    return ProjectFacts(
        id=hash(code) % 1000,
        code=code,
        name=code,
        county_code=county,
        county_name=county,
        leader_key=leader,
        leader_name=leader,
        is_manufacturing=manufacturing,
        total_investment=total,
        plan_year=2023 if plan else None,
        annual_plan=plan,
        invested_ytd=ytd,
        actual=actual or {},
        planned_start=planned_start,
        entered_statistics=stats,
    )


def signed(day):
    return {"signed": day}


def test_one_manufacturing_project_of_ten_yi_meets_the_two_year_rule():
    rule = two_year_rule(
        [_facts(total=D("100000"), actual=signed(date(2022, 1, 1)))], Month(2023, 12)
    )
    assert rule.met and rule.over_ten == 1


def test_one_project_just_below_ten_yi_does_not():
    assert not two_year_rule(
        [_facts(total=D("99999.99"), actual=signed(date(2023, 1, 1)))], JUNE
    ).met


def test_two_projects_of_five_yi_meet_it_and_one_does_not():
    two = [
        _facts("A", total=D("50000"), actual=signed(date(2023, 1, 1))),
        _facts("B", total=D("60000"), actual=signed(date(2023, 2, 1))),
    ]
    assert two_year_rule(two, JUNE).met
    assert not two_year_rule(two[:1], JUNE).met


def test_only_manufacturing_projects_signed_within_the_window_count():
    outside = _facts(total=D("200000"), actual=signed(date(2021, 6, 30)))
    services = _facts(manufacturing=False, total=D("200000"), actual=signed(date(2023, 1, 1)))
    later = _facts(total=D("200000"), actual=signed(date(2023, 7, 1)))
    assert not two_year_rule([outside, services, later], JUNE).met
    assert two_year_window_start(JUNE) == date(2021, 7, 1)
    assert two_year_rule([_facts(total=D("200000"), actual=signed(date(2021, 7, 1)))], JUNE).met


def test_county_figures_count_stages_this_year_and_the_start_rate():
    projects = [
        _facts(
            "A",
            plan=D("1000"),
            ytd=D("600"),
            total=D("120000"),
            actual={
                "signed": date(2022, 5, 1),
                "landed": date(2022, 6, 1),
                "started": date(2023, 2, 1),
            },
        ),
        _facts(
            "B", plan=D("1000"), ytd=D("300"), total=D("20000"), actual={"signed": date(2023, 3, 1)}
        ),
        _facts("C", total=D("5000"), actual={}),
    ]
    g = group_figures("411302", "宛城区", projects, JUNE)
    assert (g.signed_this_year, g.landed_this_year, g.started_this_year) == (1, 0, 1)
    assert (g.over_one_yi, g.over_ten_yi) == (2, 1)
    assert g.completion == D("45.0") and g.gap == D("-5.0")
    assert g.start_rate == D("50.0")


def test_counties_rank_by_completion_with_shared_ranks_and_no_plan_unranked():
    projects = [
        _facts("A", county="1", plan=D("1000"), ytd=D("500")),
        _facts("B", county="2", plan=D("1000"), ytd=D("500.4")),  # 50.04 → 50.0, ties with A
        _facts("C", county="3", plan=D("1000"), ytd=D("100")),
    ]
    rows = county_figures(projects, [("1", "甲"), ("2", "乙"), ("3", "丙"), ("4", "丁")], JUNE)
    assert [(r.key, r.rank) for r in rows] == [("1", 1), ("2", 1), ("3", 3), ("4", None)]
