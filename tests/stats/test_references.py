"""The references checked per statement instead of by foreign-key constraints
(baozheng.lib.references), on PostgreSQL: a row naming a missing indicator, unit,
observation or import batch is refused, a deletion that would leave such rows is refused,
and an import whose unit vanishes before its write is refused in Chinese and writes
nothing. On both databases deleting through Django still cascades. (SQLite has no check:
its one writer at a time leaves no window for a deletion, see the module.)"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from baozheng.lib.progress import reporting
from baozheng.lib.tabular import CONFLICT_MESSAGE, ImportFileError
from baozheng.org.models import Unit
from baozheng.stats.imports import run_import
from baozheng.stats.models import ImportBatch, Observation, ObservationRevision, Status
from baozheng.testing import BaozhengTestCase
from tests.stats import factory

MISSING = 987_654


def postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("checked on PostgreSQL only (baozheng.lib.references)")


class ReferenceTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.retail = factory.indicators()["RETAIL"]
        cls.unit = Unit.objects.get(code="411302")

    def observation(self, **names: int) -> Observation:
        fields = dict(indicator_id=self.retail.pk, unit_id=self.unit.pk, year=2024, month=3)
        return Observation.objects.create(**{**fields, **names}, status=Status.APPROVED)

    def revision(self, observation_id: int, batch_id: int | None = None) -> None:
        ObservationRevision.objects.create(
            observation_id=observation_id,
            batch_id=batch_id,
            status=Status.APPROVED,
            value=Decimal("1"),
            created_at=timezone.now(),
        )

    def assert_refused(self, write) -> None:
        with self.assertRaises(IntegrityError), transaction.atomic():
            write()

    def test_an_observation_naming_a_missing_unit_or_indicator_is_refused(self) -> None:
        postgresql_only()
        self.assert_refused(lambda: self.observation(unit_id=MISSING))
        self.assert_refused(lambda: self.observation(indicator_id=MISSING))
        self.observation()
        self.assertEqual(Observation.objects.count(), 1)

    def test_moving_an_observation_to_a_missing_unit_is_refused(self) -> None:
        postgresql_only()
        obs = self.observation()
        self.assert_refused(lambda: Observation.objects.filter(pk=obs.pk).update(unit_id=MISSING))

    def test_a_revision_naming_a_missing_observation_or_batch_is_refused(self) -> None:
        postgresql_only()
        obs = self.observation()
        self.assert_refused(lambda: self.revision(MISSING))
        self.assert_refused(lambda: self.revision(obs.pk, batch_id=MISSING))
        self.revision(obs.pk)
        self.assertEqual(obs.revisions.count(), 1)

    def test_deleting_a_unit_that_observations_name_is_refused(self) -> None:
        postgresql_only()
        obs = self.observation()
        self.revision(obs.pk)
        for sql, pk in (
            ('DELETE FROM "org_unit" WHERE id = %s', self.unit.pk),
            ('DELETE FROM "stats_observation" WHERE id = %s', obs.pk),
        ):
            with self.subTest(sql), self.assertRaises(IntegrityError), transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(sql, [pk])
        self.assertTrue(Observation.objects.filter(pk=obs.pk, unit=self.unit).exists())

    def test_deleting_through_django_still_cascades(self) -> None:
        obs = self.observation()
        self.revision(obs.pk)
        self.retail.delete()
        self.assertFalse(Observation.objects.exists())
        self.assertFalse(ObservationRevision.objects.exists())

    def test_an_import_whose_unit_vanishes_before_the_write_is_refused_in_chinese(self) -> None:
        postgresql_only()
        unit = Unit.objects.create(
            code="411399", name="消失县", parent=self.unit.parent, kind=self.unit.kind
        )
        data = factory.csv("indicator,unit,period,value\nRETAIL,411399,2024-03,1.5\n")

        def vanish(stage: str, done: int, total: int | None) -> None:
            if stage == "checked" and Unit.objects.filter(pk=unit.pk).exists():
                with connection.cursor() as cursor:  # as a concurrent deletion would
                    cursor.execute('DELETE FROM "org_unit" WHERE id = %s', [unit.pk])

        with reporting(vanish), self.assertRaisesMessage(ImportFileError, CONFLICT_MESSAGE):
            run_import("observations", data, "data.csv", None)
        self.assertFalse(Observation.objects.exists())
        self.assertFalse(ObservationRevision.objects.exists())
        self.assertFalse(ImportBatch.objects.filter(dry_run=False, errors=0).exists())
