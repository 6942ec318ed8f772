"""Rates, one-tier, phase and rank targets, per-indicator margins (docs/rules.md §3–§3).

Every example runs the engine and the reference (`helpers.bulletin`)."""

from __future__ import annotations

from baozheng.analysis.model import Margins, StatusRules, Target
from tests.analysis.helpers import GDP, RETAIL, UNEMPLOYMENT, Data, bulletin, row

JOB = "unemployment"


def unemployment() -> Data:
    data = Data(JOB)
    for unit, now, last in (
        ("city", 5.3, 5.6),
        ("a", 5.04, 5.2),
        ("b", 4.96, 4.9),
        ("c", 6.2, 6.0),
        ("d", 7.1, None),
    ):
        data.add(unit, "2023-06", now)
        if last is not None:
            data.add(unit, "2022-06", last)
    return data.add("a", "2023-05", 5.5).add("b", "2023-05", 5.0)


def test_a_rate_has_a_change_in_points_and_no_growth() -> None:
    rows = bulletin("2023-06", unemployment(), indicators=[UNEMPLOYMENT])
    city = row(rows, "city", JOB)
    assert city["change_pp"] == -0.3
    assert city["growth"] is None and city["reasons"]["growth"] == "rate_indicator"
    assert row(rows, "d", JOB)["reasons"]["change_pp"] == "no_last_year"
    assert city["reasons"]["month_value"] == "not_cumulative"
    assert row(rows, "a", JOB)["reasons"]["pull_pp"] == "not_additive"


def test_a_published_growth_on_a_rate_is_ignored() -> None:
    data = unemployment().add("b", "2023-06", 4.96, growth=2.0)
    b = row(bulletin("2023-06", data, indicators=[UNEMPLOYMENT]), "b", JOB)
    assert b["growth"] is None and b["change_pp"] == 0.1


def test_other_kinds_say_not_rate() -> None:
    data = Data().pair("a", "2023-06", 110.0, 100.0)
    assert row(bulletin("2023-06", data), "a")["reasons"]["change_pp"] == "not_rate"


def test_a_rate_ranks_by_its_level_lowest_first_with_ties_as_printed() -> None:
    rows = bulletin("2023-06", unemployment(), indicators=[UNEMPLOYMENT])
    ranks = {u: row(rows, u, JOB)["rank"] for u in "abcd"}
    assert ranks == {"a": 1, "b": 1, "c": 3, "d": 4}  # 5.04 and 4.96 tie at 5.0
    assert row(rows, "a", JOB)["rank_change"] == 1  # 5.5 was behind 5.0 at 1-5月
    assert row(rows, "c", JOB)["vs_parent_pp"] == 0.9  # 6.2 − 5.3


def test_a_rate_is_never_summed_from_children() -> None:
    data = unemployment()
    data.rows = [x for x in data.rows if x["unit"] != "city"]
    city = row(bulletin("2023-06", data, indicators=[UNEMPLOYMENT]), "city", JOB)
    assert city["value"] is None and city["reasons"]["value"] == "no_data"


def test_rate_targets_compare_the_level_with_a_one_point_amber_band() -> None:
    targets = [Target(JOB, unit, 2023, "level", 5.5, 5.0) for unit in ("city", "a", "b", "c", "d")]
    rows = bulletin("2023-06", unemployment(), indicators=[UNEMPLOYMENT], targets=targets)
    status = {u: row(rows, u, JOB)["status"] for u in ("city", "a", "b", "c", "d")}
    assert status == {
        "city": "on_track",
        "a": "exceeds",
        "b": "exceeds",
        "c": "at_risk",
        "d": "off_track",
    }
    assert row(rows, "a", JOB)["reasons"]["required_growth_floor"] == "not_cumulative"


def test_the_rate_margin_can_be_set_for_one_indicator() -> None:
    targets = [Target(JOB, "c", 2023, "level", 5.5, 5.0)]
    rules = StatusRules(per_indicator=((JOB, Margins(at_risk_rate_pp=0.5)),))
    rows = bulletin(
        "2023-06", unemployment(), indicators=[UNEMPLOYMENT], targets=targets, rules=rules
    )
    assert row(rows, "c", JOB)["status"] == "off_track"


