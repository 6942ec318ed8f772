"""Who may open which contest page; the public leaderboard and its name release."""

import io
from decimal import Decimal

from django.urls import reverse
from openpyxl import load_workbook

from baozheng.contest import scoring
from baozheng.org.models import Unit
from baozheng.testing import BaozhengTestCase
from tests.contest.factory import SmallContest
from tests.lib.test_workbook_print import assert_prints


class PageTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.c = SmallContest(head=cls.contest_staff)
        points = {cls.c.goal.pk: Decimal(8), cls.c.process.pk: Decimal(4)}
        for judge in cls.c.judges:
            scoring.submit_sheet(judge, cls.c.session, cls.c.contestants[0], points, f"k{judge.pk}")

    def staff_urls(self):
        c = self.c
        cid = c.contest.pk
        return [
            reverse("contest-index"),
            reverse("contest-detail", args=[cid]),
            reverse("contest-import", args=[cid]),
            reverse("contest-judges", args=[cid]),
            reverse("contest-session", args=[c.session.pk]),
            reverse("contest-session-qr", args=[c.session.pk]),
            reverse("contest-venue", args=[c.venue.pk]),
            reverse("contest-draws", args=[cid]),
            reverse("contest-results", args=[cid]),
            reverse("contest-normalisation", args=[cid]),
            reverse("contest-rollup", args=[cid]),
            reverse("contest-export", args=[cid, "scores", "xlsx"]),
            reverse("contest-export", args=[cid, "prizes", "docx"]),
            reverse("contest-export", args=[cid, "certificates", "xlsx"]),
            *self.setup_urls(),
        ]

    def setup_urls(self):
        c = self.c
        cid = c.contest.pk
        return [
            reverse("contest-create"),
            reverse("contest-edit", args=[cid]),
            reverse("contest-setup", args=[cid]),
            reverse("contest-stage-edit", args=[c.stage.pk]),
            reverse("contest-division-edit", args=[c.division.pk]),
            reverse("contest-rubric-add", args=[cid]),
            reverse("contest-rubric-edit", args=[c.rubric.pk]),
            reverse("contest-sites", args=[cid]),
            reverse("contest-zone-edit", args=[c.venue.zone_id]),
            reverse("contest-venue-add", args=[cid]),
            reverse("contest-venue-setup", args=[c.venue.pk]),
            reverse("contest-room-edit", args=[c.session.room_id]),
            reverse("contest-session-add", args=[c.venue.pk]),
            reverse("contest-session-edit", args=[c.session.pk]),
            reverse("contest-topics", args=[cid]),
            reverse("contest-topic-edit", args=[c.contest.topics.first().pk]),
            reverse("contest-judge-roster", args=[cid]),
            reverse("contest-judge-edit", args=[c.judges[0].pk]),
            reverse("contest-teachers", args=[cid]),
        ]

    def test_contest_staff_open_every_staff_page(self):
        self.login(self.contest_staff)
        for url in self.staff_urls():
            self.assertEqual(self.client.get(url).status_code, 200, url)

    def test_anonymous_visitors_are_sent_to_login(self):
        for url in self.staff_urls():
            self.assertEqual(self.client.get(url).status_code, 302, url)

    def test_clerks_judges_and_leaders_are_refused_staff_pages(self):
        for user in (self.wancheng, self.judge, self.leader, self.dept):
            self.login(user)
            for url in self.staff_urls():
                self.assertEqual(self.client.get(url).status_code, 403, (user.username, url))

    def test_staff_scoped_to_another_city_are_refused(self):
        self.contest_staff.scope.set([Unit.objects.get(code="410100")])
        self.login(self.contest_staff)
        self.assertEqual(
            self.client.get(reverse("contest-detail", args=[self.c.contest.pk])).status_code, 403
        )
        self.assertNotContains(self.client.get(reverse("contest-index")), "测试赛")

    def test_the_results_page_shows_the_formula_version(self):
        self.login(self.contest_staff)
        self.assertContains(
            self.client.get(reverse("contest-results", args=[self.c.contest.pk])),
            "评分公式版本 <strong>2022.1",
        )

    def test_the_public_leaderboard_shows_numbers_not_names_until_released(self):
        url = reverse("contest-board", args=[self.c.venue.pk])
        response = self.client.get(url)
        self.assertContains(response, "001 号")
        self.assertContains(response, "12.00")
        self.assertNotContains(response, "瓦店一小")
        self.login(self.contest_staff)
        self.client.post(reverse("contest-release-names", args=[self.c.venue.pk]), {"release": "1"})
        self.client.logout()
        self.assertContains(self.client.get(url), "瓦店一小")

    def test_only_the_venue_head_releases_names(self):
        self.c.venue.head = self.admin
        self.c.venue.save()
        self.login(self.contest_staff)
        self.client.post(reverse("contest-release-names", args=[self.c.venue.pk]), {"release": "1"})
        self.c.venue.refresh_from_db()
        self.assertFalse(self.c.venue.names_released)

    def test_the_scores_json_matches_the_formula(self):
        data = self.client.get(reverse("contest-board-scores", args=[self.c.venue.pk])).json()
        rows = data["divisions"][str(self.c.division.pk)]
        self.assertEqual(
            rows[0],
            {"number": "001", "final": "12.00", "sheets": 7, "expected": 7, "state": "", "rank": 1},
        )

    def test_exports_are_real_office_files(self):
        self.login(self.contest_staff)
        xlsx = self.client.get(
            reverse("contest-export", args=[self.c.contest.pk, "prizes", "xlsx"])
        )
        self.assertEqual(xlsx.content[:2], b"PK")
        self.assertIn("attachment", xlsx["Content-Disposition"])
        # Every contest workbook prints; the header row follows the subtitle when there is one.
        for kind, header in (("scores", "$3:$3"), ("prizes", "$3:$3"), ("certificates", "$2:$2")):
            data = self.client.get(
                reverse("contest-export", args=[self.c.contest.pk, kind, "xlsx"])
            )
            for sheet in load_workbook(io.BytesIO(data.content)).worksheets:
                assert_prints(self, sheet, header)
                self.assertNotRegex(sheet.title, "[A-Za-z]")  # Chinese sheet names
        missing = self.client.get(
            reverse("contest-export", args=[self.c.contest.pk, "secret", "pdf"])
        )
        self.assertEqual(missing.status_code, 404)
