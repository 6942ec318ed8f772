"""The score formula, ranking, tie-breaks and quotas (pure)."""

import ast
import inspect
import itertools
from decimal import Decimal as D

from baozheng.contest import conflicts, formula, prizes, rollup

F, R = formula.FRONTLINE, formula.RESEARCHER


def test_a_group_below_the_threshold_takes_the_plain_mean():
    mean, trimmed = formula.group_mean([D(80), D(90), D(70), D(100)], trim_threshold=5)
    assert (mean, trimmed) == (D(85), False)


def test_a_group_at_the_threshold_drops_the_highest_and_lowest():
    mean, trimmed = formula.group_mean([D(80), D(90), D(70), D(100), D(60)], trim_threshold=5)
    assert (mean, trimmed) == (D(80), True)


def test_the_threshold_is_configurable():
    rules = formula.Rules(trim_threshold=3)
    score = formula.score([(R, D(70)), (R, D(80)), (R, D(99))], rules)
    assert score.groups[R].trimmed and score.final == D(80)


def test_frontline_teachers_weigh_seventy_percent():
    sheets = [(F, D(90))] * 5 + [(R, D(80))] * 2
    assert formula.score(sheets).final == D("87.00")  # 0.7 × 90 + 0.3 × 80


def test_weights_are_configurable():
    rules = formula.Rules(weights={F: D("0.5"), R: D("0.5")})
    assert formula.score([(F, D(90)), (R, D(80))], rules).final == D("85.00")


def test_a_missing_group_leaves_the_other_to_carry_the_score():
    assert formula.score([(F, D("88.5"))]).final == D("88.50")
    assert formula.score([]).final is None


def test_the_final_score_is_rounded_half_up_to_two_decimals_only_at_the_end():
    # frontline mean 85.005 (unrounded) → 0.7 × 85.005 + 0.3 × 80 = 83.5035 → 83.50
    sheets = [(F, D("85.005")), (R, D(80))]
    assert formula.score(sheets).final == D("83.50")
    assert formula.half_up(D("2.345")) == D("2.35")


def test_the_normalisation_report_needs_a_minimum_sample_and_never_changes_scores():
    finals = {"甲赛点": {str(i): D(80 + i) for i in range(10)}, "乙赛点": {"1": D(90), "2": D(70)}}
    report = {r.venue: r for r in formula.normalisation_report(finals, min_sample=10)}
    assert report["甲赛点"].reported and report["甲赛点"].z_scores["0"] < 0
    assert not report["乙赛点"].reported and report["乙赛点"].z_scores == {}
    assert finals["乙赛点"]["1"] == D(90)


def test_ties_are_broken_by_frontline_then_researcher_means():
    entries = [
        prizes.Entry("A", D(85), D(86), D(83)),
        prizes.Entry("B", D(85), D(87), D(80)),
        prizes.Entry("C", D(85), D(86), D(84)),
    ]
    assert [e.key for _, e in prizes.rank(entries)] == ["B", "C", "A"]


def test_complete_ties_share_a_rank_and_skip_the_next():
    entries = [
        prizes.Entry("X", D(90), D(90), D(90)),
        prizes.Entry("A", D(80), D(80), D(80)),
        prizes.Entry("B", D(80), D(80), D(80)),
        prizes.Entry("C", D(70)),
    ]
    assert [(r, e.key) for r, e in prizes.rank(entries)] == [(1, "X"), (2, "A"), (2, "B"), (4, "C")]


def test_quotas_are_cumulative_and_rounded_half_up():
    assert prizes.cutoffs(15, (D(10), D(20), D(30))) == [2, 5, 9]  # 1.5→2, 4.5→5, 9


def test_prizes_follow_the_quotas():
    entries = [prizes.Entry(f"{i:02d}", D(100 - i)) for i in range(10)]
    placings = prizes.award(entries, (D(10), D(20), D(30)))
    assert [p.prize for p in placings] == [1, 2, 2, 3, 3, 3, None, None, None, None]


def test_a_tie_on_a_quota_boundary_shares_the_better_prize():
    entries = [prizes.Entry("A", D(95)), prizes.Entry("B", D(95)), prizes.Entry("C", D(80))] + [
        prizes.Entry(f"Z{i}", D(50 - i)) for i in range(7)
    ]
    placings = {p.key: p.prize for p in prizes.award(entries, (D(10), D(0), D(0)))}
    assert placings["A"] == placings["B"] == 1 and placings["C"] is None


