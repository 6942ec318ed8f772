"""位次 within peer groups: printed figures, shared ranks, direction, rank change."""

from __future__ import annotations

from baozheng.analysis.model import Target, Unit
from tests.analysis.helpers import (
    CITY,
    ENERGY,
    FIRMS,
    GROUPS,
    PROVINCE,
    ZONE,
    Data,
    bulletin,
    row,
)


def growths(
    values: dict[str, float | None], period: str = "2023-06", indicator: str = "retail"
) -> Data:
    data = Data(indicator)
    for unit, growth in values.items():
        if growth is not None:
            data.add(unit, period, 100.0, growth=growth)
    return data


def test_ties_on_printed_figures_share_the_best_rank() -> None:
    rows = bulletin("2023-06", growths({"a": 6.0, "b": 5.04, "c": 4.96, "d": 3.0}))
    assert [row(rows, u)["rank"] for u in "abcd"] == [1, 2, 2, 4]
    assert {row(rows, u)["rank_of"] for u in "abcd"} == {4}


def test_down_indicators_rank_the_lowest_first() -> None:
    data = growths({"a": -6.0, "b": -5.04, "c": -4.96, "d": -3.0}, indicator="energy")
    rows = bulletin("2023-06", data, indicators=[ENERGY])
    assert [row(rows, u, "energy")["rank"] for u in "abcd"] == [1, 2, 2, 4]


def test_a_unit_without_figure_is_not_ranked_and_listed_last() -> None:
    rows = bulletin("2023-06", growths({"a": 1.0, "b": None, "c": 3.0, "d": 2.0}))
    b = row(rows, "b")
    assert b["rank"] is None
    assert b["reasons"]["rank"] == "not_ranked"
    assert b["rank_of"] == 3
    assert [x["unit"] for x in rows if x["peer_group"] == "county"] == ["c", "d", "a", "b"]


def test_rank_change_is_recomputed_for_the_previous_release() -> None:
    data = growths({"a": 1.0, "b": 2.0, "c": 3.0, "d": 4.0}, "2023-05")
    for unit, growth in {"a": 4.0, "b": 3.0, "c": 2.0, "d": 1.0}.items():
        data.add(unit, "2023-06", 100.0, growth=growth)
    rows = bulletin("2023-06", data)
    assert [row(rows, u)["rank_change"] for u in "abcd"] == [3, 1, -1, -3]


def test_rank_change_needs_the_previous_release() -> None:
    rows = bulletin("2023-02", growths({"a": 1.0, "b": 2.0}, "2023-02"))
    assert row(rows, "a")["reasons"]["rank_change"] == "no_previous_release"
    data = growths({"a": 1.0, "b": 2.0}).add("b", "2023-05", 1.0, growth=1.0)
    rows = bulletin("2023-06", data)
    assert row(rows, "a")["reasons"]["rank_change"] == "no_previous_release"
    assert row(rows, "b")["rank_change"] == 0


def test_rows_are_ordered_parent_group_rank_unit() -> None:
    data = growths({"a": 1.0, "b": 3.0, "c": 3.0, "d": None, "zone": 2.0})
    rows = bulletin("2023-06", data)
    assert [(x["unit"], x["peer_group"], x["rank"]) for x in rows] == [
        ("city", None, None),
        ("b", "county", 1),
        ("c", "county", 1),
        ("a", "county", 3),
        ("d", "county", None),
        ("zone", "zones", 1),
    ]


def test_a_child_in_two_groups_appears_once_per_group() -> None:
    units = (CITY, Unit("a", "city", ("county", "zones")), Unit("b", "city", ("county",)), ZONE)
    rows = bulletin("2023-06", growths({"a": 5.0, "b": 6.0, "zone": 4.0}), units=units)
    a_rows = [x for x in rows if x["unit"] == "a"]
    assert [(x["peer_group"], x["rank"], x["rank_of"]) for x in a_rows] == [
        ("county", 2, 2),
        ("zones", 1, 2),
    ]


def test_children_outside_any_group_are_not_listed() -> None:
    units = (CITY, Unit("a", "city", ("county",)), Unit("loose", "city"))
    rows = bulletin("2023-06", growths({"a": 5.0, "loose": 6.0}), units=units, groups=GROUPS)
    assert [x["unit"] for x in rows] == ["city", "a"]


