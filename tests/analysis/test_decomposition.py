from baozheng.analysis.decomposition import check

BASE = dict(growth_only=False, additive=True, down=False, parent_last_year=None)


def test_level_targets_that_fall_short_of_the_parent_do_not_add_up():
    result = check(basis="level", parent={"floor": 100.0, "stretch": 120.0},
                   children={"a": {"floor": 60.0, "stretch": 70.0}, "b": {"floor": 30.0, "stretch": 55.0}},
                   last_year={}, **BASE)
    floor, stretch = result.tiers
    assert (floor.implied, floor.gap, floor.adds_up) == (90.0, -10.0, False)
    assert (stretch.implied, stretch.gap, stretch.adds_up) == (125.0, 5.0, True)


def test_growth_targets_add_up_through_last_years_values():
    # 100·1.10 + 300·1.06 = 428 over 400 → 7.0 % implied for the parent.
    result = check(basis="growth", parent={"floor": 7.0, "stretch": 8.0},
                   children={"a": {"floor": 10.0, "stretch": 10.0}, "b": {"floor": 6.0, "stretch": 6.0}},
                   last_year={"a": 100.0, "b": 300.0}, **BASE)
    floor, stretch = result.tiers
    assert abs(floor.implied - 7.0) < 1e-9 and floor.adds_up
    assert abs(stretch.gap + 1.0) < 1e-9 and not stretch.adds_up


def test_the_parents_own_last_year_value_is_the_base_when_stored():
    result = check(basis="growth", parent={"floor": 5.0, "stretch": 5.0},
                   children={"a": {"floor": 5.0, "stretch": 5.0}}, last_year={"a": 90.0},
                   growth_only=False, additive=True, down=False, parent_last_year=100.0)
    assert abs(result.tiers[0].implied - (94.5 / 100 - 1) * 100) < 1e-9
    assert not result.tiers[0].adds_up


def test_for_a_down_indicator_the_parts_must_not_exceed_the_whole():
    result = check(basis="level", parent={"floor": 100.0, "stretch": 90.0},
                   children={"a": {"floor": 50.0, "stretch": 40.0}, "b": {"floor": 55.0, "stretch": 45.0}},
                   last_year={}, growth_only=False, additive=True, down=True, parent_last_year=None)
    assert [t.adds_up for t in result.tiers] == [False, True]


def test_growth_only_indicators_cannot_be_checked_and_that_is_not_an_error():
    result = check(basis="growth", parent={"floor": 8.0, "stretch": 9.0}, children={"a": {"floor": 9.0, "stretch": 9.0}},
                   last_year={}, growth_only=True, additive=False, down=False, parent_last_year=None)
    assert not result.checkable and "无法核对" in result.reason


def test_children_without_targets_are_named():
    result = check(basis="level", parent={"floor": 1.0, "stretch": 2.0},
                   children={"a": {"floor": 1.0, "stretch": 1.0}, "b": None}, last_year={}, **BASE)
    assert not result.checkable and result.missing == ("b",)
