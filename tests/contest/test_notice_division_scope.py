"""A notice may cover divisions (组别) instead of a stage: completeness, overlap, the freeze's
coverage and the staff form all follow the divisions named."""

import io
import re
from datetime import date
from decimal import Decimal

import docx
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from baozheng.contest import publication, scoring
from baozheng.contest.models import (
    Contest,
    Contestant,
    Division,
    Nomination,
    Rubric,
    SchoolStage,
    Stage,
    StageKind,
)
from baozheng.org.models import Unit
from baozheng.testing import BaozhengTestCase
from tests.contest.factory import SmallContest

DAY = date(2022, 9, 26)  # a Monday; a notice starting then ends on Friday 2022-09-30
LATER = date(2022, 10, 10)
CHANNEL = "市教育局教研室（电话 0377-63123456）"


class DivisionScopeTests(BaozhengTestCase):
    """语文 (city final) complete; 数学 (city final) with one contestant not yet scored;
    英语 (township stage) with one contestant recorded absent."""

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
        cls.township = Stage.objects.get(contest=cls.c.contest, kind="township_recommended")
        cls.chinese = cls.c.division
        cls.maths = cls.division(cls.c.stage, "数学")
        cls.english = cls.division(cls.township, "英语")
        cls.maths_entrant = cls.entrant(cls.maths, "101")
        cls.entrant(cls.english, "201", absent_reason="病假")

    @classmethod
    def division(cls, stage, subject):
        return Division.objects.create(
            contest=cls.c.contest,
            stage=stage,
            subject=subject,
            school_stage=SchoolStage.PRIMARY,
            rubric=cls.c.rubric,
        )

    @classmethod
    def entrant(cls, division, number, absent_reason=""):
        return Contestant.objects.create(
            contest=cls.c.contest,
            division=division,
            number=number,
            name=f"选手{number}",
            school=cls.c.units["LA"],
            nomination=Nomination.RECOMMENDED,
            absent_reason=absent_reason,
        )

    def publish(self, divisions=(), stage=None, start=DAY, today=DAY):
        return publication.publish_notice(
            self.c.contest, start, self.contest_staff, today, stage, CHANNEL, divisions=divisions
        )

    def test_a_division_scoped_notice_is_published_and_states_its_scope(self):
        notice = self.publish([self.chinese])
        self.assertEqual(list(notice.divisions.all()), [self.chinese])
        self.assertIsNone(notice.stage)
        self.assertEqual(notice.scope_label, "组别：市级决赛·小学语文")
        logged = LogEntry.objects.get_for_object(notice).values_list("changes", flat=True)
        self.assertTrue(any("divisions" in str(changes) for changes in logged))
        page = self.client.get(reverse("contest-notice-public", args=[notice.pk]))
        self.assertContains(page, "组别：市级决赛·小学语文")
        self.assertContains(page, "<h2>市级决赛·小学语文</h2>", html=True)
        self.assertContains(page, "丁")  # 语文's first prize
        self.assertNotContains(page, "小学数学")
        response = self.client.get(reverse("contest-notice-docx", args=[notice.pk]))
        document = docx.Document(io.BytesIO(response.content))
        text = "\n".join(p.text for p in document.paragraphs)
        self.assertIn("公示范围：组别：市级决赛·小学语文。", text)
        self.assertIn("现将测试赛（组别：市级决赛·小学语文）获奖名单予以公示", text)
        self.assertEqual(len(document.tables), 1)
        self.maths_entrant.absent_reason = "病假"
        self.maths_entrant.save()
        whole = self.publish(start=LATER, today=LATER)
        self.assertEqual(whole.scope_label, "全部阶段")
        self.assertIn(
            "公示范围：全部阶段。",
            "\n".join(
                p.text
                for p in docx.Document(
                    io.BytesIO(
                        self.client.get(reverse("contest-notice-docx", args=[whole.pk])).content
                    )
                ).paragraphs
            ),
        )

    def test_a_notice_is_refused_while_a_division_in_scope_is_incomplete(self):
        with self.assertRaisesMessage(
            publication.PublicationError,
            "组别：市级决赛·小学数学、市级决赛·小学语文还有选手评分未完成"
            "，全部评完或记录缺考后才能发布公示：未安排场次 1 名选手评分未完成",
        ):
            self.publish([self.chinese, self.maths])
        self.assertFalse(self.c.contest.notices.exists())
        # The incomplete 数学 is out of scope of a notice for 语文 and 英语 (absent only).
        notice = self.publish([self.chinese, self.english])
        self.assertEqual(set(notice.divisions.all()), {self.chinese, self.english})

    def test_overlapping_scopes_are_refused_and_a_disjoint_one_is_accepted(self):
        self.publish([self.english])
        refusal = "同一范围同一时间只能有一个公示"
        for scope in ({"stage": self.township}, {}, {"divisions": [self.english, self.chinese]}):
            with (
                self.subTest(scope=scope),
                self.assertRaisesMessage(publication.PublicationError, refusal),
            ):
                self.publish(**scope)
        self.publish([self.chinese])  # disjoint: another stage's division
        self.assertEqual(self.c.contest.notices.count(), 2)

    def test_a_stage_notice_blocks_its_divisions_but_not_another_stages(self):
        self.publish(stage=self.township)
        with self.assertRaisesMessage(publication.PublicationError, "乡推市赛的公示"):
            self.publish([self.english])
        self.publish([self.chinese])
        self.assertEqual(self.c.contest.notices.count(), 2)

    def test_a_whole_contest_notice_blocks_any_division(self):
        self.maths_entrant.absent_reason = "病假"
        self.maths_entrant.save()
        self.publish()
        with self.assertRaisesMessage(publication.PublicationError, "全部阶段的公示"):
            self.publish([self.chinese])
        self.assertEqual(self.c.contest.notices.count(), 1)

    def test_a_stage_and_divisions_together_are_refused(self):
        with self.assertRaisesMessage(publication.PublicationError, "不能同时选择阶段和组别"):
            self.publish([self.english], stage=self.township)
        self.assertFalse(self.c.contest.notices.exists())

    def test_the_freeze_waits_until_every_division_with_contestants_is_covered(self):
        self.maths_entrant.absent_reason = "病假"
        self.maths_entrant.save()
        self.publish([self.chinese])
        with self.assertRaisesMessage(
            publication.PublicationError, "市级决赛·小学数学、乡推市赛尚未公示，不能定档"
        ):
            publication.freeze(self.c.contest, self.contest_staff, LATER)
        self.publish(stage=self.township, start=LATER, today=LATER)
        self.publish([self.maths], start=LATER, today=LATER)
        with self.assertRaisesMessage(publication.PublicationError, "结束后才能定档"):
            publication.freeze(self.c.contest, self.contest_staff, LATER)
        snapshot = publication.freeze(self.c.contest, self.contest_staff, date(2022, 10, 17))
        self.assertEqual(len(snapshot.data["divisions"]), 3)

    def test_a_division_of_another_contest_is_refused(self):
        other = Contest.objects.create(
            code="T2",
            name="另一赛",
            unit=Unit.objects.get(code="411300"),
            starts=date(2022, 9, 1),
            ends=date(2022, 12, 31),
        )
        foreign = Division.objects.create(
            contest=other,
            stage=Stage.objects.create(contest=other, kind=StageKind.CITY_FINAL),
            subject="语文",
            school_stage=SchoolStage.PRIMARY,
            rubric=Rubric.objects.create(contest=other, name="标准"),
        )
        with self.assertRaisesMessage(publication.PublicationError, "须是本赛事的组别"):
            self.publish([foreign])
        self.assertFalse(Division.objects.get(pk=foreign.pk).notices.exists())
        # The staff form offers only this contest's divisions.
        self.login(self.contest_staff)
        page = self.client.get(reverse("contest-results", args=[self.c.contest.pk]))
        offered = re.findall(
            r'<option value="(\d+)">', re.search(r'name="divisions".*?</select>', page.text).group()
        )  # the division list only: the stage list beside it may hold the same number
        self.assertContains(page, f'<option value="{self.maths.pk}">市级决赛·小学数学</option>')
        self.assertIn(str(self.maths.pk), offered)
        self.assertNotIn(str(foreign.pk), offered)
        response = self.client.post(
            reverse("contest-publish-notice", args=[self.c.contest.pk]),
            self.form(divisions=[foreign.pk]),
            follow=True,
        )
        self.assertContains(response, "须是本赛事的组别")
        self.assertFalse(self.c.contest.notices.exists())

    def form(self, **fields):
        return {
            "starts": timezone.localdate().isoformat(),
            "objection_channel": CHANNEL,
            **fields,
        }

    def test_the_staff_form_publishes_a_division_notice_and_refuses_others(self):
        url = reverse("contest-publish-notice", args=[self.c.contest.pk])
        for persona in (self.leader, self.judge, self.wancheng):
            self.login(persona)
            response = self.client.post(url, self.form(divisions=[self.chinese.pk]))
            self.assertEqual(response.status_code, 403, persona)
        self.assertFalse(self.c.contest.notices.exists())
        self.login(self.contest_staff)
        for fields, message in (
            ({"divisions": ["999999"]}, "所选组别不存在"),
            ({"divisions": ["x"]}, "所选组别不存在"),
            (
                {"divisions": [self.english.pk], "stage": self.township.pk},
                "不能同时选择阶段和组别",
            ),
            ({"divisions": [self.maths.pk]}, "未安排场次 1 名选手评分未完成"),
        ):
            with self.subTest(fields=fields):
                response = self.client.post(url, self.form(**fields), follow=True)
                self.assertContains(response, message)
                self.assertFalse(self.c.contest.notices.exists())
        response = self.client.post(
            url, self.form(divisions=[self.chinese.pk, self.english.pk]), follow=True
        )
        notice = self.c.contest.notices.get()
        self.assertEqual(set(notice.divisions.all()), {self.chinese, self.english})
        self.assertContains(response, "组别：市级决赛·小学语文、乡推市赛·小学英语公示已发布")
        api = self.client.get(f"/api/v1/contest/contests/{self.c.contest.pk}/results")
        self.assertEqual(api.status_code, 200)
        self.assertEqual(api.json()["notice"]["scope"], notice.scope_label)