def test_count_indicators_with_level_targets_rank_by_completion() -> None:
    data = Data("firms").pair("a", "2023-06", 40.0, 10.0).pair("b", "2023-06", 30.0, 29.0)
    targets = [
        Target("firms", "a", 2023, "level", 100, 120),
        Target("firms", "b", 2023, "level", 50, 60),
    ]
    rows = bulletin("2023-06", data, indicators=[FIRMS], targets=targets)
    a, b = row(rows, "a", "firms"), row(rows, "b", "firms")
    assert a["growth"] > b["growth"]
    assert (a["rank"], b["rank"]) == (2, 1)  # 40 % against 60 % completion
    assert row(rows, "c", "firms")["reasons"]["rank"] == "not_ranked"


def test_the_parent_comes_first_however_low_it_ranks_among_more_peers_than_it_has_children() -> (
    None
):
    """Its rank among its own peers (here 7th of 7) orders nothing: the parent row leads."""
    peers = [Unit(f"peer{n}", "province", ("cities",)) for n in range(6)]
    units = (CITY, Unit("a", "city", ("county",)), Unit("b", "city", ("county",)), *peers, PROVINCE)
    data = growths(
        {"city": 1.0, "a": 2.0, "b": 3.0, **{p.code: 5.0 + n for n, p in enumerate(peers)}}
    )
    rows = bulletin("2023-06", data, units=units)
    assert [x["unit"] for x in rows] == ["city", "b", "a"]
    assert (rows[0]["rank"], rows[0]["rank_of"]) == (7, 7)


def _pairwise_ranks(metric, down):
    """The former quadratic kernel: one more than the number of members strictly ahead."""
    import numpy as np

    key = np.where(down[:, None], -metric, metric)
    ahead = (key[:, None, :] > key[:, :, None]).sum(axis=2)
    ranked = ~np.isnan(key)
    return np.where(ranked, ahead + 1, 0), ranked.sum(axis=1)


def test_sorted_ranks_equal_the_pairwise_count_on_generated_groups() -> None:
    import numpy as np

    from baozheng.analysis.ranking import ranks

    generator = np.random.default_rng(20)
    for members in (1, 2, 13, 150, 500):
        # Few distinct printed figures so that ties are common, some units without a figure.
        metric = np.round(generator.normal(5, 2, (7, members)), 0)
        metric[generator.random(metric.shape) < 0.2] = np.nan
        down = generator.random(7) < 0.5
        got, count = ranks(metric, down)
        want, want_count = _pairwise_ranks(metric, down)
        assert np.array_equal(got, want), members
        assert np.array_equal(count, want_count)


def test_sorted_ranks_of_an_empty_group() -> None:
    import numpy as np

    from baozheng.analysis.ranking import ranks

    rank, count = ranks(np.empty((3, 0)), np.zeros(3, bool))
    assert rank.shape == (3, 0) and list(count) == [0, 0, 0]


def test_a_shared_rank_is_flagged_as_tied_and_a_sole_rank_is_not() -> None:
    rows = bulletin("2023-06", growths({"a": 6.0, "b": 5.04, "c": 4.96, "d": None, "zone": 2.0}))
    assert [row(rows, u)["rank_tied"] for u in "abc"] == [False, True, True]
    assert row(rows, "d")["rank_tied"] is None
    assert row(rows, "d")["reasons"]["rank_tied"] == "not_ranked"
    assert row(rows, "zone")["rank_tied"] is False  # alone in its group


def test_the_parent_is_tied_when_a_peer_of_its_own_shares_its_rank() -> None:
    peers = [Unit("peer0", "province", ("cities",)), Unit("peer1", "province", ("cities",))]
    units = (CITY, Unit("a", "city", ("county",)), *peers, PROVINCE)
    rows = bulletin(
        "2023-06", growths({"city": 3.0, "a": 2.0, "peer0": 3.0, "peer1": 9.0}), units=units
    )
    assert (rows[0]["rank"], rows[0]["rank_tied"]) == (2, True)


def test_tied_marks_equal_ranks_per_row_and_never_the_unranked() -> None:
    import numpy as np

    from baozheng.analysis.ranking import tied

    rank = np.array([[1, 2, 2, 4, 0, 0], [1, 1, 1, 0, 5, 6]])
    assert tied(rank).tolist() == [
        [False, True, True, False, False, False],
        [True, True, True, False, False, False],
    ]
    assert tied(np.empty((2, 0), np.int64)).shape == (2, 0)
