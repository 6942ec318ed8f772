"""`versions.deferred()` moves a data version once by the number of its bumps: the same
number as bump by bump, one UPDATE; a read in between sees every bump made so far."""

from __future__ import annotations

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from baozheng.lib import versions
from baozheng.monitor.models import DataVersion
from baozheng.projects.models import ProjectDataVersion


def number(counter) -> int:
    return counter.objects.get(pk=versions.SINGLETON).number


class DeferredBumpTests(TestCase):
    def setUp(self) -> None:
        DataVersion.bump()
        ProjectDataVersion.bump()

    def test_bumps_move_the_number_by_their_count_in_one_update(self):
        with CaptureQueriesContext(connection) as queries, versions.deferred():
            for _ in range(5):
                DataVersion.bump()
            ProjectDataVersion.bump()
            self.assertEqual(number(DataVersion), 1)  # not moved yet
        self.assertEqual(number(DataVersion), 6)
        self.assertEqual(number(ProjectDataVersion), 2)
        updates = [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
        self.assertEqual(len(updates), 2)  # one per counter, not six

    def test_a_read_in_between_sees_the_pending_bumps(self):
        with versions.deferred():
            DataVersion.bump()
            DataVersion.bump()
            self.assertTrue(DataVersion.current().startswith("3-"))
            DataVersion.bump()
        self.assertEqual(number(DataVersion), 4)

    def test_a_counter_not_yet_stored_is_created_with_the_count(self):
        ProjectDataVersion.objects.all().delete()
        with versions.deferred():
            ProjectDataVersion.bump()
            ProjectDataVersion.bump()
        self.assertEqual(number(ProjectDataVersion), 2)

    def test_nested_the_outermost_applies(self):
        with versions.deferred():
            with versions.deferred():
                DataVersion.bump()
            self.assertEqual(number(DataVersion), 1)
        self.assertEqual(number(DataVersion), 2)
