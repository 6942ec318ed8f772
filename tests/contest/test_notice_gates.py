"""Notices and freezes follow the rules: no backdating, a named scope, complete panels
first, one notice at a time per scope, every objection answered before the freeze."""

import io
from datetime import date
from decimal import Decimal

import docx
from django.urls import reverse

from baozheng.contest import publication, scoring
from baozheng.contest.models import Division, PanelSeat, Stage
from baozheng.testing import BaozhengTestCase, docx_text
from tests.contest.factory import SmallContest

DAY = date(2022, 9, 26)  # a Monday
CHANNEL = "市教育局教研室（电话 0377-63123456）"


class NoticeGateTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.c = SmallContest(head=cls.contest_staff)
        cls.c.contest.first_prize_pct = Decimal(25)
        cls.c.contest.save()
        for i, contestant in enumerate(cls.c.contestants):
            for judge in cls.c.judges:
                points = {cls.c.goal.pk: Decimal(6 + i), cls.c.process.pk: Decimal(3)}
                scoring.submit_sheet(
                    judge, cls.c.session, contestant, points, f"{judge.pk}-{contestant.pk}"
                )

    def publish(self, start=DAY, today=DAY, stage=None, channel=CHANNEL):
        return publication.publish_notice(
            self.c.contest, start, self.contest_staff, today, stage, channel
        )

    def seat_one_more_judge(self):
        """A judge seated after scoring: every contestant now lacks one sheet."""
        extra = self.c.judges[0]
        extra.pk = None
        extra.name = "一线补"
        extra.save()
        PanelSeat.objects.create(session=self.c.session, judge=extra, source="manual")

    def test_a_backdated_notice_is_refused(self):
        with self.assertRaisesMessage(publication.PublicationError, "不能早于今天（2022-09-26）"):
            self.publish(start=date(2022, 9, 12))
        self.assertFalse(self.c.contest.notices.exists())

    def test_a_notice_needs_a_place_to_object(self):
        with self.assertRaisesMessage(publication.PublicationError, "异议受理方式"):
            self.publish(channel=" ")

    def test_a_notice_is_refused_while_a_venue_is_incomplete(self):
        self.seat_one_more_judge()
        with self.assertRaisesMessage(
            publication.PublicationError, "宛城第一赛点 4 名选手评分未完成（已交 28/32 张评分表）"
        ):
            self.publish()
        self.assertFalse(self.c.contest.notices.exists())

    def test_one_notice_at_a_time_per_scope(self):
        self.publish(stage=self.c.stage)
        with self.assertRaisesMessage(
            publication.PublicationError, "同一范围同一时间只能有一个公示"
        ):
            self.publish(stage=self.c.stage, start=date(2022, 9, 27), today=date(2022, 9, 27))
        with self.assertRaisesMessage(publication.PublicationError, "尚未结束"):
            self.publish(stage=None, start=date(2022, 9, 27), today=date(2022, 9, 27))
        other = Stage.objects.get(contest=self.c.contest, kind="township_recommended")
        self.publish(stage=other, start=date(2022, 9, 27), today=date(2022, 9, 27))
        # After the first notice ended, the same scope may be noticed again.
        self.publish(stage=self.c.stage, start=date(2022, 10, 10), today=date(2022, 10, 10))

    def test_the_freeze_checks_every_notice_and_every_objection(self):
        first = self.publish(stage=self.c.stage)
        objection = publication.file_objection(first, "张三", "138", "名次有误", DAY)
        other = Stage.objects.get(contest=self.c.contest, kind="township_recommended")
        later = self.publish(stage=other, start=date(2022, 10, 10), today=date(2022, 10, 10))
        with self.assertRaisesMessage(publication.PublicationError, "2022-10-14 结束"):
            publication.freeze(self.c.contest, self.contest_staff, date(2022, 10, 11))
        with self.assertRaisesMessage(publication.PublicationError, "1 条未处理的异议"):
            publication.freeze(self.c.contest, self.contest_staff, date(2022, 10, 17))
        publication.handle_objection(objection, "rejected", "复核无误", self.contest_staff)
        self.assertIsNotNone(later)
        snapshot = publication.freeze(self.c.contest, self.contest_staff, date(2022, 10, 17))
        self.assertFalse(snapshot.data["quota_base_counts_absent"])

    def test_a_stage_without_a_notice_cannot_be_frozen(self):
        other = Stage.objects.get(contest=self.c.contest, kind="township_recommended")
        Division.objects.create(
            contest=self.c.contest,
            stage=other,
            subject="数学",
            school_stage="primary",
            rubric=self.c.rubric,
        )
        self.c.contestants[3].division = other.divisions.get()
        self.c.contestants[3].save()
        self.publish(stage=self.c.stage)
        with self.assertRaisesMessage(publication.PublicationError, "乡推市赛尚未公示"):
            publication.freeze(self.c.contest, self.contest_staff, date(2022, 10, 10))

    def test_the_freeze_is_refused_while_a_panel_is_incomplete(self):
        self.publish()
        self.seat_one_more_judge()
        with self.assertRaisesMessage(publication.PublicationError, "评分未完成，不能定档"):
            publication.freeze(self.c.contest, self.contest_staff, date(2022, 10, 10))
        self.assertFalse(hasattr(self.c.contest, "snapshot"))

    def test_the_notice_page_shows_issuer_dates_and_where_to_object_and_exports_word(self):
        notice = self.publish(stage=self.c.stage)
        page = self.client.get(reverse("contest-notice-public", args=[notice.pk]))
        self.assertContains(page, "南阳市")
        self.assertContains(page, CHANNEL)
        self.assertContains(page, "2022年9月30日")
        response = self.client.get(reverse("contest-notice-docx", args=[notice.pk]))
        self.assertEqual(response.status_code, 200)
        text = docx_text(response.content)
        self.assertIn("关于测试赛市级决赛获奖名单的公示", text)
        self.assertIn("2022年9月26日至2022年9月30日（5个工作日）", text)
        self.assertIn(CHANNEL, text)
        table = docx.Document(io.BytesIO(response.content)).tables[0]
        self.assertEqual(table.rows[1].cells[0].text, "一等奖")
        self.assertEqual(
            self.client.get(reverse("contest-notice-docx", args=[999999])).status_code, 404
        )
