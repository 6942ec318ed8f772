"""`put_target` writes a revision only when the target changes, dated when the change was
decided (`at`) or now (docs/rules.md §3.10 "History"); `put_targets` does the same for
many, reading the stored targets once and writing the revisions in one insert, and the
new targets in one insert until a stored one changes, each audited in its turn."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from baozheng.stats.models import Target, TargetRevision
from baozheng.stats.targets import put_target, put_targets
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


class PutTargetsTests(BaozhengTestCase):
    def test_changes_apply_in_turn_with_one_read_and_one_revision_insert(self) -> None:
        retail = factory.indicators()["RETAIL"]
        wolong = self.wancheng_unit.parent.children.get(code="411303")
        key = {"indicator": retail, "year": 2023, "month": None, "rank": False}
        growth = {"basis": "growth", "floor": Decimal("6"), "stretch": Decimal("7")}
        put_target(None, {**key, "unit": wolong}, growth, "年初下达", at=SET_ON)
        with CaptureQueriesContext(connection) as queries:
            done = put_targets(
                None,
                [
                    ({**key, "unit": self.wancheng_unit}, growth, "年初下达", SET_ON),
                    ({**key, "unit": wolong}, growth, "再次下达", None),  # unchanged
                    (
                        {**key, "unit": self.wancheng_unit},
                        {"floor": Decimal("5")},
                        "年中调整",
                        None,
                    ),
                ],
            )
        self.assertEqual([changed for _, changed in done], [True, False, True])
        self.assertEqual(done[0][0].pk, done[2][0].pk)
        wancheng = done[2][0]
        wancheng.refresh_from_db()
        self.assertEqual((wancheng.floor, wancheng.stretch), (Decimal("5"), Decimal("7")))
        reasons = TargetRevision.objects.filter(target=wancheng).order_by("id")
        self.assertEqual([r.reason for r in reasons], ["年初下达", "年中调整"])
        self.assertEqual(TargetRevision.objects.filter(unit=wolong).count(), 1)
        sql = [q["sql"] for q in queries.captured_queries]
        reads = [  # auditlog reads a changed target's old row by its id: not counted
            s
            for s in sql
            if s.startswith('SELECT "stats_target"') and '"stats_target"."id" =' not in s
        ]
        self.assertEqual(len(reads), 1)
        self.assertEqual(sum('INSERT INTO "stats_targetrevision"' in s for s in sql), 1)

    def test_new_targets_go_in_one_insert_saved_in_turn_with_a_stored_ones_change(self) -> None:
        retail = factory.indicators()["RETAIL"]
        units = list(self.wancheng_unit.parent.children.order_by("code")[:4])
        key = {"indicator": retail, "year": 2023, "month": None, "rank": False}
        growth = {"basis": "growth", "floor": Decimal("6")}
        stored, _ = put_target(None, {**key, "unit": units[0]}, growth, "年初下达", at=SET_ON)
        with CaptureQueriesContext(connection) as queries:
            done = put_targets(
                None,
                [
                    ({**key, "unit": units[1]}, growth, "年初下达", SET_ON),
                    ({**key, "unit": units[2]}, growth, "年初下达", SET_ON),
                    ({**key, "unit": units[0]}, {"floor": Decimal("5")}, "年中调整", None),
                    ({**key, "unit": units[3]}, growth, "年初下达", SET_ON),
                    ({**key, "unit": units[3]}, {"floor": Decimal("4")}, "年中调整", None),
                ],
            )
        inserts = [
            q["sql"] for q in queries.captured_queries if 'INSERT INTO "stats_target"' in q["sql"]
        ]
        self.assertEqual(len(inserts), 2)  # units 1 and 2 together, then unit 3
        # Each saved as `save()` saves it: an entry each, in the order of the changes.
        entries = LogEntry.objects.get_for_model(Target).order_by("id")
        self.assertEqual(
            [(e.object_id, e.action) for e in entries],
            [
                (stored.pk, LogEntry.Action.CREATE),
                (done[0][0].pk, LogEntry.Action.CREATE),
                (done[1][0].pk, LogEntry.Action.CREATE),
                (stored.pk, LogEntry.Action.UPDATE),
                (done[3][0].pk, LogEntry.Action.CREATE),
                (done[3][0].pk, LogEntry.Action.UPDATE),
            ],
        )
        self.assertEqual(entries.last().changes["floor"], ["6.0000", "4"])
        self.assertEqual(
            sorted([done[0][0].pk, done[1][0].pk, done[3][0].pk]),
            [d[0].pk for d in (done[0], done[1], done[3])],
        )
        revision = TargetRevision.objects.filter(target=done[3][0]).order_by("id").first()
        self.assertEqual(revision.floor, Decimal("6"))
