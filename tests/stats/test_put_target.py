"""`put_target` writes a revision only when the target changes, dated when the change was
decided (`at`) or now (docs/rules.md §3.10 "History")."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from baozheng.stats.models import TargetRevision
from baozheng.stats.targets import put_target
from baozheng.testing import BaozhengTestCase
from tests.stats import factory

SET_ON = datetime(2023, 2, 10, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


class PutTargetTests(BaozhengTestCase):
    def setUp(self) -> None:
        retail = factory.indicators()["RETAIL"]
        self.key = {"indicator": retail, "unit": self.wancheng_unit, "year": 2023, "month": None}
        self.values = {"basis": "growth", "floor": Decimal("6"), "stretch": Decimal("7")}

    def put(self, values: dict, reason: str, at: datetime | None = None):
        return put_target(None, {**self.key, "rank": False}, values, reason, at=at)

    def test_the_revision_is_dated_when_the_target_was_set(self) -> None:
        target, changed = self.put(self.values, "年初下达", at=SET_ON)
        self.assertTrue(changed)
        self.assertEqual(target.revisions.get().created_at, SET_ON)

    def test_without_a_date_the_revision_is_dated_now(self) -> None:
        before = timezone.now()
        target, _ = self.put(self.values, "年初下达")
        self.assertGreaterEqual(target.revisions.get().created_at, before)

    def test_an_unchanged_target_writes_no_revision(self) -> None:
        self.put(self.values, "年初下达", at=SET_ON)
        target, changed = self.put(self.values, "再次下达")
        self.assertFalse(changed)
        self.assertEqual(TargetRevision.objects.filter(target=target).count(), 1)
