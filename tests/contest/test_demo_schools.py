"""The contest demo's schools are written together, a few inserts for all of them, each
recorded as saving it alone would record it (its audit entry, in the order made); a
second load changes them as update_or_create does."""

from __future__ import annotations

import random

from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext

from baozheng.contest import demo
from baozheng.contest.models import SchoolTeachers
from baozheng.org.models import Unit, UnitKind
from baozheng.testing import BaozhengTestCase


class DemoSchoolTests(BaozhengTestCase):
    def test_the_schools_are_written_together_each_recorded_in_its_turn(self):
        with CaptureQueriesContext(connection) as queries:
            schools = demo.build_schools(random.Random(2022))
        inserts = [q for q in queries.captured_queries if 'INSERT INTO "org_unit"' in q["sql"]]
        made = [s for found in schools.values() for s in found]
        centrals = Unit.objects.filter(kind=UnitKind.CENTRAL_SCHOOL, is_demo=True)
        self.assertEqual(len(made) + centrals.count(), 143)
        self.assertLessEqual(len(inserts), 40)  # 143 schools
        entries = LogEntry.objects.get_for_model(Unit).filter(action=LogEntry.Action.CREATE)
        recorded = list(entries.order_by("id").values_list("object_id", "changes"))[-143:]
        self.assertEqual([pk for pk, _ in recorded], sorted(pk for pk, _ in recorded))
        by_pk = {pk: changes for pk, changes in recorded}
        school = made[0]
        self.assertEqual(by_pk[school.pk]["path"], ["None", school.path])
        self.assertEqual(by_pk[school.pk]["parent"], ["None", str(school.parent_id)])
        self.assertTrue(school.path.startswith(school.parent.path))
        self.assertNotIn("teacher_count", by_pk[school.pk])  # as when saved alone
        self.assertEqual(SchoolTeachers.objects.filter(school__in=made).count(), len(made))

    def test_a_second_load_changes_the_stored_schools_as_update_or_create_does(self):
        schools = demo.build_schools(random.Random(2022))
        first = schools["411302"][0]
        Unit.objects.filter(pk=first.pk).update(name="旧名")
        again = demo.build_schools(random.Random(2022))
        self.assertEqual(again["411302"][0].pk, first.pk)
        first.refresh_from_db()
        self.assertNotEqual(first.name, "旧名")
        self.assertEqual(Unit.objects.filter(is_demo=True, code__startswith="411302Z").count(), 8)
