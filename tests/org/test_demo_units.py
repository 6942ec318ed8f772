"""The demo's units on a new database are created without the read update_or_create makes
first for each; a second load finds them stored and writes nothing, and a unit stored
otherwise is changed back as update_or_create changes it."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from baozheng.org import demo
from baozheng.org.models import Unit


class DemoUnitTests(TestCase):
    def test_new_units_are_made_without_a_read_each_and_a_second_load_changes_nothing(self):
        with CaptureQueriesContext(connection) as queries:
            city = demo.create_units()
        by_code = [q["sql"] for q in queries.captured_queries if '"org_unit"."code" = ' in q["sql"]]
        self.assertEqual(by_code, [])
        units = 1 + len(demo.HENAN_CITIES) + len(demo.COUNTIES) + len(demo.ZONES)
        units += len(demo.DEPARTMENTS)
        self.assertEqual(Unit.objects.count(), units)
        self.assertTrue(city.is_home)
        self.assertEqual(city.code, demo.CITY)
        entries = LogEntry.objects.count()
        with CaptureQueriesContext(connection) as queries:
            again = demo.create_units()
        self.assertEqual(again.pk, city.pk)
        self.assertEqual(Unit.objects.count(), units)
        self.assertEqual(LogEntry.objects.count(), entries)  # nothing changed, nothing recorded
        writes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
        self.assertEqual(writes, [])  # not even the same values again

    def test_a_unit_stored_otherwise_is_changed_back(self):
        demo.create_units()
        Unit.objects.filter(code="411302").update(name="宛城")
        demo.create_units()
        wancheng = Unit.objects.get(code="411302")
        self.assertEqual(wancheng.name, "宛城区")
        entry = LogEntry.objects.get_for_object(wancheng).filter(action=LogEntry.Action.UPDATE)
        self.assertEqual(entry.get().changes["name"], ["宛城", "宛城区"])
