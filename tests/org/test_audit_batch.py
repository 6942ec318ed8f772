"""Audit entries held by `audit_units.batched()` are the entries of saving one by one
(same rows in the same order, same units), written in two inserts at the end."""

from __future__ import annotations

from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from baozheng.org.audit_units import batched
from baozheng.org.models import AuditUnit, Unit, UnitKind, User


def make_units() -> None:
    city = Unit.objects.create(code="C1", name="市", kind=UnitKind.CITY)
    for n in range(3):
        Unit.objects.create(code=f"C1{n}", name=f"县{n}", kind=UnitKind.COUNTY, parent=city)
    city.name = "本市"
    city.save()


def entries() -> list[tuple]:
    """The entries in the order of their ids, ids left out (PostgreSQL does not hand a
    rolled-back id out again): what they say, and the ids of the units they record as
    offsets from the first unit's."""
    rows = list(LogEntry.objects.order_by("pk").values_list("object_repr", "action", "changes"))
    first = Unit.objects.order_by("pk").values_list("pk", flat=True).first() or 0
    return [(text, action, _offset(changes, first)) for text, action, changes in rows]


def _offset(changes: dict, first: int) -> dict:
    return {
        field: [
            str(int(v) - first) if field in ("id", "parent") and v != "None" else v for v in pair
        ]
        for field, pair in changes.items()
    }


def units() -> list[tuple]:
    """Each unit row as (its entry's place among the entries, path), in the order of ids."""
    places = {
        pk: n for n, pk in enumerate(LogEntry.objects.order_by("pk").values_list("pk", flat=True))
    }
    return [
        (places[e], path)
        for e, path in AuditUnit.objects.order_by("pk").values_list("entry_id", "path")
    ]


class AuditBatchTests(TestCase):
    def one_by_one(self) -> tuple[list, list]:
        """The entries and units of `make_units` saved one by one, then rolled back."""
        sid = connection.savepoint()
        make_units()
        found = (entries(), units())
        connection.savepoint_rollback(sid)
        return found

    def test_batched_entries_and_units_equal_those_saved_one_by_one(self):
        expected_entries, expected_units = self.one_by_one()
        with batched():
            make_units()
            self.assertFalse(LogEntry.objects.exists())  # held until the end
        self.assertEqual(len(expected_entries), 5)
        self.assertEqual(entries(), expected_entries)
        self.assertEqual(units(), expected_units)

    def test_batched_writes_take_two_inserts_for_all_entries(self):
        with CaptureQueriesContext(connection) as single:
            sid = connection.savepoint()
            make_units()
            connection.savepoint_rollback(sid)
        with CaptureQueriesContext(connection) as held, batched():
            make_units()

        def inserts(queries) -> int:
            return sum(
                q["sql"].startswith(('INSERT INTO "auditlog_logentry"', "INSERT OR IGNORE"))
                or 'INSERT INTO "org_auditunit"' in q["sql"]
                for q in queries
            )

        self.assertEqual(inserts(single.captured_queries), 10)  # an entry and its units, each
        self.assertEqual(inserts(held.captured_queries), 2)

    def test_an_error_inside_writes_no_entry(self):
        with self.assertRaises(RuntimeError), batched():
            make_units()
            raise RuntimeError
        self.assertFalse(LogEntry.objects.exists())
        self.assertFalse(Unit.objects.exists())

    def test_entries_with_an_actor_from_a_request_are_written_at_once(self):
        actor = User.objects.create(username="someone")
        with batched(), set_actor(actor):
            Unit.objects.create(code="C9", name="市", kind=UnitKind.CITY)
            entry = LogEntry.objects.get(object_repr="市")
        self.assertEqual(entry.actor, actor)
