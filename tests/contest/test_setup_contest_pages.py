"""Creating and editing a contest and its rules; scoring rules lock at the first sheet."""

from decimal import Decimal

from django.urls import reverse

from baozheng.contest import scoring
from baozheng.contest.models import Contest, ResultSnapshot
from baozheng.testing import BaozhengTestCase
from tests.contest.factory import SmallContest


def contest_post(**changes) -> dict:
    data = {
        "code": "NY2024",
        "name": "2024 大比武",
        "unit": "",
        "starts": "2024-09-01",
        "ends": "2024-12-31",
        "trim_threshold": 5,
        "frontline_pct": 70,
        "researcher_pct": 30,
        "first_prize_pct": 10,
        "second_prize_pct": 20,
        "third_prize_pct": 30,
        "recuse_same_school": "on",
        "recuse_same_central_school": "on",
        "recuse_same_county": "on",
        "panel_frontline": 5,
        "panel_researcher": 3,
        "notice_workdays": 5,
        "normalisation_min_sample": 10,
    }
    data.update(changes)
    return data


class ContestSetupPageTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.c = SmallContest(head=cls.contest_staff)

    def edit_url(self):
        return reverse("contest-edit", args=[self.c.contest.pk])

    def test_contest_staff_create_a_contest_with_weights_in_percent(self):
        self.login(self.contest_staff)
        response = self.client.post(reverse("contest-create"), contest_post(unit=self.city.pk))
        contest = Contest.objects.get(code="NY2024")
        self.assertRedirects(response, reverse("contest-setup", args=[contest.pk]))
        self.assertEqual(
            (contest.frontline_weight, contest.researcher_weight),
            (Decimal("0.70"), Decimal("0.30")),
        )

    def test_weights_that_do_not_add_up_to_one_hundred_are_refused(self):
        self.login(self.contest_staff)
        response = self.client.post(
            reverse("contest-create"), contest_post(unit=self.city.pk, researcher_pct=40)
        )
        self.assertContains(response, "权重之和必须为 100%")
        self.assertFalse(Contest.objects.filter(code="NY2024").exists())

    def test_descending_prize_quotas_are_refused(self):
        self.login(self.contest_staff)
        response = self.client.post(
            reverse("contest-create"),
            contest_post(unit=self.city.pk, first_prize_pct=30, third_prize_pct=10),
        )
        self.assertContains(response, "逐级递增")

    def test_a_contest_cannot_end_before_it_starts(self):
        self.login(self.contest_staff)
        response = self.client.post(
            reverse("contest-create"), contest_post(unit=self.city.pk, ends="2024-01-01")
        )
        self.assertContains(response, "开始日期不能晚于结束日期")

    def test_shortening_the_contest_past_its_sessions_is_refused(self):
        self.login(self.contest_staff)
        response = self.client.post(
            self.edit_url(),
            contest_post(code="T1", unit=self.city.pk, starts="2022-10-01", ends="2022-12-31"),
        )
        self.assertContains(response, "不在新的起止日期内")

    def test_rules_can_change_before_any_sheet_is_submitted(self):
        self.login(self.contest_staff)
        response = self.client.post(
            self.edit_url(),
            contest_post(
                code="T1",
                unit=self.city.pk,
                starts="2022-09-01",
                frontline_pct=60,
                researcher_pct=40,
                trim_threshold=7,
            ),
        )
        self.assertRedirects(response, reverse("contest-setup", args=[self.c.contest.pk]))
        self.c.contest.refresh_from_db()
        self.assertEqual(
            (self.c.contest.frontline_weight, self.c.contest.trim_threshold), (Decimal("0.60"), 7)
        )

    def test_scoring_rules_are_refused_with_the_reason_once_a_sheet_is_in(self):
        judge, contestant = self.c.frontline[0], self.c.contestants[0]
        scoring.submit_sheet(
            judge,
            self.c.session,
            contestant,
            {self.c.goal.pk: Decimal(8), self.c.process.pk: Decimal(4)},
            "k1",
        )
        self.login(self.contest_staff)
        response = self.client.post(
            self.edit_url(),
            contest_post(
                code="T1",
                unit=self.city.pk,
                starts="2022-09-01",
                frontline_pct=60,
                researcher_pct=40,
            ),
        )
        self.assertContains(response, "已有评委提交评分表")
        self.c.contest.refresh_from_db()
        self.assertEqual(self.c.contest.frontline_weight, Decimal("0.70"))

    def test_the_name_can_still_change_after_sheets_but_rules_stay(self):
        scoring.submit_sheet(
            self.c.frontline[0],
            self.c.session,
            self.c.contestants[0],
            {self.c.goal.pk: Decimal(8), self.c.process.pk: Decimal(4)},
            "k1",
        )
        self.login(self.contest_staff)
        data = contest_post(
            code="T1", name="改名后的测试赛", unit=self.city.pk, starts="2022-09-01"
        )
        for locked in (
            "trim_threshold",
            "frontline_pct",
            "researcher_pct",
            "first_prize_pct",
            "second_prize_pct",
            "third_prize_pct",
        ):
            data.pop(locked)  # a browser does not send disabled fields
        self.client.post(self.edit_url(), data)
        self.c.contest.refresh_from_db()
        self.assertEqual(self.c.contest.name, "改名后的测试赛")

    def test_nothing_changes_once_results_are_frozen(self):
        ResultSnapshot.objects.create(
            contest=self.c.contest, formula_version="2022.1", data={}, digest="0"
        )
        self.login(self.contest_staff)
        self.client.post(
            self.edit_url(),
            contest_post(code="T1", name="新名字", unit=self.city.pk, starts="2022-09-01"),
            follow=True,
        )
        self.c.contest.refresh_from_db()
        self.assertEqual(self.c.contest.name, "测试赛")
        self.assertContains(self.client.get(self.edit_url()), "成绩已定档")

    def test_staff_cannot_create_a_contest_for_a_unit_outside_their_scope(self):
        self.login(self.contest_staff)
        response = self.client.post(reverse("contest-create"), contest_post(unit=self.province.pk))
        self.assertContains(response, "选择一个有效的选项")
        self.assertFalse(Contest.objects.filter(code="NY2024").exists())

    def test_clerks_leaders_judges_and_anonymous_visitors_are_refused(self):
        urls = [
            reverse("contest-create"),
            self.edit_url(),
            reverse("contest-setup", args=[self.c.contest.pk]),
        ]
        for url in urls:
            self.assertEqual(self.client.get(url).status_code, 302, url)
        for user in (self.wancheng, self.leader, self.judge):
            self.login(user)
            for url in urls:
                self.assertEqual(self.client.get(url).status_code, 403, (user.username, url))
                self.assertEqual(
                    self.client.post(url, contest_post(unit=self.city.pk)).status_code, 403
                )
        self.assertFalse(Contest.objects.filter(code="NY2024").exists())

    def test_the_index_links_to_creating_a_contest_and_the_tabs_to_setup(self):
        self.login(self.contest_staff)
        self.assertContains(self.client.get(reverse("contest-index")), reverse("contest-create"))
        detail = self.client.get(reverse("contest-detail", args=[self.c.contest.pk]))
        for name in (
            "contest-setup",
            "contest-sites",
            "contest-topics",
            "contest-judge-roster",
            "contest-teachers",
        ):
            self.assertContains(detail, reverse(name, args=[self.c.contest.pk]))
