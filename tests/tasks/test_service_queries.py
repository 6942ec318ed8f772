"""What a task step costs in queries: the lead unit comes with the locked row (no second
read per step), and a new task's helpers are added without reading the none it has."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from baozheng.org.models import Unit
from baozheng.tasks.models import Status, Task
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
        self.assertEqual(len(reads), 1, reads)  # add's check for rows already there
        self.assertEqual(list(task.helpers.all()), [helper])