def test_a_one_tier_target_never_exceeds_and_has_no_stretch_figures() -> None:
    data = Data().pair("a", "2023-06", 120.0, 100.0).add("a", "2022-12", 200.0)
    rows = bulletin("2023-06", data, targets=[Target("retail", "a", 2023, "growth", 5.0, None)])
    a = row(rows, "a")
    assert a["status"] == "on_track"
    assert a["target_stretch"] is None and a["reasons"]["target_stretch"] == "no_target"
    assert a["required_growth_stretch"] is None
    assert a["reasons"]["required_growth_stretch"] == "no_target"
    assert a["required_growth_floor"] is not None


def test_a_phase_target_is_in_force_at_its_period_only() -> None:
    data = Data().pair("a", "2023-03", 50.0, 48.0).add("a", "2022-12", 200.0)
    data.pair("a", "2023-06", 104.0, 100.0)
    targets = [
        Target("retail", "a", 2023, "growth", 5.0, 6.0),
        Target("retail", "a", 2023, "growth", 4.0, 4.5, None, 3),
    ]
    march = row(bulletin("2023-03", data, targets=targets), "a")
    assert (march["target_period"], march["target_floor"], march["status"]) == (
        "2023-03",
        4.0,
        "on_track",  # 4.2 % against the phase's 保4 争4.5
    )
    # Required growth still works back from the year's 5 %: w = 48/200.
    assert march["required_growth_floor"] == (
        (105 - 0.24 * (100 + 50 / 48 * 100 - 100)) / 0.76 - 100
    )
    june = row(bulletin("2023-06", data, targets=targets), "a")
    assert (june["target_period"], june["target_floor"], june["status"]) == (
        "2023",
        5.0,
        "at_risk",
    )


def test_a_phase_level_target_is_due_in_full_by_its_period() -> None:
    data = Data().pair("a", "2023-03", 95.0, 48.0).add("a", "2022-12", 200.0)
    targets = [
        Target("retail", "a", 2023, "level", 400.0, 420.0),
        Target("retail", "a", 2023, "level", 100.0, 110.0, None, 3),
    ]
    a = row(bulletin("2023-03", data, targets=targets), "a")
    assert (a["expected_pct"], a["expected_source"], a["completion_pct"]) == (100.0, "phase", 95.0)
    assert a["status"] == "at_risk"  # 95 ≥ 100 − 5
    assert a["required_growth_floor"] == ((400.0 - 95.0) / (200.0 - 48.0) - 1) * 100


def test_rank_targets_judge_the_units_own_rank() -> None:
    data = Data()
    for unit, now in zip("abcd", (110.0, 108.0, 106.0, 104.0), strict=True):
        data.pair(unit, "2023-06", now, 100.0)
    targets = [
        Target("retail", "a", 2023, "rank", 3, 2, 1),
        Target("retail", "b", 2023, "rank", 1, None),
        Target("retail", "c", 2023, "rank", 1, None),  # third: two places behind
        Target("retail", "d", 2023, "rank", 1, None),
        Target("retail", "d", 2023, "growth", 3.0, 5.0),
    ]
    rows = bulletin("2023-06", data, targets=targets)
    assert [row(rows, u)["rank_status"] for u in "abcd"] == [
        "exceeds",
        "at_risk",
        "off_track",
        "off_track",
    ]
    a = row(rows, "a")
    assert (a["target_rank_floor"], a["target_rank_stretch"], a["target_rank_top"]) == (3, 2, 1)
    assert row(rows, "d")["status"] == "on_track"  # the value target beside the rank target
    assert row(rows, "city")["reasons"]["rank_status"] == "no_target"


def test_a_rank_target_without_a_rank_is_no_data() -> None:
    data = Data().pair("a", "2023-06", 110.0, 100.0)
    rows = bulletin("2023-06", data, targets=[Target("retail", "b", 2023, "rank", 1, None)])
    assert row(rows, "b")["rank_status"] == "no_data"


def test_gdp_phase_growth_target_at_the_first_quarter() -> None:
    data = Data("gdp").add("city", "2023-03", growth=8.6)
    targets = [
        Target("gdp", "city", 2023, "growth", 8.0, 9.0),
        Target("gdp", "city", 2023, "growth", 8.5, 9.0, None, 3),
    ]
    city = row(bulletin("2023-03", data, indicators=[GDP, RETAIL], targets=targets), "city", "gdp")
    assert (city["target_period"], city["status"]) == ("2023-03", "on_track")


def test_without_any_target_the_target_period_is_the_year() -> None:
    data = Data().pair("a", "2023-03", 50.0, 48.0)
    a = row(bulletin("2023-03", data), "a")
    assert a["target_period"] == "2023" and "target_period" not in a["reasons"]
