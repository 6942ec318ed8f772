from baozheng.analysis.decomposition import check

BASE = dict(growth_only=False, additive=True, down=False, parent_last_year=None)


def test_level_targets_that_fall_short_of_the_parent_do_not_add_up():
    result = check(
        basis="level",
        parent={"floor": 100.0, "stretch": 120.0},
        children={"a": {"floor": 60.0, "stretch": 70.0}, "b": {"floor": 30.0, "stretch": 55.0}},
        last_year={},
        **BASE,
    )
    floor, stretch = result.tiers
    assert (floor.implied, floor.gap, floor.adds_up) == (90.0, -10.0, False)
    assert (stretch.implied, stretch.gap, stretch.adds_up) == (125.0, 5.0, True)


def test_growth_targets_add_up_through_last_years_values():
    # 100·1.10 + 300·1.06 = 428 over 400 → 7.0 % implied for the parent.
    result = check(
        basis="growth",
        parent={"floor": 7.0, "stretch": 8.0},
        children={"a": {"floor": 10.0, "stretch": 10.0}, "b": {"floor": 6.0, "stretch": 6.0}},
        last_year={"a": 100.0, "b": 300.0},
        **BASE,
    )
    floor, stretch = result.tiers
    assert abs(floor.implied - 7.0) < 1e-9 and floor.adds_up
    assert abs(stretch.gap + 1.0) < 1e-9 and not stretch.adds_up


def test_the_parents_own_last_year_value_is_the_base_when_stored():
    result = check(
        basis="growth",
        parent={"floor": 5.0, "stretch": 5.0},
        children={"a": {"floor": 5.0, "stretch": 5.0}},
        last_year={"a": 90.0},
        growth_only=False,
        additive=True,
        down=False,
        parent_last_year=100.0,
    )
    assert abs(result.tiers[0].implied - (94.5 / 100 - 1) * 100) < 1e-9
    assert not result.tiers[0].adds_up


def test_for_a_down_indicator_the_parts_must_not_exceed_the_whole():
    result = check(
        basis="level",
        parent={"floor": 100.0, "stretch": 90.0},
        children={"a": {"floor": 50.0, "stretch": 40.0}, "b": {"floor": 55.0, "stretch": 45.0}},
        last_year={},
        growth_only=False,
        additive=True,
        down=True,
        parent_last_year=None,
    )
    assert [t.adds_up for t in result.tiers] == [False, True]


def test_growth_only_indicators_cannot_be_checked_and_that_is_not_an_error():
    result = check(
        basis="growth",
        parent={"floor": 8.0, "stretch": 9.0},
        children={"a": {"floor": 9.0, "stretch": 9.0}},
        last_year={},
        growth_only=True,
        additive=False,
        down=False,
        parent_last_year=None,
    )
    assert not result.checkable and "无法核对" in result.reason


def test_children_without_targets_are_named():
    result = check(
        basis="level",
        parent={"floor": 1.0, "stretch": 2.0},
        children={"a": {"floor": 1.0, "stretch": 1.0}, "b": None},
        last_year={},
        **BASE,
    )
    assert not result.checkable and result.missing == ("b",)


def test_a_childs_level_target_counts_as_its_full_year_level_under_a_growth_parent():
    # City +12 % on 1000 → 1120; a: level 460, b: +10 % on 600 → 660; 1120 implied → +12 %.
    result = check(
        basis="growth",
        parent={"floor": 12.0, "stretch": 13.0},
        children={
            "a": {"floor": 460.0, "stretch": 470.0, "basis": "level"},
            "b": {"floor": 10.0, "stretch": 10.0},
        },
        last_year={"a": 400.0, "b": 600.0},
        **BASE,
    )
    floor, stretch = result.tiers
    assert abs(floor.implied - 12.0) < 1e-9 and floor.adds_up
    assert abs(stretch.implied - 13.0) < 1e-9 and stretch.adds_up


def test_a_childs_growth_target_counts_as_a_level_under_a_level_parent():
    result = check(
        basis="level",
        parent={"floor": 500.0, "stretch": 600.0},
        children={
            "a": {"floor": 10.0, "stretch": 20.0, "basis": "growth"},
            "b": {"floor": 280.0, "stretch": 300.0},
        },
        last_year={"a": 200.0},
        **BASE,
    )
    assert [t.implied for t in result.tiers] == [500.0, 540.0]
    assert [t.adds_up for t in result.tiers] == [True, False]
