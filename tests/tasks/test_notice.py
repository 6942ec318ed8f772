"""The monthly supervision notice: figures by lead unit, the units named, page and Word,
scope, and the assessment reading the same figures."""

from __future__ import annotations

import io
from datetime import date

from django.urls import reverse
from django.utils import timezone
from docx import Document

from baozheng.tasks import notice
from baozheng.tasks.models import ProgressKind, Reminder, Status, Task, TaskProgress
from baozheng.testing import BaozhengTestCase
from tests.tasks.exported import EXPORT_BUTTON, sheets
from tests.tasks.factory import make_task


class NoticeTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # 宛城: one reported on time in March, one overdue at the end of March
        on_time = make_task(
            cls.dispatch, cls.wancheng_unit, title="按期事项", deadline=date(2023, 3, 20)
        )
        Task.objects.filter(pk=on_time.pk).update(
            status=Status.REPORTED, reported_on=date(2023, 3, 18)
        )
        cls.overdue = make_task(
            cls.dispatch, cls.wancheng_unit, title="宛城超期事项", deadline=date(2023, 3, 10)
        )
        Reminder.objects.create(
            task=cls.overdue,
            light="red",
            channel="email",
            recipient="a@b.cn",
            deadline=cls.overdue.deadline,
            sent_at=timezone.make_aware(timezone.datetime(2023, 3, 13, 9)),
        )
        TaskProgress.objects.create(
            task=on_time,
            kind=ProgressKind.TRANSITION,
            from_status=Status.REPORTED,
            to_status=Status.IN_PROGRESS,
            note="佐证不足，退回整改",
            created_at=timezone.make_aware(timezone.datetime(2023, 3, 15, 10)),
        )
        # 卧龙: reported late in March
        late = make_task(
            cls.dispatch, cls.wolong_unit, title="卧龙迟报事项", deadline=date(2023, 3, 5)
        )
        Task.objects.filter(pk=late.pk).update(status=Status.CLOSED, reported_on=date(2023, 3, 9))

    def test_figures_by_lead_unit_and_the_units_behind_are_named(self):
        built = notice.build(Task.objects.all(), *notice.month_span(2023, 3))
        lines = {x.code: x for x in built.lines}
        wancheng = lines[self.wancheng_unit.code]
        self.assertEqual(
            (
                wancheng.due,
                wancheng.on_time,
                wancheng.late,
                wancheng.overdue,
                wancheng.red,
                wancheng.reopened,
            ),
            (2, 1, 0, 1, 1, 1),
        )
        wolong = lines[self.wolong_unit.code]
        self.assertEqual((wolong.due, wolong.late, wolong.overdue), (1, 1, 0))
        self.assertEqual([x.code for x in built.behind], [self.wancheng_unit.code])
        self.assertIn(f"{self.wancheng_unit.display_name}（1 项）", notice.summary(built))

    def test_a_task_reported_in_april_was_still_overdue_at_the_end_of_march(self):
        Task.objects.filter(pk=self.overdue.pk).update(
            status=Status.REPORTED, reported_on=date(2023, 4, 3)
        )
        march = notice.build(Task.objects.all(), *notice.month_span(2023, 3))
        self.assertEqual(march.behind[0].overdue, 1)
        april = notice.build(Task.objects.all(), *notice.month_span(2023, 4))
        self.assertEqual(april.behind, [])
        self.assertEqual({x.code: x.late for x in april.lines}[self.wancheng_unit.code], 1)

    def test_the_assessment_reads_the_same_figures(self):
        figures = notice.unit_figures(
            [self.wancheng_unit.code, self.wolong_unit.code, "411399"],
            date(2023, 3, 1),
            date(2023, 3, 31),
        )
        self.assertEqual(figures[self.wancheng_unit.code]["overdue"], 1)
        self.assertEqual(figures[self.wolong_unit.code]["late"], 1)
        self.assertEqual(figures["411399"]["overdue"], 0)

    def test_the_assessment_source_reads_the_notice_from_january_to_the_period_end(self):
        from baozheng.assessment import sources
        from baozheng.assessment.periods import AssessmentPeriod

        found = sources.fetch(
            "task_notice",
            [self.wancheng_unit.code, self.wolong_unit.code],
            AssessmentPeriod(2023, 3, "quarter"),
            {"figure": "overdue"},
        )
        self.assertEqual(found, {self.wancheng_unit.code: 1, self.wolong_unit.code: 0})

    def test_the_page_and_word_name_the_overdue_units(self):
        self.login(self.dispatch)
        url = reverse("tasks-notice")
        page = self.client.get(url, {"month": "2023-03"})
        self.assertContains(page, "2023年3月督查通报")
        self.assertContains(page, "宛城超期事项")
        self.assertContains(page, EXPORT_BUTTON, html=True)
        response = self.client.get(url, {"month": "2023-03", "format": "docx"})
        doc = Document(io.BytesIO(response.content))
        text = "\n".join(p.text for p in doc.paragraphs)
        self.assertIn("存在超期未办结事项的牵头单位", text)
        self.assertIn(self.wancheng_unit.display_name, text)

    def test_the_notice_names_units_in_full_and_only_the_pages_table_uses_short_names(self):
        self.wancheng_unit.short_name = "宛城"
        self.wancheng_unit.save()
        self.login(self.dispatch)
        url = reverse("tasks-notice")
        page = self.client.get(url, {"month": "2023-03"})
        self.assertContains(page, "<td>宛城</td>", html=True)
        self.assertContains(page, "存在超期未办结事项的牵头单位：宛城区（1 项）")
        response = self.client.get(url, {"month": "2023-03", "format": "docx"})
        doc = Document(io.BytesIO(response.content))
        text = "\n".join(p.text for p in doc.paragraphs)
        self.assertIn("存在超期未办结事项的牵头单位：宛城区（1 项），予以通报", text)
        names = [table.rows[1].cells[0].text for table in doc.tables]
        self.assertEqual(names, ["宛城区", "宛城区"])

    def test_a_county_sees_only_its_own_lines_and_bad_months_are_refused(self):
        self.login(self.wolong)
        page = self.client.get(reverse("tasks-notice"), {"month": "2023-03"})
        self.assertNotContains(page, "宛城超期事项")
        self.assertContains(page, self.wolong_unit.display_name)
        self.assertEqual(
            self.client.get(reverse("tasks-notice"), {"month": "2023-13"}).status_code, 404
        )
        self.login(self.judge)
        self.assertEqual(self.client.get(reverse("tasks-notice")).status_code, 403)

    def test_the_notice_exports_xlsx_for_its_month_within_scope_and_not_to_a_judge(self):
        self.login(self.dispatch)
        url = reverse("tasks-notice")
        response = self.client.get(url, {"month": "2023-03", "export": "xlsx"})
        found = sheets(self, response)
        self.assertEqual(list(found), ["办理情况", "超期未办结事项"])
        table = found["办理情况"]
        self.assertEqual(table[0][0], "2023年3月督查通报")
        self.assertEqual(table[2], notice.HEADERS)
        self.assertEqual(
            table[3:5],
            [
                [self.wancheng_unit.name, 2, 1, 0, 1, 1, 1],
                [self.wolong_unit.name, 1, 0, 1, 0, 0, 0],
            ],
        )
        self.assertIn("存在超期未办结事项的牵头单位", table[5][0])
        overdue_line = f"{self.overdue.code} 宛城超期事项"
        self.assertEqual(
            found["超期未办结事项"][2:],
            [["牵头单位", "督办事项"], [self.wancheng_unit.name, overdue_line]],
        )
        self.login(self.wolong)
        response = self.client.get(url, {"month": "2023-03", "export": "xlsx"})
        found = sheets(self, response)
        self.assertEqual(list(found), ["办理情况"])
        self.assertEqual(found["办理情况"][3], [self.wolong_unit.name, 1, 0, 1, 0, 0, 0])
        self.assertIn("无超期未办结事项", found["办理情况"][4][0])
        self.login(self.judge)
        response = self.client.get(url, {"month": "2023-03", "export": "xlsx"})
        self.assertEqual(response.status_code, 403)
