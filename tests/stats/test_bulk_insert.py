"""Unsaved instances through the bulk insert read back as `bulk_create` would store them."""

from __future__ import annotations

from decimal import Decimal

from baozheng.stats.imports import bulk
from baozheng.stats.models import Observation, Status
from baozheng.testing import BaozhengTestCase
from tests.stats import factory


class InsertObjectsTests(BaozhengTestCase):
    def test_fields_are_prepared_and_auto_dates_set(self) -> None:
        retail = factory.indicators()["RETAIL"]
        bulk.insert_objects(
            Observation,
            [
                Observation(
                    indicator=retail,
                    unit=self.wancheng_unit,
                    year=2023,
                    month=month,
                    status=Status.APPROVED,
                    value=Decimal("12.3456"),
                    growth=Decimal("-1.5"),
                    has_approved=True,
                )
                for month in (5, 6)
            ],
        )
        stored = list(Observation.objects.order_by("month"))
        self.assertEqual([o.month for o in stored], [5, 6])
        self.assertEqual(
            {(o.value, o.growth) for o in stored}, {(Decimal("12.3456"), Decimal("-1.5"))}
        )
        self.assertTrue(all(o.updated_at is not None and o.has_approved for o in stored))
        self.assertEqual({o.unit_id for o in stored}, {self.wancheng_unit.pk})
