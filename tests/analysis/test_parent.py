"""The parent from its children, pull (拉动), contribution (贡献率) and vs-parent."""

from __future__ import annotations

import pytest

from tests.analysis.helpers import (
    CITY,
    COUNTIES,
    GDP,
    PEER_CITY,
    PROVINCE,
    UNITS,
    ZONE,
    Data,
    bulletin,
    row,
)


def counties(data: Data, period: str = "2023-06") -> Data:
    """a: 110/100, b: 190/200, c: 330/300, d: 50/40; the zone 99/90."""
    for unit, now, last in [("a", 110, 100), ("b", 190, 200), ("c", 330, 300), ("d", 50, 40)]:
        data.pair(unit, period, float(now), float(last))
    return data.pair("zone", period, 99.0, 90.0)


def test_parent_growth_from_children_is_the_ratio_of_sums() -> None:
    city = row(bulletin("2023-06", counties(Data())), "city")
    assert city["value"] == 680.0
    assert city["value_last_year"] == 640.0
    assert city["growth"] == pytest.approx((680 / 640 - 1) * 100)  # not the mean of growths
    assert city["growth_source"] == "computed"


def test_functional_zones_are_not_summed_into_the_parent() -> None:
    city = row(bulletin("2023-06", counties(Data())), "city")
    assert city["value"] == 680.0  # 99 of the zone would double-count


def test_parents_own_observation_wins_over_childrens_sum() -> None:
    data = counties(Data()).pair("city", "2023-06", 700.0, 650.0)
    city = row(bulletin("2023-06", data), "city")
    assert city["value"] == 700.0
    assert city["growth"] == pytest.approx((700 / 650 - 1) * 100)


def test_a_child_without_last_year_leaves_the_parent_null() -> None:
    data = counties(Data())
    data.rows = [x for x in data.rows if not (x["unit"] == "d" and x["year"] == 2022)]
    city = row(bulletin("2023-06", data), "city")
    assert city["value"] == 680.0
    assert city["growth"] is None
    assert city["reasons"]["growth"] == "incomplete_children"
    assert city["reasons"]["value_last_year"] == "incomplete_children"
    a = row(bulletin("2023-06", data), "a")
    assert a["reasons"]["pull_pp"] == "incomplete_children"


def test_non_additive_indicators_are_never_summed() -> None:
    data = Data("gdp")
    for unit in "abcd":
        data.add(unit, "2023-06", growth=6.0)
    city = row(bulletin("2023-06", data, indicators=[GDP]), "city", "gdp")
    assert city["growth"] is None
    assert city["reasons"]["growth"] == "no_data"
    a = row(bulletin("2023-06", data, indicators=[GDP]), "a", "gdp")
    assert a["reasons"]["pull_pp"] == "not_additive"
    assert a["reasons"]["contribution_pct"] == "not_additive"


def test_pull_and_contribution_keep_their_signs() -> None:
    rows = bulletin("2023-06", counties(Data()))
    a, b = row(rows, "a"), row(rows, "b")
    assert a["pull_pp"] == pytest.approx(10 / 640 * 100)
    assert b["pull_pp"] == pytest.approx(-10 / 640 * 100)  # a decline pulls down
    assert a["contribution_pct"] == pytest.approx(10 / 40 * 100)
    assert b["contribution_pct"] == pytest.approx(-10 / 40 * 100)


def test_contribution_share_is_negative_when_the_parent_shrank_and_the_child_grew() -> None:
    data = Data().pair("a", "2023-06", 110.0, 100.0).pair("b", "2023-06", 150.0, 200.0)
    data.pair("c", "2023-06", 1.0, 1.0).pair("d", "2023-06", 1.0, 1.0)
    a = row(bulletin("2023-06", data), "a")
    assert a["contribution_pct"] == pytest.approx(10 / -40 * 100)


def test_contribution_is_null_only_when_the_parent_did_not_change() -> None:
    data = Data().pair("a", "2023-06", 110.0, 100.0).pair("b", "2023-06", 190.0, 200.0)
    data.pair("c", "2023-06", 1.0, 1.0).pair("d", "2023-06", 1.0, 1.0)
    a = row(bulletin("2023-06", data), "a")
    assert a["pull_pp"] == pytest.approx(10 / 302 * 100)
    assert a["contribution_pct"] is None
    assert a["reasons"]["contribution_pct"] == "zero_base"


def test_the_parent_row_has_no_pull() -> None:
    city = row(bulletin("2023-06", counties(Data())), "city")
    assert city["pull_pp"] is None
    assert city["reasons"]["pull_pp"] == "is_parent"
    assert city["reasons"]["contribution_pct"] == "is_parent"


def test_vs_parent_is_the_difference_of_the_printed_growths() -> None:
    data = Data().add("city", "2023-06", 1.0, growth=4.94).add("a", "2023-06", 1.0, growth=5.05)
    data.add("b", "2023-06", 1.0, growth=5.04).add("c", "2023-06", 1.0, growth=4.96)
    rows = bulletin("2023-06", data)
    assert row(rows, "a")["vs_parent_pp"] == 0.2  # 5.1 − 4.9, not 0.11
    assert row(rows, "b")["vs_parent_pp"] == 0.1  # 5.0 − 4.9
    assert row(rows, "c")["vs_parent_pp"] == 0.1
    assert row(rows, "d")["reasons"]["vs_parent_pp"] == "no_data"


def test_vs_parent_needs_the_parents_growth() -> None:
    data = Data().add("a", "2023-06", 1.0, growth=5.0).add("city", "2023-06", 1.0)
    a = row(bulletin("2023-06", data), "a")
    assert a["vs_parent_pp"] is None
    assert a["reasons"]["vs_parent_pp"] == "no_parent_growth"


def test_the_parent_row_is_compared_with_its_own_parent_and_peers() -> None:
    units = (*UNITS, PROVINCE, PEER_CITY)
    data = Data().add("province", "2023-06", 1.0, growth=6.0)
    data.add("city", "2023-06", 1.0, growth=7.25).add("other_city", "2023-06", 1.0, growth=8.0)
    city = row(bulletin("2023-06", data, units=units), "city")
    assert city["vs_parent_pp"] == 1.3
    assert (city["peer_group"], city["rank"], city["rank_of"]) == ("cities", 2, 2)


def test_the_parent_row_without_its_own_parent_is_unranked() -> None:
    data = Data().add("city", "2023-06", 1.0, growth=7.25)
    city = row(bulletin("2023-06", data, units=(CITY, *COUNTIES, ZONE)), "city")
    assert city["peer_group"] is None
    assert city["rank"] is None
    assert city["reasons"]["vs_parent_pp"] == "no_parent_growth"
    assert city["reasons"]["rank"] == "not_ranked"
    assert city["reasons"]["rank_change"] == "not_ranked"
