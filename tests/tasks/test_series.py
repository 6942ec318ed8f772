"""Meeting series: the next meeting is scheduled, attendance recorded, a missed one shown."""

from datetime import date, datetime, time, timedelta

from django.urls import reverse

from baozheng.tasks import meetings
from baozheng.tasks.models import Attendance, Meeting, MeetingKind, MeetingSeries, MeetingState
from baozheng.tasks.services import today
from baozheng.testing import BaozhengTestCase
from tests.tasks.exported import EXPORT_BUTTON, cell_with, sheets


class SeriesTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.series = MeetingSeries.objects.create(
            kind=MeetingKind.TEN_DAY,
            title="全市经济运行旬会商",
            chair="常务副市长",
            started_on=today() - timedelta(days=60),
        )
        cls.series.standing_units.add(cls.wancheng_unit, cls.wolong_unit)

    def test_scheduling_plans_the_next_meeting_with_the_standing_attendees(self):
        self.login(self.dispatch)
        response = self.client.post(reverse("tasks-series-schedule", args=[self.series.pk]))
        meeting = Meeting.objects.get(series=self.series)
        self.assertRedirects(response, reverse("tasks-meeting", args=[meeting.pk]))
        self.assertEqual(meeting.state, MeetingState.PLANNED)
        self.assertEqual(meeting.held_on, meetings.next_date(self.series, today()))
        self.assertRegex(meeting.title, r"^\d{4}年\d{1,2}月[上中下]旬会商$")
        self.assertEqual(set(meeting.attending_units.all()), {self.wancheng_unit, self.wolong_unit})
        # a second click does not plan a second meeting
        self.client.post(reverse("tasks-series-schedule", args=[self.series.pk]))
        self.assertEqual(Meeting.objects.filter(series=self.series).count(), 1)

    def test_periods_without_a_held_meeting_show_as_missed_on_the_home_page(self):
        self.login(self.dispatch)
        missed = meetings.missed_meetings(today())
        self.assertGreaterEqual(len(missed), 4)  # 60 days is at least four whole 旬
        response = self.client.get("/")
        self.assertContains(response, f"有 {len(missed)} 次例行会议未按期召开")
        page = self.client.get(reverse("tasks-series"))
        self.assertContains(page, missed[0].span.label)
        self.assertContains(page, EXPORT_BUTTON, html=True)

    def test_a_held_meeting_removes_its_xun_from_the_missed_list(self):
        before = meetings.missed_meetings(today())
        span = before[0].span
        Meeting.objects.create(
            series=self.series,
            kind=MeetingKind.TEN_DAY,
            title="会商",
            held_on=span.start,
            chair="常务副市长",
        )
        after = meetings.missed_meetings(today())
        self.assertEqual(len(after), len(before) - 1)
        self.assertNotIn(span, [m.span for m in after])

    def _planned_today(self) -> Meeting:
        meeting = Meeting.objects.create(
            series=self.series,
            state=MeetingState.PLANNED,
            kind=MeetingKind.TEN_DAY,
            title="本旬会商",
            held_on=today(),
            chair="常务副市长",
        )
        meeting.attending_units.add(self.wancheng_unit, self.wolong_unit)
        return meeting

    def test_attendance_is_recorded_and_the_next_meeting_planned(self):
        meeting = self._planned_today()
        self.login(self.dispatch)
        response = self.client.post(
            reverse("tasks-meeting-attendance", args=[meeting.pk]),
            {
                f"presence_{self.wancheng_unit.pk}": "present",
                f"attendee_{self.wancheng_unit.pk}": "张区长",
                f"presence_{self.wolong_unit.pk}": "excused",
                f"reason_{self.wolong_unit.pk}": "参加省里会议",
                "minutes": "研究了一季度开门红工作",
            },
        )
        self.assertRedirects(response, reverse("tasks-meeting", args=[meeting.pk]))
        meeting.refresh_from_db()
        self.assertEqual(meeting.state, MeetingState.HELD)
        self.assertEqual(meeting.minutes, "研究了一季度开门红工作")
        excused = Attendance.objects.get(meeting=meeting, unit=self.wolong_unit)
        self.assertEqual((excused.presence, excused.reason), ("excused", "参加省里会议"))
        following = meetings.planned(self.series)
        self.assertGreater(following.held_on, today())
        page = self.client.get(reverse("tasks-meeting", args=[meeting.pk]))
        self.assertContains(page, "参加省里会议")

    def test_an_excused_absence_without_a_reason_is_refused_and_changes_nothing(self):
        meeting = self._planned_today()
        self.login(self.dispatch)
        response = self.client.post(
            reverse("tasks-meeting-attendance", args=[meeting.pk]),
            {f"presence_{self.wolong_unit.pk}": "excused"},
            follow=True,
        )
        self.assertContains(response, "请假须填写请假事由", status_code=400)
        meeting.refresh_from_db()
        self.assertEqual(meeting.state, MeetingState.PLANNED)
        self.assertFalse(Attendance.objects.exists())

    def test_an_attendee_or_reason_over_its_column_is_refused_and_records_nothing(self):
        meeting = self._planned_today()
        wancheng, wolong = self.wancheng_unit.pk, self.wolong_unit.pk
        with self.assertRaisesMessage(
            meetings.LifecycleError, "卧龙区：请假事由超过 200 字（201 字）"
        ):
            meetings.record_held(
                meeting,
                [meetings.AttendanceLine(wolong, "excused", reason="假" * 201)],
                "",
                today(),
                self.dispatch,
            )
        self.login(self.dispatch)
        url = reverse("tasks-meeting-attendance", args=[meeting.pk])
        page = self.client.get(reverse("tasks-meeting", args=[meeting.pk]))
        self.assertContains(page, 'maxlength="60"')
        self.assertContains(page, 'maxlength="200"')
        data = {
            f"presence_{wancheng}": "present",
            f"attendee_{wancheng}": "张" * 61,
            f"presence_{wolong}": "excused",
            f"reason_{wolong}": "假" * 200,
        }
        response = self.client.post(url, data, follow=True)
        self.assertContains(
            response, "宛城区：参会人超过 60 字（61 字），请删减后重新提交", status_code=400
        )
        meeting.refresh_from_db()
        self.assertEqual(meeting.state, MeetingState.PLANNED)
        self.assertFalse(Attendance.objects.exists())
        self.client.post(url, data | {f"attendee_{wancheng}": "张" * 60})
        meeting.refresh_from_db()
        self.assertEqual(meeting.state, MeetingState.HELD)
        kept = {a.unit_id: (a.attendee, a.reason) for a in meeting.attendance.all()}
        self.assertEqual(kept, {wancheng: ("张" * 60, ""), wolong: ("", "假" * 200)})

    def test_a_refused_attendance_comes_back_with_everything_typed(self):
        meeting = self._planned_today()
        wancheng, wolong = self.wancheng_unit.pk, self.wolong_unit.pk
        self.login(self.dispatch)
        response = self.client.post(
            reverse("tasks-meeting-attendance", args=[meeting.pk]),
            {
                f"presence_{wancheng}": "present",
                f"attendee_{wancheng}": "王副区长",
                f"presence_{wolong}": "excused",  # no reason: refused
                "minutes": "会议研究了一季度开门红工作",
            },
        )
        self.assertContains(response, "请假须填写请假事由", status_code=400)
        self.assertContains(response, 'value="王副区长"', status_code=400)
        self.assertContains(response, "会议研究了一季度开门红工作</textarea>", status_code=400)
        self.assertContains(response, '<option value="excused" selected>', status_code=400)
        self.assertFalse(Attendance.objects.exists())

    def test_a_future_meeting_cannot_be_marked_held(self):
        meeting = self._planned_today()
        meeting.held_on = today() + timedelta(days=3)
        meeting.save()
        self.login(self.dispatch)
        self.client.post(reverse("tasks-meeting-attendance", args=[meeting.pk]), {})
        meeting.refresh_from_db()
        self.assertEqual(meeting.state, MeetingState.PLANNED)

    def test_only_dispatch_schedules_records_attendance_or_sees_the_series(self):
        meeting = self._planned_today()
        for user in (self.wancheng, self.leader, self.judge):
            self.login(user)
            self.assertEqual(self.client.get(reverse("tasks-series")).status_code, 403)
            self.assertEqual(
                self.client.post(
                    reverse("tasks-series-schedule", args=[self.series.pk])
                ).status_code,
                403,
            )
            self.assertEqual(
                self.client.post(
                    reverse("tasks-meeting-attendance", args=[meeting.pk]),
                    {f"presence_{self.wancheng_unit.pk}": "present"},
                ).status_code,
                403,
            )
        self.client.logout()
        self.assertEqual(self.client.get(reverse("tasks-series")).status_code, 302)
        meeting.refresh_from_db()
        self.assertEqual(meeting.state, MeetingState.PLANNED)

    def test_the_schedule_exports_xlsx_to_dispatch_only(self):
        MeetingSeries.objects.create(
            kind=MeetingKind.WEEKLY_REVIEW,
            title="@经济运行周研判",  # inert in the file
            chair="副市长",
            started_on=today() - timedelta(days=60),
            active=False,
        )
        planned = self._planned_today()
        self.login(self.dispatch)
        response = self.client.get(reverse("tasks-series"), {"export": "xlsx"})
        rows = sheets(self, response)["例行会议排期"]
        self.assertEqual(
            rows[2],
            [
                "会议名称",
                "类型",
                "主持人",
                "固定参会单位",
                "起始日期",
                "状态",
                "上次召开",
                "下次会议",
                "排期",
                "未按期召开",
            ],
        )
        missed = [m.span.label for m in meetings.missed_meetings(today())]
        started = datetime.combine(self.series.started_on, time())
        self.assertEqual(
            rows[3:],
            [
                [
                    "全市经济运行旬会商",
                    "旬会商",
                    "常务副市长",
                    f"{self.wancheng_unit.name}、{self.wolong_unit.name}",
                    started,
                    "按期召开",
                    None,
                    datetime.combine(planned.held_on, time()),
                    "已排期",
                    "、".join(missed),
                ],
                [
                    "@经济运行周研判",
                    "周研判",
                    "副市长",
                    None,  # no standing units
                    started,
                    "已停用",
                    None,
                    None,  # a stopped series has no next meeting
                    None,
                    None,
                ],
            ],
        )
        self.assertTrue(cell_with(response, "@经济运行周研判").quotePrefix)
        for user in (self.wancheng, self.leader):
            self.login(user)
            response = self.client.get(reverse("tasks-series"), {"export": "xlsx"})
            self.assertEqual(response.status_code, 403)

    def test_a_meeting_registered_for_a_future_day_is_planned_and_a_past_one_held(self):
        self.login(self.dispatch)
        for days, state in ((3, MeetingState.PLANNED), (-3, MeetingState.HELD)):
            self.client.post(
                reverse("tasks-meeting-new"),
                {
                    "kind": "special",
                    "title": f"专题会{days}",
                    "held_on": (today() + timedelta(days=days)).isoformat(),
                    "chair": "市长",
                },
            )
            self.assertEqual(Meeting.objects.get(title=f"专题会{days}").state, state)

    def test_a_new_series_is_created_by_dispatch(self):
        self.login(self.dispatch)
        response = self.client.post(
            reverse("tasks-series-new"),
            {
                "kind": "weekly_review",
                "title": "周研判",
                "chair": "市长",
                "standing_units": [self.wancheng_unit.pk],
                "started_on": date(2023, 3, 1).isoformat(),
                "active": "on",
            },
        )
        self.assertRedirects(response, reverse("tasks-series"))
        self.assertTrue(MeetingSeries.objects.filter(title="周研判").exists())


class UnitPickerTests(BaozhengTestCase):
    def test_meeting_and_task_pickers_leave_out_the_contests_schools(self):
        from baozheng.org.models import Unit, UnitKind
        from baozheng.tasks.forms import MeetingForm, SeriesForm, TaskForm

        school = Unit.objects.create(
            code="411302X01",
            name="宛城区第一小学",
            kind=UnitKind.SCHOOL,
            parent=self.wancheng_unit,
        )
        for form in (
            MeetingForm(user=self.dispatch),
            SeriesForm(user=self.dispatch),
        ):
            units = form.fields[
                "attending_units" if "attending_units" in form.fields else "standing_units"
            ].queryset
            self.assertIn(self.wancheng_unit, units)
            self.assertNotIn(school, units)
        self.assertNotIn(school, TaskForm(user=self.dispatch).fields["lead_unit"].queryset)
