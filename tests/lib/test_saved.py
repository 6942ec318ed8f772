"""A many-to-many `add` to a row made just now (`lib/saved.add_to_new`) stores the links and
the audit entry that Django's `add` stores, without reading the links already there."""

from __future__ import annotations

from datetime import date

from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext

from baozheng.lib import saved
from baozheng.org.models import Unit
from baozheng.tasks.models import Meeting, MeetingKind
from baozheng.testing import BaozhengTestCase


class AddToNewTests(BaozhengTestCase):
    def meeting(self) -> Meeting:
        return Meeting.objects.create(
            kind=MeetingKind.SPECIAL, title="专题会", held_on=date(2023, 3, 1)
        )

    def test_the_links_and_the_entry_are_those_of_add_without_its_read(self):
        units = list(Unit.objects.filter(code__in=["411303", "411302", "411300FGW"]))
        theirs = self.meeting()
        theirs.attending_units.add(*units)
        ours = self.meeting()
        with CaptureQueriesContext(connection) as queries:
            saved.add_to_new(ours.attending_units, units)
        through = Meeting.attending_units.through
        reads = [
            q["sql"]
            for q in queries.captured_queries
            if q["sql"].startswith("SELECT") and through._meta.db_table in q["sql"]
        ]
        self.assertEqual(reads, [])

        def links(meeting):
            rows = through.objects.filter(meeting=meeting).order_by("id")
            return list(rows.values_list("unit_id", flat=True))

        self.assertEqual(links(ours), links(theirs))
        self.assertEqual(len(links(ours)), 3)

        def entry(meeting):
            found = LogEntry.objects.get_for_object(meeting).filter(action=LogEntry.Action.UPDATE)
            return found.get().changes

        self.assertEqual(entry(ours), entry(theirs))


class InTurnTests(BaozhengTestCase):
    def test_held_rows_are_created_together_in_the_order_made_and_each_audited(self):
        pending = saved.InTurn(Meeting)
        made = [
            Meeting(kind=MeetingKind.SPECIAL, title=title, held_on=date(2023, 3, 1))
            for title in ("一", "二")
        ]
        for meeting in made:
            pending.hold(meeting)
        twin = Meeting(kind=MeetingKind.SPECIAL, title="一", held_on=date(2023, 3, 1))
        self.assertTrue(pending.holds(made[0]))
        self.assertFalse(pending.holds(twin))  # held is this row, not an equal one
        self.assertFalse(Meeting.objects.exists())
        pending.write()
        self.assertEqual(
            list(Meeting.objects.order_by("pk").values_list("title", flat=True)), ["一", "二"]
        )
        self.assertLess(made[0].pk, made[1].pk)
        entries = LogEntry.objects.get_for_model(Meeting).order_by("pk")
        self.assertEqual([e.object_pk for e in entries], [str(m.pk) for m in made])
        self.assertFalse(pending.holds(made[0]))
        with CaptureQueriesContext(connection) as queries:
            pending.write()  # nothing held: nothing written
        self.assertEqual(queries.captured_queries, [])
