"""Test classes that `test_testing_worlds.py` runs in a pytest of their own, in this order
(`--as-written`): what each sees tells whether the committed test worlds switch when, and
only when, a class needs another world (`baozheng.testing_worlds`)."""

from __future__ import annotations

from django.test import TestCase, TransactionTestCase

from baozheng import testing_worlds
from baozheng.org.models import Unit, UnitKind, User
from baozheng.testing import BaozhengTestCase
from baozheng.testing_worlds import shared_world

SEEN: dict[str, object] = {}
BASE = testing_worlds.world_of(BaozhengTestCase)


def users() -> list[tuple[int, str]]:
    return list(User.objects.order_by("pk").values_list("pk", "username"))


def units() -> list[tuple[int, str]]:
    return list(Unit.objects.order_by("pk").values_list("pk", "code"))


class OnTheWorld(BaozhengTestCase):
    def test_it_stands_on_the_committed_personas(self) -> None:
        SEEN["users"], SEEN["units"] = users(), units()
        self.assertTrue(SEEN["users"])
        self.assertEqual(testing_worlds.committed(), BASE)
        self.assertEqual([world for world, _ in testing_worlds.switches()], [BASE])
        User.objects.all().delete()  # rolled back with the test


class AgainOnTheWorld(BaozhengTestCase):
    def test_it_sees_the_same_rows_and_nothing_was_copied(self) -> None:
        self.assertEqual(users(), SEEN["users"])
        self.assertEqual(len(testing_worlds.switches()), 1)
        self.assertEqual(self.wancheng.pk, User.objects.get(username="wancheng").pk)


class WithAnExtraUnit(BaozhengTestCase):
    extra: Unit

    @classmethod
    @shared_world
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.extra = Unit.objects.create(code="999999", name="额外单位", kind=UnitKind.DEPARTMENT)

    def test_a_world_built_on_another_has_both(self) -> None:
        self.assertEqual(users(), SEEN["users"])
        self.assertEqual(Unit.objects.get(code="999999").pk, self.extra.pk)


class PlainAfterAWorld(TestCase):
    def test_it_sees_no_world(self) -> None:
        self.assertEqual((Unit.objects.count(), User.objects.count()), (0, 0))
        self.assertIsNone(testing_worlds.committed())


def test_a_function_on_the_database_sees_no_world(db) -> None:
    assert (Unit.objects.count(), User.objects.count()) == (0, 0)


class BackOnTheWorld(BaozhengTestCase):
    def test_the_world_comes_back_with_its_keys_and_new_rows_get_fresh_ones(self) -> None:
        self.assertEqual((users(), units()), (SEEN["users"], SEEN["units"]))
        fresh = Unit.objects.create(code="999998", name="新单位", kind=UnitKind.DEPARTMENT)
        self.assertGreater(fresh.pk, max(pk for pk, _ in units() if pk != fresh.pk))


class FlushingAfterAWorld(TransactionTestCase):
    def test_it_runs_on_no_world_and_commits(self) -> None:
        self.assertEqual(User.objects.count(), 0)
        Unit.objects.create(code="888888", name="提交的单位", kind=UnitKind.DEPARTMENT)


class AfterAFlush(BaozhengTestCase):
    def test_the_world_is_back_and_the_flushed_rows_are_gone(self) -> None:
        self.assertEqual((users(), units()), (SEEN["users"], SEEN["units"]))
        extra = testing_worlds.world_of(WithAnExtraUnit)
        self.assertEqual(
            [world for world, _ in testing_worlds.switches()], [BASE, extra, None, BASE, None, BASE]
        )