def test_contestants_without_a_score_are_not_ranked():
    placings = prizes.award([prizes.Entry("A", D(90)), prizes.Entry("B", None)])
    assert [p.key for p in placings] == ["A"]


def test_a_campaign_sized_field_is_ranked_in_score_order_with_prizes_only_growing_worse():
    """25,000 contestants, ties included; bench/contest_load.py times the full 100,000 (< 2 s)."""
    import random

    rng = random.Random(1)
    entries = [
        prizes.Entry(
            f"{i:06d}",
            D(rng.randint(6000, 9800)) / 100,
            D(rng.randint(60, 98)),
            D(rng.randint(60, 98)),
        )
        for i in range(25_000)
    ]
    placings = prizes.award(entries)
    assert len(placings) == 25_000
    assert all(a.final >= b.final and a.rank <= b.rank for a, b in itertools.pairwise(placings))
    levels = [p.prize or 4 for p in placings]
    assert levels == sorted(levels) and levels[0] == 1 and levels[-1] == 4


def test_same_school_central_school_and_county_are_recused_as_configured():
    judge = conflicts.Affiliation("S1", "Z1", "C1")
    all_rules = conflicts.ConflictRules()
    assert (
        conflicts.conflict(judge, conflicts.Affiliation("S1", "Z1", "C1"), all_rules) == "同校回避"
    )
    assert (
        conflicts.conflict(judge, conflicts.Affiliation("S2", "Z1", "C1"), all_rules)
        == "同一中心校回避"
    )
    assert (
        conflicts.conflict(judge, conflicts.Affiliation("S3", "Z2", "C1"), all_rules)
        == "同县（市、区）回避"
    )
    assert (
        conflicts.conflict(
            judge,
            conflicts.Affiliation("S3", "Z2", "C1"),
            conflicts.ConflictRules(same_county=False),
        )
        == ""
    )
    assert conflicts.conflict(conflicts.Affiliation(), conflicts.Affiliation(), all_rules) == ""


def test_assignment_skips_recused_busy_and_removed_judges_and_reports_shortfalls():
    judges = [
        conflicts.JudgeInfo(k, F, frozenset({"语文"}), conflicts.Affiliation(county=c))
        for k, c in (("j1", "C1"), ("j2", "C2"), ("j3", "C2"), ("j4", "C3"))
    ]
    sessions = [
        conflicts.SessionNeed("s1", "语文", "d1", [conflicts.Affiliation(county="C1")], {F: 2}),
        conflicts.SessionNeed(
            "s2", "语文", "d1", [conflicts.Affiliation(county="C3")], {F: 2}, frozenset({"j2"})
        ),
    ]
    chosen, shortfalls = conflicts.assign(sessions, judges, conflicts.ConflictRules())
    by_session = {s: sorted(a.judge for a in chosen if a.session == s) for s in ("s1", "s2")}
    assert by_session == {"s1": ["j2", "j3"], "s2": ["j1"]}  # j2 removed, j3 busy, j4 recused
    assert len(shortfalls) == 1 and "一线教师" in shortfalls[0]


def test_rollup_counts_participation_mean_and_prizes_per_hundred_teachers():
    records = [
        rollup.ContestantRecord("S1", "Z1", "C1", D(90), 1),
        rollup.ContestantRecord("S1", "Z1", "C1", D(80), None),
        rollup.ContestantRecord("S2", "Z1", "C1", None, None),
    ]
    teachers = {"S1": 40, "S2": 60, "S3": 100}
    parents = {"S1": ("Z1", "C1"), "S2": ("Z1", "C1"), "S3": ("", "C1")}
    by_school = {r.unit: r for r in rollup.roll_up(records, teachers, parents, "school")}
    assert by_school["S1"].participation_rate == D("5.0") and by_school["S1"].mean_score == D(
        "85.00"
    )
    assert by_school["S1"].prizes_per_hundred == D("2.5") and by_school["S3"].participants == 0
    central = rollup.roll_up(records, teachers, parents, "central_school")
    assert [(r.unit, r.teachers, r.participants) for r in central] == [("Z1", 100, 3)]
    county = rollup.roll_up(records, teachers, parents, "county")[0]
    assert county.teachers == 200 and county.participation_rate == D("1.5")


def test_the_pure_modules_do_not_import_django():
    for module in (formula, prizes, conflicts, rollup):
        tree = ast.parse(inspect.getsource(module))
        names = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        names += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        assert not any(name.startswith("django") for name in names), module.__name__
