"""Stages, divisions and rubrics with their items; a rubric locks at its first sheet."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

from baozheng.contest import scoring
from baozheng.contest.models import (
    Contest,
    Division,
    Rubric,
    RubricItem,
    SchoolStage,
    Stage,
    StageKind,
)
from baozheng.testing import BaozhengTestCase
from tests.contest.factory import SmallContest


def items_post(rows: list[dict], rubric: Rubric | None = None, name: str = "新标准") -> dict:
    existing = list(rubric.items.order_by("order", "pk")) if rubric else []
    data = {
        "name": name,
        "items-TOTAL_FORMS": len(rows),
        "items-INITIAL_FORMS": len(existing),
        "items-MIN_NUM_FORMS": 1,
        "items-MAX_NUM_FORMS": 1000,
    }
    for i, row in enumerate(rows):
        if i < len(existing):
            data[f"items-{i}-id"] = existing[i].pk
        for key, value in row.items():
            data[f"items-{i}-{key}"] = value
    return data


class StructureSetupPageTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.c = SmallContest(head=cls.contest_staff)
        cls.cid = cls.c.contest.pk

    def setUp(self):
        self.login(self.contest_staff)

    def submit_first_sheet(self):
        scoring.submit_sheet(
            self.c.frontline[0],
            self.c.session,
            self.c.contestants[0],
            {self.c.goal.pk: Decimal(8), self.c.process.pk: Decimal(4)},
            "k1",
        )

    def test_the_setup_page_lists_stages_divisions_and_rubric_items(self):
        response = self.client.get(reverse("contest-setup", args=[self.cid]))
        for text in ("市级决赛", "乡推市赛", "语文", "教学目标", "满分 15.0"):
            self.assertContains(response, text)

    def test_staff_add_a_stage_and_a_second_of_the_same_kind_is_refused(self):
        url = reverse("contest-stage-add", args=[self.cid])
        self.client.post(url, {"kind": StageKind.COUNTY_RECOMMENDED, "order": 2})
        self.assertTrue(
            Stage.objects.filter(contest=self.c.contest, kind=StageKind.COUNTY_RECOMMENDED).exists()
        )
        self.assertContains(
            self.client.post(url, {"kind": StageKind.CITY_FINAL, "order": 3}), "已有这个阶段"
        )

    def test_staff_add_a_division_and_a_duplicate_is_refused(self):
        url = reverse("contest-division-add", args=[self.cid])
        data = {
            "stage": self.c.stage.pk,
            "subject": "数学",
            "school_stage": SchoolStage.JUNIOR,
            "rubric": self.c.rubric.pk,
        }
        self.client.post(url, data)
        self.assertTrue(Division.objects.filter(contest=self.c.contest, subject="数学").exists())
        self.assertContains(self.client.post(url, data), "已有这个学科和学段的组别")

    def test_a_division_cannot_use_another_contests_stage(self):
        other = Contest.objects.create(
            code="T2",
            name="别的赛",
            unit=self.city,
            starts=date(2022, 9, 1),
            ends=date(2022, 12, 31),
        )
        other_stage = Stage.objects.create(contest=other, kind=StageKind.CITY_FINAL)
        response = self.client.post(
            reverse("contest-division-add", args=[self.cid]),
            {
                "stage": other_stage.pk,
                "subject": "数学",
                "school_stage": SchoolStage.JUNIOR,
                "rubric": self.c.rubric.pk,
            },
        )
        self.assertContains(response, "选择一个有效的选项")

    def test_staff_create_a_rubric_with_items(self):
        response = self.client.post(
            reverse("contest-rubric-add", args=[self.cid]),
            items_post(
                [
                    {"order": 1, "name": "教学目标", "max_points": "20", "step": "0.5"},
                    {"order": 2, "name": "特色加分", "max_points": "5", "step": "1"},
                ]
            ),
        )
        self.assertRedirects(response, reverse("contest-setup", args=[self.cid]))
        rubric = Rubric.objects.get(contest=self.c.contest, name="新标准")
        self.assertEqual(rubric.max_total, Decimal(25))

    def test_an_item_whose_maximum_is_not_a_whole_number_of_steps_is_refused(self):
        response = self.client.post(
            reverse("contest-rubric-add", args=[self.cid]),
            items_post([{"order": 1, "name": "教学目标", "max_points": "10", "step": "3"}]),
        )
        self.assertContains(response, "不是最小分值单位 3 的整数倍")
        self.assertFalse(Rubric.objects.filter(name="新标准").exists())

    def test_an_item_with_no_points_is_refused(self):
        response = self.client.post(
            reverse("contest-rubric-add", args=[self.cid]),
            items_post([{"order": 1, "name": "教学目标", "max_points": "0", "step": "0.5"}]),
        )
        self.assertContains(response, "满分必须大于 0")

    def test_a_rubric_needs_at_least_one_item(self):
        response = self.client.post(
            reverse("contest-rubric-add", args=[self.cid]),
            items_post([{"order": "", "name": "", "max_points": "", "step": ""}]),
        )
        self.assertFalse(Rubric.objects.filter(name="新标准").exists())
        self.assertEqual(response.status_code, 200)

    def test_rubric_items_change_before_the_first_sheet(self):
        url = reverse("contest-rubric-edit", args=[self.c.rubric.pk])
        self.client.post(
            url,
            items_post(
                [
                    {"order": 1, "name": "教学目标", "max_points": "20", "step": "0.5"},
                    {"order": 2, "name": "教学过程", "max_points": "5", "step": "1"},
                ],
                self.c.rubric,
                name="评分标准",
            ),
        )
        self.c.goal.refresh_from_db()
        self.assertEqual(self.c.goal.max_points, Decimal(20))

    def test_rubric_items_are_refused_with_the_reason_once_a_sheet_is_in(self):
        self.submit_first_sheet()
        url = reverse("contest-rubric-edit", args=[self.c.rubric.pk])
        self.assertContains(self.client.get(url), "已有评委提交评分表")
        response = self.client.post(
            url,
            items_post(
                [{"order": 1, "name": "教学目标", "max_points": "20", "step": "0.5"}],
                self.c.rubric,
                name="评分标准",
            ),
            follow=True,
        )
        self.assertContains(response, "改动满分或评分项会使评分表失效")
        self.c.goal.refresh_from_db()
        self.assertEqual(self.c.goal.max_points, Decimal(10))

    def test_a_division_with_sheets_cannot_switch_rubric(self):
        self.submit_first_sheet()
        other = Rubric.objects.create(contest=self.c.contest, name="另一标准")
        RubricItem.objects.create(rubric=other, name="总分", max_points=Decimal(100))
        self.client.post(
            reverse("contest-division-edit", args=[self.c.division.pk]),
            {
                "stage": self.c.stage.pk,
                "subject": "语文",
                "school_stage": SchoolStage.PRIMARY,
                "rubric": other.pk,
            },
        )
        self.c.division.refresh_from_db()
        self.assertEqual(self.c.division.rubric, self.c.rubric)

    def test_a_stage_in_use_is_not_deleted_but_an_unused_one_is(self):
        url = reverse("contest-setup-delete", args=["stage", self.c.stage.pk])
        self.assertContains(self.client.post(url, follow=True), "该阶段下还有组别")
        self.assertTrue(Stage.objects.filter(pk=self.c.stage.pk).exists())
        unused = Stage.objects.get(contest=self.c.contest, kind=StageKind.TOWNSHIP_RECOMMENDED)
        self.client.post(reverse("contest-setup-delete", args=["stage", unused.pk]))
        self.assertFalse(Stage.objects.filter(pk=unused.pk).exists())

    def test_an_unknown_kind_of_row_cannot_be_deleted(self):
        self.assertEqual(
            self.client.post(
                reverse("contest-setup-delete", args=["contest", self.cid])
            ).status_code,
            404,
        )
        self.assertTrue(Contest.objects.filter(pk=self.cid).exists())

    def test_clerks_leaders_judges_and_anonymous_visitors_are_refused(self):
        self.client.logout()
        urls = [
            reverse("contest-stage-add", args=[self.cid]),
            reverse("contest-division-edit", args=[self.c.division.pk]),
            reverse("contest-rubric-edit", args=[self.c.rubric.pk]),
            reverse("contest-setup-delete", args=["stage", self.c.stage.pk]),
        ]
        for url in urls:
            self.assertEqual(self.client.post(url).status_code, 302, url)
        for user in (self.wancheng, self.leader, self.judge):
            self.login(user)
            for url in urls:
                self.assertEqual(
                    self.client.post(url, {"kind": StageKind.COUNTY_RECOMMENDED}).status_code, 403
                )
        self.assertEqual(self.c.contest.stages.count(), 2)
