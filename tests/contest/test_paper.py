"""Paper score sheets: two different staff enter each sheet; it counts only when both agree."""

from django.urls import reverse

from baozheng.contest import paper
from baozheng.contest.models import PaperEntry, ScoreSheet
from baozheng.contest.scoring import ScoringError
from baozheng.testing import BaozhengTestCase
from tests.contest.factory import SmallContest
from tests.contest.test_integrity import second_staff


class PaperDoubleEntryTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.c = SmallContest(head=cls.contest_staff)
        cls.clerk = second_staff(cls.city)

    def raw(self, goal="8.5", process="4"):
        return {f"item-{self.c.goal.pk}": goal, f"item-{self.c.process.pk}": process}

    def enter(self, user, **points):
        judge, contestant = self.c.judges[0], self.c.contestants[0]
        return paper.enter(self.c.session, judge, contestant, self.raw(**points), user)

    def test_two_agreeing_entries_make_the_sheet_count(self):
        first = self.enter(self.contest_staff)
        self.assertFalse(first.stored)
        self.assertFalse(ScoreSheet.objects.exists())
        with self.assertRaisesMessage(ScoringError, "另一位工作人员"):
            self.enter(self.contest_staff)
        second = self.enter(self.clerk)
        self.assertTrue(second.stored)
        sheet = ScoreSheet.objects.get()
        self.assertEqual(str(sheet.total()), "12.5")

    def test_disagreeing_entries_store_nothing_and_are_listed_for_the_venue_head(self):
        self.enter(self.contest_staff)
        outcome = self.enter(self.clerk, goal="9")
        self.assertTrue(outcome.mismatch)
        self.assertFalse(ScoreSheet.objects.exists())
        self.assertEqual(len(paper.mismatches(self.c.venue.pk)), 1)
        with self.assertRaisesMessage(ScoringError, "赛点负责人"):
            paper.discard(self.c.session, self.c.judges[0].pk, self.c.contestants[0].pk, self.clerk)
        paper.discard(
            self.c.session, self.c.judges[0].pk, self.c.contestants[0].pk, self.contest_staff
        )
        self.assertFalse(PaperEntry.objects.exists())

    def test_bad_points_are_refused_and_nothing_is_kept(self):
        with self.assertRaisesMessage(ScoringError, "0 到 10"):
            self.enter(self.contest_staff, goal="11")
        self.assertFalse(PaperEntry.objects.exists())

    def test_the_entry_page_is_for_staff_only(self):
        url = reverse("contest-paper-entry", args=[self.c.session.pk])
        self.login(self.wancheng)
        self.assertEqual(self.client.get(url).status_code, 403)
        self.login(self.contest_staff)
        data = {"judge": self.c.judges[0].pk, "contestant": self.c.contestants[0].pk, **self.raw()}
        response = self.client.post(url, data, follow=True)
        self.assertContains(response, "须由另一位工作人员第二次录入")
        self.login(self.clerk)
        response = self.client.post(url, {**data, f"item-{self.c.goal.pk}": "7"}, follow=True)
        self.assertContains(response, "两次录入不一致")
        self.assertContains(response, "作废两次录入", count=0)  # the clerk is not the venue head
