"""Promotion between stages: previewed, confirmed, audited, carrying the earlier result."""

from datetime import timedelta
from decimal import Decimal

from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from baozheng.contest import promotion, publication, scoring
from baozheng.contest.models import Contestant, Division, Nomination, SchoolStage, Stage
from baozheng.testing import BaozhengTestCase
from tests.contest.factory import SmallContest


class PromotionTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.c = SmallContest(head=cls.contest_staff)
        # Scores 9, 10, 11, 11: 003 and 004 share first place.
        for i, contestant in enumerate(cls.c.contestants):
            for judge in cls.c.judges:
                points = {cls.c.goal.pk: Decimal(min(6 + i, 8)), cls.c.process.pk: Decimal(3)}
                scoring.submit_sheet(
                    judge, cls.c.session, contestant, points, f"{judge.pk}-{contestant.pk}"
                )
        cls.target = Stage.objects.get(contest=cls.c.contest, kind="township_recommended")

    def publish_and_end(self):
        start = timezone.localdate() - timedelta(days=30)
        publication.publish_notice(
            self.c.contest, start, self.contest_staff, start, self.c.stage, "教研室"
        )

    def preview(self, mode="top", value="1"):
        return promotion.preview(
            self.c.contest, self.c.stage, self.target, mode, Decimal(value), "county"
        )

    def test_promotion_waits_for_the_notice(self):
        with self.assertRaisesMessage(promotion.PromotionError, "尚未公示期满"):
            self.preview()

    def test_division_notices_open_promotion_only_when_every_division_is_covered(self):
        maths = Division.objects.create(
            contest=self.c.contest,
            stage=self.c.stage,
            subject="数学",
            school_stage=SchoolStage.PRIMARY,
            rubric=self.c.rubric,
        )
        Contestant.objects.create(
            contest=self.c.contest,
            division=maths,
            number="101",
            name="选手101",
            school=self.c.units["LA"],
            nomination=Nomination.RECOMMENDED,
            absent_reason="病假",
        )
        start = timezone.localdate() - timedelta(days=30)
        for divisions in ([self.c.division], [maths]):
            with self.assertRaisesMessage(promotion.PromotionError, "尚未公示期满"):
                self.preview()
            publication.publish_notice(
                self.c.contest,
                start,
                self.contest_staff,
                start,
                None,
                "教研室",
                divisions=divisions,
            )
        self.assertEqual(len(self.preview(value="1")), 2)

    def test_the_top_per_county_with_ties_kept_together(self):
        self.publish_and_end()
        picks = self.preview(value="1")
        self.assertEqual(
            sorted(p.standing.contestant.number for p in picks), ["003", "004"]
        )  # tied for first in 宛城区
        self.assertEqual({p.group for p in picks}, {"宛城区"})
        self.assertEqual(len(self.preview("percent", "50")), 2)

    def test_confirming_creates_linked_entries_once_and_is_audited(self):
        self.publish_and_end()
        created = promotion.confirm(self.c.contest, self.target, self.preview(), self.contest_staff)
        self.assertEqual(created, 2)
        moved = Contestant.objects.get(number="1-004")
        self.assertEqual(moved.promoted_from, self.c.contestants[3])
        self.assertEqual(moved.division.stage, self.target)
        self.assertIn("第 1 名 11.00", moved.earlier_result)
        self.assertTrue(LogEntry.objects.get_for_object(moved).exists())
        again = promotion.confirm(self.c.contest, self.target, self.preview(), self.contest_staff)
        self.assertEqual(again, 0)

    def test_the_page_previews_then_confirms_for_staff_only(self):
        self.publish_and_end()
        url = reverse("contest-promotion", args=[self.c.contest.pk])
        params = {
            "source": self.c.stage.pk,
            "target": self.target.pk,
            "mode": "top",
            "value": "1",
            "grouping": "county",
        }
        self.login(self.wancheng)
        self.assertEqual(self.client.post(url, params).status_code, 403)
        self.login(self.contest_staff)
        page = self.client.get(url, params)
        self.assertContains(page, "预览：2 人")
        self.assertFalse(Contestant.objects.filter(promoted_from__isnull=False).exists())
        bad = self.client.get(url, {**params, "value": "1.5"})
        self.assertContains(bad, "前 N 名须是正整数")
        self.client.post(url, params)
        self.assertEqual(Contestant.objects.filter(promoted_from__isnull=False).count(), 2)
