"""What a task step costs in queries: the lead unit comes with the locked row (no second
read per step), a new task's helpers are added without reading the none it has, and an
enterprise request following its task's step is read with its enterprise and department."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from baozheng.org.models import Unit
from baozheng.tasks import green_channel as green
from baozheng.tasks.models import Channel, Enterprise, RequestStatus, Status, Task
from baozheng.tasks.services import transition
from baozheng.testing import BaozhengTestCase
from tests.tasks.factory import make_task


def unit_reads(queries) -> int:
    return sum('FROM "org_unit"' in q["sql"] and "JOIN" not in q["sql"] for q in queries)


class TaskServiceQueryTests(BaozhengTestCase):
    def test_a_step_reads_the_lead_unit_with_the_task(self):
        task = make_task(self.dispatch, self.wancheng_unit)
        fresh = Task.objects.get(pk=task.pk)  # as a page hands it over: no unit loaded
        with CaptureQueriesContext(connection) as queries:
            transition(fresh, Status.IN_PROGRESS, self.wancheng)
        self.assertEqual(unit_reads(queries.captured_queries), 0)
        task.refresh_from_db()
        self.assertEqual(task.status, Status.IN_PROGRESS)

    def test_a_new_tasks_helpers_are_added_without_reading_its_helpers(self):
        helper = Unit.objects.get(code="411303")
        with CaptureQueriesContext(connection) as queries:
            task = make_task(self.dispatch, self.wancheng_unit, helpers=[helper])
        reads = [
            q["sql"]
            for q in queries.captured_queries
            if q["sql"].startswith("SELECT") and "tasks_task_helpers" in q["sql"]
        ]
        self.assertEqual(reads, [])  # not even add's check for rows already there
        self.assertEqual(list(task.helpers.all()), [helper])

    def test_a_request_following_its_tasks_step_is_read_with_its_enterprise_and_department(self):
        enterprise = Enterprise.objects.create(
            credit_code="91411300MA44XXXXX3", name="宛城食品有限公司", county=self.wancheng_unit
        )
        req = green.receive(
            enterprise, category="energy", description="申请电力增容", channel=Channel.STAFF
        )
        req = green.assign(req, Unit.objects.get(code="411300GDG"), self.dispatch)
        transition(req.task, Status.IN_PROGRESS, self.dispatch)
        with CaptureQueriesContext(connection) as queries:
            transition(req.task, Status.REPORTED, self.dispatch, note="已送电")
        enterprises = [q for q in queries.captured_queries if 'FROM "tasks_enterprise"' in q["sql"]]
        self.assertEqual((len(enterprises), unit_reads(queries.captured_queries)), (0, 0))
        req.refresh_from_db()
        self.assertEqual(req.status, RequestStatus.HANDLED)
