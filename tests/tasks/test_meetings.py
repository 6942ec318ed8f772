"""Meetings: a decision becomes a tracked task in one step; the pre-read gathers sections."""

from datetime import date, timedelta

from django.urls import reverse

from baozheng.tasks import preread
from baozheng.tasks.models import Meeting, MeetingKind, SourceKind, Task
from baozheng.tasks.services import today
from baozheng.testing import BaozhengTestCase
from tests.tasks.factory import make_task


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
        self.assertEqual(self.decide().status_code, 403)
        self.login(self.wolong)
        self.assertEqual(
            self.client.get(reverse("tasks-meeting", args=[self.meeting.pk])).status_code, 404
        )

    def test_the_pre_read_lists_overdue_tasks_and_takes_sections_from_other_apps(self):
        make_task(
            self.dispatch,
            self.wancheng_unit,
            title="超期事项",
            opened_on=date(2023, 3, 1),
            deadline=today() - timedelta(days=5),
        )

        def lagging_projects(user, on):
            return preread.PreReadSection(
                "滞后项目", [preread.PreReadItem("光电产业园", "投资完成率 35%", "red")], 20
            )

        preread.register(lagging_projects)
        try:
            self.login(self.dispatch)
            response = self.client.get(reverse("tasks-meeting", args=[self.meeting.pk]))
            self.assertContains(response, "超期督办事项（红灯）")
            self.assertContains(response, "超期事项")
            self.assertContains(response, "光电产业园")
            titles = [s.title for s in preread.build(self.dispatch, today())]
            self.assertEqual(titles[0], "滞后项目")
        finally:
            preread._sections.remove(lagging_projects)

    def test_the_meeting_list_exports_xlsx(self):
        self.login(self.leader)
        response = self.client.get(reverse("tasks-meetings"), {"export": "xlsx"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response["Content-Disposition"])
