"""The read-only contest API: live standings hide names until released; results appear
with the public notice and come from the snapshot once frozen."""

from datetime import date
from decimal import Decimal

from baozheng.contest import publication, scoring
from baozheng.contest.models import ResultSnapshot
from baozheng.testing import BaozhengTestCase
from tests.contest.factory import SmallContest


class ContestApiTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.c = SmallContest(head=cls.contest_staff)
        for i, contestant in enumerate(cls.c.contestants):
            points = {cls.c.goal.pk: Decimal(10 - i), cls.c.process.pk: Decimal(5 - i)}
            for judge in cls.c.judges:
                scoring.submit_sheet(
                    judge, cls.c.session, contestant, points, f"k{judge.pk}-{contestant.pk}"
                )
        cls.standings_url = f"/api/v1/contest/venues/{cls.c.venue.pk}/standings"
        cls.results_url = f"/api/v1/contest/contests/{cls.c.contest.pk}/results"

    def test_anyone_reads_a_venues_standings_with_numbers_but_no_names(self):
        data = self.client.get(self.standings_url).json()
        first = data["divisions"][0]["rows"][0]
        self.assertEqual((first["rank"], first["number"], first["final"]), (1, "001", "15.00"))
        self.assertIsNone(first["name"])
        self.assertIsNone(first["school"])
        self.assertTrue(first["complete"])
        self.assertNotIn("甲", self.client.get(self.standings_url).content.decode())

    def test_names_appear_once_the_venue_head_released_them(self):
        self.c.venue.names_released = True
        self.c.venue.save()
        first = self.client.get(self.standings_url).json()["divisions"][0]["rows"][0]
        self.assertEqual((first["name"], first["school"]), ("甲", "瓦店一小"))

    def test_an_unknown_venue_is_not_found(self):
        self.assertEqual(
            self.client.get("/api/v1/contest/venues/999999/standings").status_code, 404
        )

    def test_results_are_not_published_before_the_public_notice(self):
        response = self.client.get(self.results_url)
        self.assertEqual(response.status_code, 404)
        self.assertIn("成绩尚未公布", response.json()["message"])

    def test_results_list_the_prize_winners_during_the_notice(self):
        publication.publish_notice(
            self.c.contest,
            date(2022, 10, 10),
            self.contest_staff,
            date(2022, 10, 10),
            None,
            "教研室",
        )
        data = self.client.get(self.results_url).json()
        self.assertFalse(data["frozen"])
        rows = data["divisions"][0]["rows"]
        self.assertEqual(
            rows[0],
            {
                "number": "001",
                "name": "甲",
                "school": "瓦店一小",
                "final": "15.00",
                "rank": 1,
                "prize": "二等奖",
            },
        )  # four contestants: no first prize at 10 %
        self.assertTrue(all(r["prize"] for r in rows))

    def test_frozen_results_come_from_the_snapshot(self):
        data = {
            "divisions": [
                {
                    "division": "语文",
                    "rows": [
                        {
                            "number": "001",
                            "name": "甲",
                            "school": "瓦店一小",
                            "final": "15.00",
                            "rank": 1,
                            "prize": "一等奖",
                        },
                        {
                            "number": "004",
                            "name": "丁",
                            "school": "宛城一高",
                            "final": "6.00",
                            "rank": 4,
                            "prize": "",
                        },
                    ],
                }
            ]
        }
        ResultSnapshot.objects.create(
            contest=self.c.contest, formula_version="2022.1", data=data, digest="abc"
        )
        body = self.client.get(self.results_url).json()
        self.assertEqual((body["frozen"], body["digest"]), (True, "abc"))
        self.assertEqual([r["number"] for r in body["divisions"][0]["rows"]], ["001"])
