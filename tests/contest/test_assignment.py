"""Automatic panels respect conflicts of interest; manual overrides are recorded."""

from django.urls import reverse

from baozheng.contest import assignment
from baozheng.contest.models import Judge, JudgeGroup, PanelSeat
from baozheng.testing import BaozhengTestCase
from tests.contest.factory import SmallContest


class AssignmentTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.c = SmallContest(head=cls.contest_staff)
        u = cls.c.units
        cls.same_school = Judge.objects.create(
            contest=cls.c.contest,
            name="同校",
            group=JudgeGroup.FRONTLINE,
            unit=u["WA"],
            subjects="语文",
        )
        cls.same_county = Judge.objects.create(
            contest=cls.c.contest,
            name="同县",
            group=JudgeGroup.FRONTLINE,
            unit=cls.wancheng_unit,
            subjects="语文",
        )
        PanelSeat.objects.all().delete()

    def test_the_system_never_seats_a_recused_judge(self):
        created, shortfalls = assignment.auto_assign(self.c.contest)
        seated = set(PanelSeat.objects.values_list("judge__name", flat=True))
        self.assertEqual(created, 7)
        self.assertNotIn("同校", seated)
        self.assertNotIn("同县", seated)
        self.assertEqual(shortfalls, [f"场次 {self.c.session.pk}：教研员评委需要 3 人，可用 2 人"])

    def test_county_recusal_can_be_switched_off_per_contest(self):
        self.c.contest.recuse_same_county = False
        self.c.contest.panel_frontline = 7
        self.c.contest.save()
        assignment.auto_assign(self.c.contest)
        seated = set(PanelSeat.objects.values_list("judge__name", flat=True))
        self.assertIn("同县", seated)
        self.assertNotIn("同校", seated)

    def test_a_manual_override_needs_a_reason_and_records_who(self):
        with self.assertRaisesMessage(assignment.AssignmentError, "理由"):
            assignment.override(self.c.session, self.same_school, True, " ", self.contest_staff)
        warning = assignment.override(
            self.c.session, self.same_school, True, "学科评委不足，经组委会同意", self.contest_staff
        )
        self.assertEqual(warning, "同校回避")
        seat = PanelSeat.objects.get(judge=self.same_school)
        self.assertEqual(
            (seat.source, seat.changed_by, seat.active), ("manual", self.contest_staff, True)
        )

    def test_an_override_reason_over_its_column_seats_nobody(self):
        judge = self.c.frontline[0]
        with self.assertRaisesMessage(assignment.AssignmentError, "调整理由超过 200 字（201 字）"):
            assignment.override(self.c.session, judge, True, "调" * 201, self.contest_staff)
        self.login(self.contest_staff)
        url = reverse("contest-panel-override", args=[self.c.session.pk])
        data = {"judge": judge.pk, "action": "add", "reason": "调" * 201}
        response = self.client.post(url, data, follow=True)
        self.assertContains(response, "调整理由超过 200 字（201 字），请删减后重新提交")
        self.assertFalse(PanelSeat.objects.filter(judge=judge, source="manual").exists())
        self.client.post(url, data | {"reason": "调" * 200})
        self.assertEqual(PanelSeat.objects.get(judge=judge, source="manual").reason, "调" * 200)

    def test_a_judge_removed_by_hand_is_not_seated_again(self):
        judge = self.c.frontline[0]
        assignment.override(self.c.session, judge, False, "身体不适", self.contest_staff)
        assignment.auto_assign(self.c.contest)
        self.assertFalse(PanelSeat.objects.get(judge=judge).active)

    def test_the_override_page_refuses_other_roles(self):
        url = reverse("contest-panel-override", args=[self.c.session.pk])
        data = {"judge": self.c.frontline[0].pk, "action": "add", "reason": "x"}
        self.login(self.wolong)
        self.assertEqual(self.client.post(url, data).status_code, 403)
        self.login(self.contest_staff)
        self.assertEqual(self.client.post(url, data).status_code, 302)
        self.assertTrue(
            PanelSeat.objects.filter(judge=self.c.frontline[0], source="manual").exists()
        )
