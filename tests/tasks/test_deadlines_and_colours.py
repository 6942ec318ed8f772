from datetime import date

from baozheng.tasks.models import Status
from baozheng.tasks.services import add_progress, colour, open_task, time_progress, transition
from baozheng.testing import BaozhengTestCase
from tests.tasks.factory import make_task


class DeadlineTests(BaozhengTestCase):
    def open(self, opened_on: date, workdays: int):
        return open_task(
            source_kind="manual",
            title="春节后复工复产调度",
            lead_unit=self.wancheng_unit,
            deadline_workdays=workdays,
            opened_on=opened_on,
            created_by=self.dispatch,
        )

    def test_three_working_days_skip_spring_festival_and_count_the_weekend_make_up_days(self):
        # 2023 春节: 1月21日–27日 holiday; Saturday 28th and Sunday 29th are working days.
        task = self.open(date(2023, 1, 20), 3)
        self.assertEqual(task.deadline, date(2023, 1, 30))

    def test_one_working_day_before_national_day_lands_on_the_saturday_make_up_day(self):
        # 2023 中秋国庆: 9月29日–10月6日 holiday; Saturday 7 October is a working day.
        task = self.open(date(2023, 9, 28), 1)
        self.assertEqual(task.deadline, date(2023, 10, 7))


class ColourTests(BaozhengTestCase):
    def test_a_task_on_schedule_is_green(self):
        task = make_task(
            self.dispatch,
            self.wancheng_unit,
            opened_on=date(2023, 3, 1),
            deadline=date(2023, 3, 31),
        )
        self.assertEqual(colour(task, date(2023, 3, 1)), "green")

    def test_a_task_behind_its_time_progress_is_yellow(self):
        task = make_task(
            self.dispatch,
            self.wancheng_unit,
            opened_on=date(2023, 3, 1),
            deadline=date(2023, 3, 31),
        )
        add_progress(task, self.wancheng, "已启动", percent_done=20)
        task.refresh_from_db()
        self.assertAlmostEqual(time_progress(task, date(2023, 3, 15)), 100 * 10 / 22)
        self.assertEqual(colour(task, date(2023, 3, 8)), "green")
        self.assertEqual(colour(task, date(2023, 3, 15)), "yellow")

    def test_a_task_within_three_working_days_of_its_deadline_is_blue_across_the_holiday(self):
        task = make_task(
            self.dispatch,
            self.wancheng_unit,
            opened_on=date(2023, 1, 3),
            deadline=date(2023, 1, 30),
        )
        add_progress(task, self.wancheng, "基本完成", percent_done=95)
        task.refresh_from_db()
        # From 20 January the working days left are 28, 29 and 30 January: three.
        self.assertEqual(colour(task, date(2023, 1, 20)), "blue")
        self.assertEqual(colour(task, date(2023, 1, 19)), "green")

    def test_an_overdue_task_is_red_and_a_closed_one_has_no_light(self):
        task = make_task(
            self.dispatch,
            self.wancheng_unit,
            opened_on=date(2023, 3, 1),
            deadline=date(2023, 3, 31),
        )
        self.assertEqual(colour(task, date(2023, 4, 3)), "red")
        task.status = Status.CLOSED
        self.assertEqual(colour(task, date(2023, 4, 3)), "")

    def test_a_task_reported_in_time_stays_green_while_it_waits_for_verification(self):
        task = make_task(
            self.dispatch,
            self.wancheng_unit,
            opened_on=date(2023, 3, 1),
            deadline=date(2023, 3, 31),
        )
        transition(task, Status.IN_PROGRESS, self.wancheng)
        task = transition(task, Status.REPORTED, self.wancheng, note="已办结")
        task.reported_on = date(2023, 3, 30)
        self.assertEqual(colour(task, date(2023, 4, 10)), "green")
        task.reported_on = date(2023, 4, 3)
        self.assertEqual(colour(task, date(2023, 4, 10)), "red")
