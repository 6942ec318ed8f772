"""A created row's audit entry (`org/audit_diff`) says what auditlog's own diff says, in
the same order, without reading the row's reverse one-to-one relations or building its
related managers; an update saved from the row as read under its lock records what
auditlog's own second read records."""

from __future__ import annotations

from contextlib import contextmanager
from decimal import Decimal
from unittest import mock

from auditlog import diff, receivers
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.db import connection
from django.db.models.fields.related_descriptors import ReverseManyToOneDescriptor
from django.test.utils import CaptureQueriesContext

from baozheng.contest import draw_service
from baozheng.contest.models import DrawKind
from baozheng.org import audit_diff
from baozheng.org.models import Unit, UnitKind, User
from baozheng.stats.models import Observation, Status
from baozheng.stats.targets import put_target
from baozheng.tasks import green_channel as green
from baozheng.tasks.models import Enterprise
from baozheng.tasks.models import Status as TaskStatus
from baozheng.tasks.services import add_progress, transition
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
            # JSON fields, datetimes still empty
            draw = contest.publish_draw(DrawKind.ORDER, self.contest_staff)
            draw_service.run(draw, "17", "监督员", self.contest_staff)  # an update
            self.wancheng_unit.name = "宛城区（新）"
            self.wancheng_unit.save()
        kinds = set(seen)
        for kind in ("Unit", "Task", "TaskProgress", "Target", "Observation", "User", "Draw"):
            self.assertIn(kind, kinds)
        self.assertGreater(len(seen), 30)

    def test_a_created_rows_relations_to_many_give_their_text_without_a_manager_each(self):
        Unit.objects.create(code="411302X1", name="学校一", kind=UnitKind.SCHOOL)
        made = []
        get = ReverseManyToOneDescriptor.__get__

        def counted(descriptor, instance, cls=None):
            if instance is not None:
                made.append(descriptor)
            return get(descriptor, instance, cls)

        with mock.patch.object(ReverseManyToOneDescriptor, "__get__", counted):
            unit = Unit.objects.create(code="411302X2", name="学校二", kind=UnitKind.SCHOOL)
        self.assertEqual(made, [])  # thirty relations: no manager built for the second
        changes = LogEntry.objects.get_for_object(unit).get().changes
        self.assertEqual(changes["children"], ["None", "org.Unit.None"])
        self.assertEqual(changes["targets"], ["None", "stats.Target.None"])


class UpdatedRowDiffTests(BaozhengTestCase):
    def step(self, task):
        transition(task, TaskStatus.IN_PROGRESS, self.wancheng)
        return LogEntry.objects.get_for_object(task).filter(action=LogEntry.Action.UPDATE)

    def test_a_step_compares_with_the_task_as_read_under_its_lock(self):
        task = make_task(self.dispatch, self.wancheng_unit)
        with CaptureQueriesContext(connection) as queries:
            entries = self.step(task)
        reads = [q for q in queries.captured_queries if q["sql"].startswith("SELECT")]
        self.assertEqual(len([q for q in reads if 'FROM "tasks_task"' in q["sql"]]), 1)
        # auditlog reading the row itself records the same
        other = make_task(self.dispatch, self.wancheng_unit)
        with mock.patch.object(
            receivers, "_get_manager_from_settings", audit_diff._library_manager
        ):
            theirs = self.step(other)
        self.assertEqual(entries.get().changes, theirs.get().changes)
        self.assertEqual(entries.get().changes, {"status": ["opened", "in_progress"]})

    def test_a_row_as_read_keeps_its_json_when_the_instance_changes_in_place(self):
        contest = SmallContest(head=self.contest_staff)
        draw = contest.publish_draw(DrawKind.ORDER, self.contest_staff)
        read = audit_diff.as_read(draw)
        draw.params["note"] = "改"
        with audit_diff.compared_with(read):
            draw.save()
        entry = LogEntry.objects.get_for_object(draw).filter(action=LogEntry.Action.UPDATE).get()
        self.assertEqual(entry.changes["params"], ["{}", '{"note": "\\u6539"}'])

    def test_a_leads_first_note_compares_its_percentage_with_the_step_just_written(self):
        task = make_task(self.dispatch, self.wancheng_unit)
        with CaptureQueriesContext(connection) as queries:
            add_progress(task, self.wancheng, "已对接", percent_done=30)
        reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
        self.assertEqual(len([s for s in reads if 'FROM "tasks_task"' in s]), 1)  # the step's
        updates = LogEntry.objects.get_for_object(task).filter(action=LogEntry.Action.UPDATE)
        self.assertEqual(
            [e.changes for e in updates.order_by("id")],
            [{"status": ["opened", "in_progress"]}, {"percent_done": ["0", "30"]}],
        )

    def test_an_assigned_requests_task_is_compared_with_the_assignment_just_written(self):
        enterprise = Enterprise.objects.create(
            credit_code="91411300MA44XXXXX3", name="宛城食品有限公司", county=self.wancheng_unit
        )
        req = green.receive(enterprise, category="energy", description="增容", channel="staff")
        with CaptureQueriesContext(connection) as queries:
            req = green.assign(req, self.wancheng_unit, self.dispatch)
        reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
        self.assertEqual(len([s for s in reads if 'FROM "tasks_servicerequest"' in s]), 1)
        updates = LogEntry.objects.get_for_object(req).filter(action=LogEntry.Action.UPDATE)
        self.assertEqual(
            updates.order_by("id").last().changes, {"task": ["None", str(req.task_id)]}
        )

    def test_a_request_following_its_tasks_step_is_read_once_under_its_lock(self):
        enterprise = Enterprise.objects.create(
            credit_code="91411300MA44XXXXX3", name="宛城食品有限公司", county=self.wancheng_unit
        )
        req = green.receive(enterprise, category="energy", description="增容", channel="staff")
        req = green.assign(req, self.wancheng_unit, self.dispatch)
        transition(req.task, TaskStatus.IN_PROGRESS, self.wancheng)
        with CaptureQueriesContext(connection) as queries:
            transition(req.task, TaskStatus.REPORTED, self.wancheng, note="已送电")
        reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
        self.assertEqual(len([s for s in reads if 'FROM "tasks_servicerequest"' in s]), 1)
        entry = LogEntry.objects.get_for_object(req).order_by("id").last()
        self.assertEqual(entry.changes["status"], ["assigned", "handled"])
        self.assertEqual(set(entry.changes), {"status", "handled_on"})

    def test_every_relation_to_many_of_an_audited_model_prints_as_its_manager(self):
        checked = 0
        for model in auditlog.get_models():
            row = model(pk=1)
            for field in diff.get_fields_in_model(row):
                if not (field.one_to_many or field.many_to_many):
                    continue
                text = audit_diff._manager_text(getattr(model, field.name, None))
                if text:
                    self.assertEqual(text, str(getattr(row, field.name)), f"{model} {field}")
                    checked += 1
        self.assertGreater(checked, 50)
