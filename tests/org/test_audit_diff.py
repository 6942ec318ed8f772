"""A created row's audit entry (`org/audit_diff`) says what auditlog's own diff says, in
the same order, without reading the row's reverse one-to-one relations."""

from __future__ import annotations

from contextlib import contextmanager
from decimal import Decimal

from auditlog import receivers
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext

from baozheng.contest import draw_service
from baozheng.contest.models import DrawKind
from baozheng.org import audit_diff
from baozheng.org.models import Unit, UnitKind, User
from baozheng.stats.models import Observation, Status
from baozheng.stats.targets import put_target
from baozheng.testing import BaozhengTestCase
from tests.contest.factory import SmallContest
from tests.stats import factory
from tests.tasks.factory import make_task


@contextmanager
def compared(test: BaozhengTestCase):
    """Every diff auditlog asks for inside, computed both ways and compared."""
    seen = []

    def both(old, new, fields_to_check=None, use_json_for_changes=False):
        ours = audit_diff.model_instance_diff(old, new, fields_to_check, use_json_for_changes)
        theirs = audit_diff._library_diff(old, new, fields_to_check, use_json_for_changes)
        test.assertEqual(ours, theirs)
        test.assertEqual(list(ours or {}), list(theirs or {}))  # the stored order too
        seen.append(type(new or old).__name__)
        return ours

    connected, receivers.model_instance_diff = receivers.model_instance_diff, both
    try:
        yield seen
    finally:
        receivers.model_instance_diff = connected


class CreatedRowDiffTests(BaozhengTestCase):
    def test_a_new_units_entry_reads_none_of_its_reverse_one_to_one_relations(self):
        with CaptureQueriesContext(connection) as queries:
            unit = Unit.objects.create(
                code="411302X", name="新学校", kind=UnitKind.SCHOOL, parent=self.wancheng_unit
            )
        reads = [
            q["sql"]
            for q in queries.captured_queries
            if "contest_schoolteachers" in q["sql"] or "headline_unitboundary" in q["sql"]
        ]
        self.assertEqual(reads, [])  # its teacher count, its boundary
        entry = LogEntry.objects.get_for_object(unit).get()
        self.assertEqual(entry.changes["code"], ["None", "411302X"])
        self.assertNotIn("teacher_count", entry.changes)

    def test_created_rows_are_recorded_as_auditlog_records_them(self):
        with compared(self) as seen:
            contest = SmallContest(head=self.contest_staff)  # schools: reverse one-to-ones
            make_task(self.dispatch, self.wancheng_unit, helpers=[self.wolong_unit])
            retail = factory.indicators()["RETAIL"]  # reverse relations with related names
            put_target(
                None,
                {
                    "indicator": retail,
                    "unit": self.wancheng_unit,
                    "year": 2023,
                    "month": None,
                    "rank": False,
                },
                {"basis": "growth", "floor": Decimal("6.5")},
                "年初下达",
            )
            Observation.objects.create(  # an excluded field (updated_at)
                indicator=retail,
                unit=self.wancheng_unit,
                year=2023,
                month=5,
                status=Status.APPROVED,
                value=Decimal("12.5"),
            )
            User.objects.create_user("new-clerk", password="x-12345678", unit=self.wancheng_unit)
            candidates, params = draw_service.session_candidates(DrawKind.ORDER, contest.session)
            draw = draw_service.publish(  # JSON fields, datetimes still empty
                contest.contest,
                DrawKind.ORDER,
                "测试",
                candidates,
                params,
                self.contest_staff,
                session=contest.session,
            )
            draw_service.run(draw, "17", "监督员", self.contest_staff)  # an update
            self.wancheng_unit.name = "宛城区（新）"
            self.wancheng_unit.save()
        kinds = set(seen)
        for kind in ("Unit", "Task", "TaskProgress", "Target", "Observation", "User", "Draw"):
            self.assertIn(kind, kinds)
        self.assertGreater(len(seen), 30)
