"""Two dispatch staff scheduling a series' next meeting at the same moment, on two
PostgreSQL connections: one planned meeting, found by both."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import TransactionTestCase

from baozheng.org import demo
from baozheng.tasks import meetings
from baozheng.tasks.models import Meeting, MeetingKind, MeetingSeries
from baozheng.tasks.services import today
from tests.interleave import held_open


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need two connections")
class ScheduleAtOnceTests(TransactionTestCase):
    def test_the_next_meeting_scheduled_twice_at_once_is_planned_once(self):
        demo.create_units()
        dispatch = demo.create_users(password="test-password-123")["dispatch"]
        series = MeetingSeries.objects.create(
            kind=MeetingKind.TEN_DAY,
            title="全市经济运行旬会商",
            chair="常务副市长",
            started_on=today() - timedelta(days=60),
        )

        def schedule():
            return meetings.schedule_next(series, today(), dispatch).pk

        first, second = held_open(schedule, schedule)
        self.assertEqual(first, second)  # was: two planned meetings
        self.assertEqual(Meeting.objects.filter(series=series).count(), 1)
