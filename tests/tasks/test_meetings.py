"""Meetings: a decision becomes a tracked task in one step."""

from django.urls import reverse

from baozheng.tasks.models import Meeting, MeetingKind, SourceKind, Task
from baozheng.tasks.services import today
from baozheng.testing import BaozhengTestCase
from tests.tasks.exported import sheets


class MeetingTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.meeting = Meeting.objects.create(
            kind=MeetingKind.TEN_DAY,
            title="2月上旬会商",
            held_on=today(),
            chair="市调度办主任",
            created_by=cls.dispatch,
        )
        cls.meeting.attending_units.add(cls.wancheng_unit)

    def decide(self, **changes):
        data = {
            "title": "加快项目开工",
            "lead_unit": self.wancheng_unit.pk,
            "deadline_workdays": "10",
            "priority": "normal",
        }
        data.update(changes)
        return self.client.post(reverse("tasks-meeting-decide", args=[self.meeting.pk]), data)

    def test_a_decision_becomes_a_tracked_task_in_one_step(self):
        self.login(self.dispatch)
        response = self.decide()
        self.assertRedirects(response, reverse("tasks-meeting", args=[self.meeting.pk]))
        task = Task.objects.get()
        self.assertEqual((task.source_kind, task.source_id), (SourceKind.MEETING, self.meeting.pk))
        self.assertEqual(task.source_label, str(self.meeting))
        self.assertContains(
            self.client.get(reverse("tasks-meeting", args=[self.meeting.pk])), "加快项目开工"
        )

    def test_a_decision_without_a_deadline_is_refused(self):
        self.login(self.dispatch)
        response = self.decide(deadline_workdays="")
        self.assertContains(response, "请填写办结时限", status_code=400)
        self.assertFalse(Task.objects.exists())

    def test_a_county_may_read_its_meeting_but_not_decide(self):
        self.login(self.wancheng)
        self.assertEqual(
            self.client.get(reverse("tasks-meeting", args=[self.meeting.pk])).status_code, 200
        )
        before = Task.objects.count()
        self.assertEqual(self.decide().status_code, 403)
        self.assertEqual(Task.objects.count(), before)  # no decision was recorded
        self.login(self.wolong)
        self.assertEqual(
            self.client.get(reverse("tasks-meeting", args=[self.meeting.pk])).status_code, 403
        )

    def test_the_meeting_list_exports_xlsx(self):
        self.login(self.leader)
        response = self.client.get(reverse("tasks-meetings"), {"export": "xlsx"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response["Content-Disposition"])
        (rows,) = sheets(self, response).values()  # with the day it was exported
        self.assertIn(self.meeting.title, [row[2] for row in rows])
