"""Putting contestants into sessions: an audited placement draw, the session page, the
contestant import's session column."""

from auditlog.models import LogEntry
from django.urls import reverse

from baozheng.contest import draw_service
from baozheng.contest.draw import DrawError
from baozheng.contest.importer import import_contestants
from baozheng.contest.models import Contestant, DrawKind, Nomination, Session
from baozheng.testing import BaozhengTestCase
from tests.contest.factory import SmallContest


class SessionPlacementTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.c = SmallContest(head=cls.contest_staff)
        s = cls.c.session
        cls.second = Session.objects.create(
            venue=s.venue,
            room=s.room,
            division=s.division,
            date=s.date,
            starts=s.ends,
            ends=s.ends.replace(hour=s.ends.hour + 2),
        )
        cls.new = [
            Contestant.objects.create(
                contest=cls.c.contest,
                division=cls.c.division,
                number=f"10{i}",
                name=f"新{i}",
                school=cls.c.units["LA"],
                nomination=Nomination.RECOMMENDED,
            )
            for i in range(5)
        ]

    def test_a_placement_draw_deals_the_unplaced_contestants_evenly_and_is_audited(self):
        candidates, params = draw_service.placement_candidates(self.c.division)
        self.assertEqual(candidates, ["100", "101", "102", "103", "104"])
        draw = draw_service.publish(
            self.c.contest,
            DrawKind.PLACEMENT,
            "场次安排",
            candidates,
            params,
            self.contest_staff,
            division=self.c.division,
        )
        with self.assertRaisesMessage(DrawError, "待进行的场次安排抽签"):
            draw_service.placement_candidates(self.c.division)
        draw = draw_service.run(draw, "5", "监督员", self.contest_staff)
        sizes = sorted(
            Contestant.objects.filter(number__startswith="10").values_list("session_id", flat=True)
        )
        self.assertEqual({sizes.count(self.c.session.pk), sizes.count(self.second.pk)}, {2, 3})
        self.assertTrue(LogEntry.objects.get_for_object(self.new[0]).exists())
        self.assertTrue(draw_service.verify(draw).ok)
        with self.assertRaisesMessage(DrawError, "没有待安排场次的选手"):
            draw_service.placement_candidates(self.c.division)

    def test_staff_place_contestants_on_the_session_page_and_others_cannot(self):
        url = reverse("contest-place-contestants", args=[self.second.pk])
        self.login(self.wancheng)
        self.assertEqual(self.client.post(url, {"contestants": [self.new[0].pk]}).status_code, 403)
        self.login(self.contest_staff)
        page = self.client.get(reverse("contest-session", args=[self.second.pk]))
        self.assertContains(page, "新0")
        self.client.post(url, {"contestants": [self.new[0].pk, self.c.contestants[0].pk]})
        self.new[0].refresh_from_db()
        self.c.contestants[0].refresh_from_db()
        self.assertEqual(self.new[0].session, self.second)
        self.assertEqual(self.c.contestants[0].session, self.c.session)  # already placed

    def test_the_import_session_column_places_contestants_and_refuses_a_wrong_session(self):
        header = "参赛编号,姓名,学校,比赛阶段,学段,学科,推选方式,场次编号\n"
        good = header + f"100,新0,石桥一小,市级决赛,小学,语文,推荐,{self.second.pk}\n"
        report = import_contestants(self.c.contest, good.encode(), "a.csv")
        self.assertFalse(report.errors)
        self.new[0].refresh_from_db()
        self.assertEqual(self.new[0].session, self.second)
        bad = header + "101,新1,石桥一小,市级决赛,小学,语文,推荐,999999\n"
        report = import_contestants(self.c.contest, bad.encode(), "a.csv")
        self.assertIn("没有编号为 999999 的场次", str(report.errors[0]))
        self.new[1].refresh_from_db()
        self.assertIsNone(self.new[1].session)
