"""Corrections of locked sheets: a reason, the venue head's approval, an audit trail."""

from decimal import Decimal

from auditlog.models import LogEntry
from django.urls import reverse

from baozheng.contest import scoring
from baozheng.contest.models import Correction, CorrectionStatus, ScoreLine
from baozheng.contest.tokens import make_token
from baozheng.org.models import User
from baozheng.org.roles import Role
from baozheng.testing import BaozhengTestCase
from tests.contest.factory import SmallContest


class CorrectionTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.c = SmallContest(head=cls.contest_staff)
        cls.other_staff = User.objects.create(
            username="staff2", role=Role.CONTEST_STAFF, unit=cls.city
        )
        cls.other_staff.scope.set([cls.city])
        points = {cls.c.goal.pk: Decimal(8), cls.c.process.pk: Decimal(3)}
        cls.sheet, _ = scoring.submit_sheet(
            cls.c.judges[0], cls.c.session, cls.c.contestants[0], points, "c-1"
        )

    def correct_url(self):
        return reverse(
            "contest-request-correction",
            args=[make_token(self.c.judges[0], self.c.session), self.c.contestants[0].pk],
        )

    def ask(self, reason="误触"):
        return self.client.post(
            self.correct_url(),
            {f"item-{self.c.goal.pk}": "9", f"item-{self.c.process.pk}": "3", "reason": reason},
        )

    def test_a_correction_needs_a_reason(self):
        response = self.ask(reason="")
        self.assertContains(response, "请填写更正理由", status_code=400)
        self.assertFalse(Correction.objects.exists())

    def test_a_reason_over_its_column_is_refused_and_given_back_to_the_judge(self):
        response = self.ask(reason="误" * 301)
        self.assertContains(
            response, "更正理由超过 300 字（301 字），请删减后重新提交", status_code=400
        )
        self.assertContains(response, "误" * 301, status_code=400)
        self.assertFalse(Correction.objects.exists())
        self.assertEqual(self.ask(reason="误" * 300).status_code, 302)
        self.assertEqual(Correction.objects.get().reason, "误" * 300)

    def test_a_decision_note_over_its_column_decides_nothing(self):
        self.ask()
        correction = Correction.objects.get()
        with self.assertRaisesMessage(scoring.ScoringError, "审批意见超过 300 字（301 字）"):
            scoring.decide_correction(correction, self.contest_staff, approve=True, note="实" * 301)
        self.login(self.contest_staff)
        self.assertContains(
            self.client.get(reverse("contest-venue", args=[self.c.venue.pk])), 'maxlength="300"'
        )
        url = reverse("contest-decide-correction", args=[correction.pk])
        response = self.client.post(url, {"decision": "approve", "note": "实" * 301}, follow=True)
        self.assertContains(response, "审批意见超过 300 字（301 字），请删减后重新提交")
        correction.refresh_from_db()
        self.assertEqual(correction.status, CorrectionStatus.PENDING)
        self.assertEqual(self.sheet.total(), Decimal(11))
        self.client.post(url, {"decision": "approve", "note": "实" * 300})
        correction.refresh_from_db()
        self.assertEqual((correction.status, correction.decision_note), ("approved", "实" * 300))

    def test_a_request_leaves_the_sheet_unchanged_until_approved(self):
        self.assertEqual(self.ask().status_code, 302)
        correction = Correction.objects.get()
        self.assertEqual(correction.status, CorrectionStatus.PENDING)
        self.assertEqual(self.sheet.total(), Decimal(11))

    def test_the_venue_head_approves_and_the_change_is_audited(self):
        self.ask()
        correction = Correction.objects.get()
        self.login(self.contest_staff)
        response = self.client.post(
            reverse("contest-decide-correction", args=[correction.pk]),
            {"decision": "approve", "note": "属实"},
            follow=True,
        )
        self.assertRedirects(response, reverse("contest-venue", args=[self.c.venue.pk]))
        self.assertContains(response, "更正申请已批准")
        self.assertNotContains(response, "已已")
        correction.refresh_from_db()
        self.assertEqual(
            (correction.status, correction.decided_by),
            (CorrectionStatus.APPROVED, self.contest_staff),
        )
        self.assertEqual(self.sheet.total(), Decimal(12))
        line = ScoreLine.objects.get(sheet=self.sheet, item=self.c.goal)
        entry = LogEntry.objects.get_for_object(line).latest("timestamp")
        self.assertEqual(entry.changes_dict["points"], ["8.0", "9"])

    def test_the_venue_head_is_told_on_the_home_page(self):
        self.ask()
        self.login(self.contest_staff)
        self.assertContains(self.client.get(reverse("home")), "有评分更正申请待您审批")

    def test_another_staff_member_cannot_approve(self):
        self.ask()
        correction = Correction.objects.get()
        self.login(self.other_staff)
        self.client.post(
            reverse("contest-decide-correction", args=[correction.pk]), {"decision": "approve"}
        )
        correction.refresh_from_db()
        self.assertEqual(correction.status, CorrectionStatus.PENDING)
        self.assertEqual(self.sheet.total(), Decimal(11))

    def test_roles_without_the_contest_capability_are_refused(self):
        self.ask()
        correction = Correction.objects.get()
        for user in (self.judge, self.wancheng, self.leader):
            self.login(user)
            response = self.client.post(
                reverse("contest-decide-correction", args=[correction.pk]), {"decision": "approve"}
            )
            self.assertEqual(response.status_code, 403)

    def test_a_rejection_keeps_the_sheet(self):
        self.ask()
        correction = Correction.objects.get()
        scoring.decide_correction(correction, self.contest_staff, approve=False, note="无依据")
        self.assertEqual(self.sheet.total(), Decimal(11))
        with self.assertRaisesMessage(scoring.ScoringError, "已处理"):
            scoring.decide_correction(correction, self.contest_staff, approve=True)
