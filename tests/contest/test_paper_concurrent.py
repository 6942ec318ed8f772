"""Two staff keying the same paper sheet at the same moment, on two PostgreSQL connections:
the second entry is still compared with the first, so agreeing entries make the sheet count."""

import pytest
from django.db import connection
from django.test import TransactionTestCase

from baozheng.contest import paper
from baozheng.contest.models import PaperEntry, ScoreSheet
from baozheng.org import demo
from tests.contest.factory import SmallContest
from tests.contest.test_integrity import second_staff
from tests.interleave import held_open


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need two connections")
class PaperEntriesAtOnceTests(TransactionTestCase):
    def test_the_second_of_two_simultaneous_entries_is_compared_with_the_first(self):
        demo.create_units()
        staff = demo.create_users(password="test-password-123")["contest"]
        c = SmallContest(head=staff)
        clerk = second_staff(c.contest.unit)
        raw = {f"item-{c.goal.pk}": "8.5", f"item-{c.process.pk}": "4"}

        def enter(user):
            return lambda: paper.enter(c.session, c.judges[0], c.contestants[0], raw, user)

        first, second = held_open(enter(staff), enter(clerk))
        self.assertFalse(first.stored)
        self.assertTrue(second.stored, second)
        self.assertEqual(PaperEntry.objects.count(), 2)
        self.assertEqual(str(ScoreSheet.objects.get().total()), "12.5")
