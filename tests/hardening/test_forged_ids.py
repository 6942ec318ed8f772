"""A forged id in a form (a select or a checkbox edited in the browser, a script) is refused
or matches nothing: it reached `pk=` lookups raw, and "x" or a number beyond any key made
the database layer raise, a server error, or the draw page showed Python's English text."""

from __future__ import annotations

from django.urls import reverse

from baozheng.contest.models import Contestant, JudgeAbsence, Notice, SchoolTeachers
from baozheng.testing import BaozhengTestCase
from tests.contest.factory import SmallContest

FORGED = ["x", "1.5", "-3", "99999999999999999999", "１２", ""]


class ForgedIdTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.c = SmallContest(head=cls.contest_staff)

    def assert_no_server_error(self, url: str, data: dict, field: str) -> list:
        answers = []
        for value in FORGED:
            response = self.client.post(url, data | {field: value}, follow=True)
            with self.subTest(url=url, field=field, value=value):
                self.assertIn(response.status_code, (200, 404))
                self.assertNotIn("expected a number", response.content.decode())
                self.assertNotIn("invalid literal", response.content.decode())
            answers.append(response)
        return answers

    def test_contest_staff_forms_refuse_forged_ids(self):
        self.login(self.contest_staff)
        c = self.c
        session = c.session.pk
        draws = reverse("contest-draws", args=[c.contest.pk])
        for kind, field in (("order", "session"), ("placement", "division")):
            self.assert_no_server_error(draws, {"kind": kind}, field)
        roster = {"kind": "sampling", "roster": "001 张三\n002 李四", "count": "1"}
        self.assert_no_server_error(draws, roster, "township")
        township = c.units["WZ"].pk
        for response in self.assert_no_server_error(
            draws, roster | {"township": township}, "count"
        ):
            self.assertContains(response, "抽取数量必须是正整数")
        notice = reverse("contest-publish-notice", args=[c.contest.pk])
        self.assert_no_server_error(notice, {"starts": "2022-12-01"}, "stage")
        self.assert_no_server_error(notice, {"starts": "2022-12-01"}, "divisions")
        self.assertFalse(Notice.objects.exists())
        paper = reverse("contest-paper-entry", args=[session])
        self.assert_no_server_error(paper, {"contestant": c.contestants[0].pk}, "judge")
        self.assert_no_server_error(paper, {"judge": c.judges[0].pk}, "contestant")
        discard = reverse("contest-paper-discard", args=[session])
        self.assert_no_server_error(discard, {"contestant": c.contestants[0].pk}, "judge")
        override = reverse("contest-panel-override", args=[session])
        self.assert_no_server_error(override, {}, "judge")
        absence = reverse("contest-judge-absence", args=[session])
        for response in self.assert_no_server_error(absence, {"reason": "病假"}, "judge"):
            self.assertContains(response, "请选择评委")
        self.assertFalse(JudgeAbsence.objects.exists())
        place = reverse("contest-place-contestants", args=[session])
        self.assert_no_server_error(place, {}, "contestants")
        self.assertEqual(Contestant.objects.filter(session=c.session).count(), 4)
        teachers = reverse("contest-teachers", args=[c.contest.pk])
        before = list(SchoolTeachers.objects.values_list("school", "teachers"))
        self.assert_no_server_error(teachers, {"teachers": "10"}, "school")
        self.assertEqual(list(SchoolTeachers.objects.values_list("school", "teachers")), before)
        for value in FORGED:
            self.assertEqual(self.client.get(teachers, {"school": value}).status_code, 200)

    def test_the_review_page_refuses_forged_figure_ids(self):
        self.login(self.dispatch)
        url = reverse("monitor-review-action")
        for response in self.assert_no_server_error(url, {"action": "approve"}, "obs"):
            self.assertContains(response, "请先勾选要处理的数据")
