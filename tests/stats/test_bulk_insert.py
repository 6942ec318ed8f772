"""Unsaved instances through the bulk insert read back as `bulk_create` would store them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from baozheng.jobs.models import Job
from baozheng.lib import bulk
from baozheng.stats.models import Observation, ObservationRevision, Status
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

    def test_values_of_another_type_are_still_converted(self) -> None:
        retail = factory.indicators()["RETAIL"]
        bulk.insert_objects(
            Observation,
            [
                Observation(
                    indicator_id=str(retail.pk),
                    unit=self.wancheng_unit,
                    year="2023",
                    month=5,
                    status=Status.APPROVED,
                    value=12,
                    growth=-1.5,
                )
            ],
        )
        stored = Observation.objects.get()
        self.assertEqual((stored.indicator_id, stored.year), (retail.pk, 2023))
        self.assertEqual((stored.value, stored.growth), (Decimal("12"), Decimal("-1.5")))

    def test_moments_shared_by_rows_are_stored_for_each(self) -> None:
        retail = factory.indicators()["RETAIL"]
        observation = Observation.objects.create(
            indicator=retail, unit=self.wancheng_unit, year=2023, month=5
        )
        shanghai, utc = ZoneInfo("Asia/Shanghai"), ZoneInfo("UTC")
        moments = [
            datetime(2023, 6, 3, 10, 0, tzinfo=shanghai),
            datetime(2023, 6, 3, 10, 0, tzinfo=shanghai),
            datetime(2023, 6, 3, 2, 0, tzinfo=utc),  # the same instant in another zone
            datetime(2023, 7, 3, 10, 0, tzinfo=shanghai),
        ]
        bulk.insert_objects(
            ObservationRevision,
            [
                ObservationRevision(observation=observation, status=Status.SUBMITTED, created_at=m)
                for m in moments
            ],
        )
        stored = ObservationRevision.objects.order_by("id").values_list("created_at", flat=True)
        self.assertEqual(list(stored), moments)


class InsertRowsTests(BaozhengTestCase):
    def test_rows_of_values_are_stored_as_the_same_instances_would_be(self) -> None:
        retail = factory.indicators()["RETAIL"]
        common = {"indicator": retail, "unit": self.wancheng_unit, "year": 2023}
        bulk.insert_objects(
            Observation,
            [
                Observation(**common, month=5, status=Status.APPROVED, value=Decimal("1.5")),
                Observation(**common, month=6, pending_growth=Decimal("-2.25"), note="核实"),
            ],
        )
        bulk.insert_rows(
            Observation,
            ("indicator_id", "unit", "year", "month", "status", "value", "pending_growth", "note"),
            [
                (
                    retail.pk,
                    self.wancheng_unit.pk,
                    2024,
                    5,
                    Status.APPROVED,
                    Decimal("1.5"),
                    None,
                    "",
                ),
                (retail.pk, self.wancheng_unit.pk, 2024, 6, Status.DRAFT, None, -2.25, "核实"),
            ],
        )
        fields = [f.attname for f in Observation._meta.concrete_fields]
        stored = list(Observation.objects.order_by("year", "month").values(*fields))
        self.assertTrue(all(o.pop("updated_at") is not None for o in stored))  # auto_now
        by_year = {
            year: [
                {k: v for k, v in o.items() if k not in ("id", "year")}
                for o in stored
                if o["year"] == year
            ]
            for year in (2023, 2024)
        }
        self.assertEqual(len(by_year[2024]), 2)
        self.assertEqual(by_year[2024], by_year[2023])

    def test_a_field_with_a_callable_default_must_be_given(self) -> None:
        with self.assertRaises(ValueError):
            bulk.insert_rows(Job, ("kind",), [("x",)])

    def test_a_column_of_ready_values_is_passed_as_it_is(self) -> None:
        value = bulk._column_preparer(Observation._meta.get_field("value"))
        ready = (Decimal("1.5"), None, Decimal("-2"))
        self.assertIs(value(ready), ready)  # checked by type in one sweep, no call each
        self.assertEqual(list(value((Decimal("1.5"), 7))), [Decimal("1.5"), Decimal("7")])
        retail = factory.indicators()["RETAIL"]
        fields = ("indicator", "unit", "year", "month", "status", "value")
        bulk.insert_rows(
            Observation,
            fields,
            [
                (retail.pk, self.wancheng_unit.pk, 2024, m, Status.APPROVED, v)
                for m, v in ((1, 7), (2, Decimal("1.5")))
            ],
        )
        stored = Observation.objects.order_by("month").values_list("value", flat=True)
        self.assertEqual(list(stored), [Decimal("7"), Decimal("1.5")])

    def test_rows_of_another_length_are_refused(self) -> None:
        with self.assertRaises(ValueError):
            bulk.insert_rows(Observation, ("indicator", "unit"), [(1, 2), (1, 2, 3)])
