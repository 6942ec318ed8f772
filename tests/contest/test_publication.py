"""Public notice (公示) in working days, written objections, and the frozen snapshot."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from baozheng.contest import publication, scoring
from baozheng.contest.figures import contest_rollup
from baozheng.contest.models import Objection, ResultSnapshot
from baozheng.testing import BaozhengTestCase
from tests.contest.factory import SmallContest

NATIONAL_DAY = date(2022, 9, 29)  # Thursday before the 2022 National Day holiday


def publish(contest, start, user, stage=None):
    """A notice published on its first day (`today` = `start`), with an objection channel."""
    return publication.publish_notice(
        contest, start, user, start, stage, "市教育局教研室，电话 0377-63123456"
    )


class PublicationTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.c = SmallContest(head=cls.contest_staff)
        cls.c.contest.first_prize_pct = Decimal(25)  # of four contestants: one first prize
        cls.c.contest.save()
        for i, contestant in enumerate(cls.c.contestants):
            for judge in cls.c.judges:
                points = {cls.c.goal.pk: Decimal(6 + i), cls.c.process.pk: Decimal(3)}
                scoring.submit_sheet(
                    judge, cls.c.session, contestant, points, f"{judge.pk}-{contestant.pk}"
                )

    def test_the_notice_lasts_five_working_days_skipping_holidays(self):
        self.assertEqual(
            publication.notice_end(self.c.contest, date(2022, 9, 26)), date(2022, 9, 30)
        )
        # 9-29, 9-30, then the National Day holiday (10-1 … 10-7) and the make-up days 10-8, 10-9.
        self.assertEqual(publication.notice_end(self.c.contest, NATIONAL_DAY), date(2022, 10, 10))

    def test_objections_are_received_only_during_the_notice(self):
        notice = publish(self.c.contest, date(2022, 9, 26), self.contest_staff)
        with self.assertRaisesMessage(publication.PublicationError, "期外不受理"):
            publication.file_objection(notice, "张三", "13800000000", "分数有误", date(2022, 10, 8))
        with self.assertRaisesMessage(publication.PublicationError, "署真实姓名"):
            publication.file_objection(notice, "", "13800000000", "分数有误", date(2022, 9, 27))
        publication.file_objection(notice, "张三", "13800000000", "分数有误", date(2022, 9, 27))
        self.assertEqual(Objection.objects.count(), 1)

    def test_freezing_waits_for_the_notice_end_and_handled_objections(self):
        with self.assertRaisesMessage(publication.PublicationError, "尚未发布公示"):
            publication.freeze(self.c.contest, self.contest_staff, date(2022, 10, 20))
        notice = publish(self.c.contest, date(2022, 9, 26), self.contest_staff)
        objection = publication.file_objection(notice, "张三", "138", "异议", date(2022, 9, 27))
        with self.assertRaisesMessage(publication.PublicationError, "结束后才能定档"):
            publication.freeze(self.c.contest, self.contest_staff, date(2022, 9, 30))
        with self.assertRaisesMessage(publication.PublicationError, "未处理的异议"):
            publication.freeze(self.c.contest, self.contest_staff, date(2022, 10, 10))
        publication.handle_objection(
            objection, "rejected", "经复核评分表，分数无误", self.contest_staff
        )
        snapshot = publication.freeze(self.c.contest, self.contest_staff, date(2022, 10, 10))
        rows = snapshot.data["divisions"][0]["rows"]
        self.assertEqual([r["number"] for r in rows], ["004", "003", "002", "001"])
        self.assertEqual((rows[0]["final"], rows[0]["prize"]), ("12.00", "一等奖"))
        self.assertEqual(snapshot.formula_version, "2022.1")

    def test_a_snapshot_cannot_be_changed_and_stops_further_scoring(self):
        snapshot = ResultSnapshot.objects.create(
            contest=self.c.contest, formula_version="2022.1", data={}, digest="x"
        )
        with self.assertRaises(ValidationError):
            snapshot.save()
        with self.assertRaises(ValidationError):
            snapshot.delete()
        sheet = self.c.contestants[0].sheets.first()
        with self.assertRaisesMessage(scoring.ScoringError, "已定档"):
            scoring.request_correction(
                sheet, {self.c.goal.pk: Decimal(1), self.c.process.pk: Decimal(1)}, "x"
            )

    def test_the_public_notice_page_takes_a_written_objection(self):
        notice = publish(self.c.contest, date.today(), self.contest_staff)
        url = reverse("contest-notice-public", args=[notice.pk])
        self.assertContains(self.client.get(url), "一等奖")
        self.client.post(
            url, {"author": "李四", "contact": "139", "text": "名次有误", "number": "001"}
        )
        objection = Objection.objects.get()
        self.assertEqual(objection.contestant, self.c.contestants[0])

    def test_an_objection_over_its_columns_is_refused_and_one_at_the_limit_kept_whole(self):
        notice = publish(self.c.contest, date(2022, 9, 26), self.contest_staff)
        day = date(2022, 9, 27)
        with self.assertRaisesMessage(
            publication.PublicationError, "异议内容超过 2000 字（2001 字）"
        ):
            publication.file_objection(notice, "张三", "138", "异" * 2001, day)
        with self.assertRaisesMessage(publication.PublicationError, "署名超过 40 字（41 字）"):
            publication.file_objection(notice, "张" * 41, "138", "异议", day)
        with self.assertRaisesMessage(publication.PublicationError, "联系方式超过 60 字（61 字）"):
            publication.file_objection(notice, "张三", "1" * 61, "异议", day)
        self.assertFalse(Objection.objects.exists())
        publication.file_objection(notice, "张" * 40, "1" * 60, "异" * 2000, day)
        kept = Objection.objects.get()
        self.assertEqual((kept.author, kept.contact, kept.text), ("张" * 40, "1" * 60, "异" * 2000))

    def test_the_public_page_refuses_a_long_objection_and_gives_the_text_back(self):
        notice = publish(self.c.contest, date.today(), self.contest_staff)
        url = reverse("contest-notice-public", args=[notice.pk])
        self.assertContains(self.client.get(url), 'maxlength="2000"')
        data = {"author": "李四", "contact": "139", "text": "异" * 2001}
        response = self.client.post(url, data)
        self.assertContains(response, "异议内容超过 2000 字（2001 字），请删减后重新提交")
        self.assertContains(response, "异" * 2001)  # nothing the teacher typed is lost
        self.assertFalse(Objection.objects.exists())
        self.client.post(url, data | {"text": "异" * 2000})
        self.assertEqual(Objection.objects.get().text, "异" * 2000)

    def test_a_notice_channel_or_issuer_over_its_column_publishes_nothing(self):
        start = date(2022, 9, 26)
        for channel, issuer, message in (
            ("电" * 301, "", "异议受理方式超过 300 字（301 字）"),
            ("教研室", "市" * 101, "发布单位超过 100 字（101 字）"),
        ):
            with self.assertRaisesMessage(publication.PublicationError, message):
                publication.publish_notice(
                    self.c.contest, start, self.contest_staff, start, None, channel, issuer
                )
        self.assertFalse(self.c.contest.notices.exists())
        self.login(self.contest_staff)
        self.assertContains(
            self.client.get(reverse("contest-results", args=[self.c.contest.pk])),
            'maxlength="300"',
        )
        url = reverse("contest-publish-notice", args=[self.c.contest.pk])
        today = timezone.localdate().isoformat()
        response = self.client.post(
            url, {"starts": today, "objection_channel": "电" * 301}, follow=True
        )
        self.assertContains(response, "异议受理方式超过 300 字（301 字），请删减后重新提交")
        self.assertFalse(self.c.contest.notices.exists())
        self.client.post(
            url, {"starts": today, "objection_channel": "电" * 300, "issuer": "市" * 100}
        )
        notice = self.c.contest.notices.get()
        self.assertEqual((notice.objection_channel, notice.issuer), ("电" * 300, "市" * 100))

    def test_staff_publish_and_freeze_from_the_results_page_and_others_cannot(self):
        url = reverse("contest-publish-notice", args=[self.c.contest.pk])
        self.login(self.leader)
        self.assertEqual(self.client.post(url, {"starts": "2022-09-26"}).status_code, 403)
        self.login(self.contest_staff)
        today = timezone.localdate()
        response = self.client.post(
            url, {"starts": "2022-09-26", "objection_channel": "教研室"}, follow=True
        )
        self.assertContains(response, "公示开始日期不能早于今天")
        self.assertFalse(self.c.contest.notices.exists())
        self.client.post(url, {"starts": today.isoformat(), "objection_channel": "教研室"})
        notice = self.c.contest.notices.get()
        self.assertEqual(notice.ends, publication.notice_end(self.c.contest, today))
        self.assertEqual(notice.issuer, "南阳市")

    def test_the_rollup_gives_participation_scores_and_prizes_per_unit(self):
        county = {r.unit: r for r in contest_rollup(self.c.contest, "county")}["411302"]
        self.assertEqual((county.teachers, county.participants, county.scored), (200, 4, 4))
        self.assertEqual(county.participation_rate, Decimal("2.0"))
        central = {r.unit: r for r in contest_rollup(self.c.contest, "central_school")}
        self.assertEqual(central["411302Z"].participants, 3)
        self.assertNotIn("", central)
