"""A shared test world copied back gives the same rows and keys, drops anything added since,
and leaves new rows their own keys (PostgreSQL sequences are set past the copied rows)."""

from __future__ import annotations

from baozheng.org.models import Unit, UnitKind, User
from baozheng.testing import BaozhengTestCase


class SharedWorldTests(BaozhengTestCase):
    def test_a_restored_world_is_the_built_one_and_new_rows_get_fresh_keys(self) -> None:
        units = list(Unit.objects.order_by("pk").values_list("pk", "code", "path"))
        users = list(User.objects.order_by("pk").values_list("pk", "username", "unit_id"))
        Unit.objects.create(code="999999", name="临时单位", kind=UnitKind.DEPARTMENT)

        class Later:
            pass

        BaozhengTestCase.setUpTestData.__func__(Later)  # built before: copied back
        self.assertEqual(list(Unit.objects.order_by("pk").values_list("pk", "code", "path")), units)
        self.assertEqual(
            list(User.objects.order_by("pk").values_list("pk", "username", "unit_id")), users
        )
        self.assertEqual(Later.wancheng.pk, self.wancheng.pk)
        fresh = Unit.objects.create(code="999998", name="新单位", kind=UnitKind.DEPARTMENT)
        self.assertGreater(fresh.pk, max(pk for pk, _, _ in units))
