"""The first-feedback on-time rate (首次反馈及时率): the department's first answer within
3 working days of receipt, counted across the 2023 National Day holiday."""

import io
from datetime import date, datetime, time

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from baozheng.org.models import Unit
from baozheng.tasks import green_channel as green
from baozheng.tasks.figures import figures_by
from baozheng.tasks.models import Channel, Enterprise, ServiceRequest, Status, TaskProgress
from baozheng.tasks.services import add_progress, transition
from baozheng.testing import BaozhengTestCase

# Wednesday before the holiday of 29 September – 6 October 2023; 7 and 8 October (a
# weekend) were make-up working days, so the third working day is Sunday 8 October.
RECEIVED = date(2023, 9, 27)
AS_OF = date(2023, 10, 20)


def at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


class FirstFeedbackTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.power = Unit.objects.get(code="411300GDG")
        enterprise = Enterprise.objects.create(
            credit_code="91411300MA44XXXXX3", name="宛城食品有限公司", county=cls.wancheng_unit
        )

        def assigned(received_on: date = RECEIVED) -> ServiceRequest:
            req = green.receive(
                enterprise,
                category="energy",
                description="申请电力增容",
                channel=Channel.STAFF,
                received_on=received_on,
            )
            return green.assign(req, cls.power, cls.dispatch, on=received_on)

        def noted(req: ServiceRequest, day: date) -> ServiceRequest:
            note = add_progress(req.task, cls.dispatch, "已现场查看")
            TaskProgress.objects.filter(pk=note.pk).update(created_at=at(day))
            return req

        cls.on_make_up_day = noted(assigned(), date(2023, 10, 7))
        cls.after_the_limit = noted(assigned(), date(2023, 10, 9))
        cls.never_answered = assigned()
        cls.not_yet_due = assigned(date(2023, 10, 18))
        cls.reported_directly = assigned()
        transition(cls.reported_directly.task, Status.IN_PROGRESS, cls.dispatch)
        transition(cls.reported_directly.task, Status.REPORTED, cls.dispatch, note="已增容送电")
        TaskProgress.objects.filter(task=cls.reported_directly.task).update(
            created_at=at(date(2023, 10, 8))
        )

    def test_the_first_feedback_limit_skips_the_holiday_and_counts_make_up_days(self):
        self.assertEqual(green.deadlines(self.on_make_up_day)["first_feedback"], date(2023, 10, 8))

    def test_an_answer_on_a_make_up_working_day_is_in_time_and_one_after_the_holiday_is_late(self):
        self.assertEqual(green.first_feedback_on(self.on_make_up_day), date(2023, 10, 7))
        self.assertTrue(green.first_feedback_in_time(self.on_make_up_day, date(2023, 10, 7), AS_OF))
        self.assertFalse(
            green.first_feedback_in_time(self.after_the_limit, date(2023, 10, 9), AS_OF)
        )

    def test_a_report_without_a_progress_note_counts_as_the_first_feedback(self):
        self.assertEqual(green.first_feedback_on(self.reported_directly), date(2023, 10, 8))

    def test_an_unanswered_request_is_late_once_its_limit_passed_and_uncounted_before(self):
        self.assertFalse(green.first_feedback_in_time(self.never_answered, None, AS_OF))
        self.assertIsNone(green.first_feedback_in_time(self.not_yet_due, None, AS_OF))
        self.assertIsNone(
            green.first_feedback_in_time(self.never_answered, None, date(2023, 10, 8))
        )

    def test_the_figures_count_two_in_time_of_four_due(self):
        power, total = figures_by(ServiceRequest.objects.all(), "department", on=AS_OF)
        self.assertEqual((power.name, power.total), ("供电公司", 5))
        self.assertEqual((power.feedback_in_time, power.feedback_late), (2, 2))
        self.assertEqual(power.first_feedback_rate, 50.0)
        self.assertEqual(total.first_feedback_rate, 50.0)

    def test_a_department_without_due_requests_shows_no_rate(self):
        rows = figures_by(
            ServiceRequest.objects.filter(pk=self.not_yet_due.pk), "department", on=AS_OF
        )
        self.assertIsNone(rows[0].first_feedback_rate)

    def test_the_figures_page_and_export_show_the_first_feedback_rate(self):
        self.login(self.dispatch)
        page = self.client.get(reverse("tasks-figures"))
        self.assertContains(page, "首次反馈及时率")
        self.assertContains(page, "3 个工作日内首次反馈")
        export = self.client.get(reverse("tasks-figures"), {"export": "xlsx"})
        sheet = load_workbook(io.BytesIO(export.content)).active
        self.assertIn("首次反馈及时率（%）", {c.value for row in sheet.iter_rows() for c in row})

    def test_the_figures_page_is_refused_to_a_judge(self):
        self.login(self.judge)
        self.assertEqual(self.client.get(reverse("tasks-figures")).status_code, 403)
