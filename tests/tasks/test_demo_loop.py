"""The issue's acceptance on the demo, as dispatch: the next 周研判 and 旬会商 are planned
and a missed one shows; a visit's finding is a task; an instruction and its feedback show
on the task; the month's notice names overdue lead units; an accountability record shows
on the unit's page. Loading twice adds nothing. The story holds on any anchor day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from baozheng.tasks import demo, meetings
from baozheng.tasks.demo_loop import INSTRUCTED_DAYS_AGO, VISIT_TASK_WORKDAYS, overdue_visit_day
from baozheng.tasks.models import (
    Accountability,
    Instruction,
    MeetingKind,
    MeetingSeries,
    SourceKind,
    Task,
)
from baozheng.tasks.services import today
from baozheng.testing import BaozhengTestCase
from baozheng.workcal.calendar import add_workdays


class DemoLoopTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        demo.load(lambda text: None)

    def test_the_loop_is_visible_on_the_demo(self):
        self.login(self.dispatch)
        for kind in (MeetingKind.WEEKLY_REVIEW, MeetingKind.TEN_DAY):
            planned = meetings.planned(MeetingSeries.objects.get(kind=kind))
            self.assertIsNotNone(planned)
            self.assertGreaterEqual(planned.held_on, today())
        self.assertContains(self.client.get("/"), "次例行会议未按期召开")
        self.assertTrue(Task.objects.filter(source_kind=SourceKind.VISIT).exists())
        instruction = Instruction.objects.filter(feedback__gt="").first()
        page = self.client.get(reverse("tasks-detail", args=[instruction.task_id]))
        self.assertContains(page, instruction.content)
        self.assertContains(page, instruction.feedback)
        notice = self.client.get(reverse("tasks-notice"))
        self.assertContains(notice, "存在超期未办结事项的牵头单位")
        record = Accountability.objects.get()
        unit_page = self.client.get(reverse("tasks-unit", args=[record.unit.code]))
        self.assertContains(unit_page, record.document_number)

    def test_the_pre_read_of_the_planned_meeting_lists_the_previous_decisions(self):
        self.login(self.dispatch)
        planned = meetings.planned(MeetingSeries.objects.get(kind=MeetingKind.TEN_DAY))
        page = self.client.get(reverse("tasks-meeting-preread", args=[planned.pk]))
        self.assertContains(page, "上次会议：")
        self.assertTrue(page.context["sections"][4].items)

    def test_loading_again_adds_nothing(self):
        counts = (MeetingSeries.objects.count(), Accountability.objects.count())
        demo.load(lambda text: None)
        self.assertEqual((MeetingSeries.objects.count(), Accountability.objects.count()), counts)


@pytest.mark.django_db
def test_the_visits_task_is_overdue_before_the_instruction_on_every_anchor_day():
    """2026 with its statutory holidays (国庆 and 春节 included), 2027 on weekends only."""
    for anchor in (date(2026, 1, 1) + timedelta(days=n) for n in range(730)):
        visited = overdue_visit_day(anchor)
        due = add_workdays(visited, VISIT_TASK_WORKDAYS)
        assert visited <= anchor - timedelta(days=20), anchor
        assert due < anchor - timedelta(days=INSTRUCTED_DAYS_AGO), anchor
