"""The later of two staff saving the same contest key gets the page back with the reason
(interleaved on one connection: the other's row appears between check and write)."""

from django.urls import reverse

from baozheng.contest.classes import TeachingClassForm, class_code
from baozheng.contest.forms import ContestForm, StageForm, TopicForm
from baozheng.contest.models import (
    Contest,
    SchoolStage,
    Stage,
    StageKind,
    TeachingClass,
    Topic,
)
from baozheng.testing import BaozhengTestCase
from tests.contest.factory import SmallContest
from tests.contest.test_setup_contest_pages import contest_post
from tests.interleave import after


class SavedMeanwhileTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.c = SmallContest(head=cls.contest_staff)

    def setUp(self):
        self.login(self.contest_staff)

    def test_a_contest_code_taken_meanwhile_is_refused_as_taken(self):
        other = lambda: Contest.objects.create(  # noqa: E731
            code="NY2024", name="他人的赛事", unit=self.city, starts="2024-09-01", ends="2024-12-31"
        )
        with after(ContestForm, "is_valid", other):
            response = self.client.post(reverse("contest-create"), contest_post(unit=self.city.pk))
        self.assertContains(response, "具有 编码 的 赛事 已存在")
        self.assertEqual(Contest.objects.get(code="NY2024").name, "他人的赛事")

    def test_a_stage_added_meanwhile_is_refused_as_added(self):
        kind = StageKind.COUNTY_RECOMMENDED
        other = lambda: Stage.objects.create(contest=self.c.contest, kind=kind, order=5)  # noqa: E731
        with after(StageForm, "is_valid", other):
            response = self.client.post(
                reverse("contest-stage-add", args=[self.c.contest.pk]), {"kind": kind, "order": 2}
            )
        self.assertContains(response, "本赛事已有这个阶段")
        self.assertEqual(Stage.objects.get(contest=self.c.contest, kind=kind).order, 5)

    def test_a_topic_added_meanwhile_to_the_list_is_refused_as_added(self):
        other = lambda: Topic.objects.create(  # noqa: E731
            contest=self.c.contest,
            code="YW99",
            subject="语文",
            school_stage="primary",
            title="他人",
        )
        data = {
            "form": "add",
            "code": "YW99",
            "subject": "语文",
            "school_stage": SchoolStage.PRIMARY,
            "title": "荷花",
        }
        with after(TopicForm, "is_valid", other):
            response = self.client.post(reverse("contest-topics", args=[self.c.contest.pk]), data)
        self.assertContains(response, "题库中已有这个题目编号")
        self.assertEqual(Topic.objects.get(contest=self.c.contest, code="YW99").title, "他人")

    def test_a_class_registered_meanwhile_is_refused_as_registered(self):
        school = self.c.units["LA"]
        other = lambda: TeachingClass.objects.create(  # noqa: E731
            venue=self.c.venue,
            school=school,
            school_stage="junior",
            grade=7,
            name="初一（5）班",
            size=40,
            code=class_code(school, "初一（5）班"),
        )
        data = {
            "form": "add",
            "school": school.pk,
            "school_stage": "junior",
            "grade": "7",
            "subject": "",
            "name": "初一（5）班",
            "size": "45",
        }
        with after(TeachingClassForm, "is_valid", other):
            response = self.client.post(reverse("contest-classes", args=[self.c.venue.pk]), data)
        self.assertContains(response, f"{school.name}初一（5）班 已登记")
        self.assertEqual(TeachingClass.objects.get(name="初一（5）班").size, 40)
