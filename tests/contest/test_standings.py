"""The contest's standings read in one pass: the same rows as division by division, in a
fixed number of queries however many divisions the contest has; the results page formats
their cells in the view, not number by number in the template."""

from decimal import Decimal
from unittest import mock

from django.urls import reverse
from django.utils import formats

from baozheng.contest import scoring
from baozheng.contest.models import Contestant, Division, Nomination, SchoolStage
from baozheng.contest.standings import contest_standings, division_standings
from baozheng.testing import BaozhengTestCase
from tests.contest.factory import SmallContest


class ContestStandingsTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.c = c = SmallContest(head=cls.contest_staff)
        for i, contestant in enumerate(c.contestants[:3]):
            points = {c.goal.pk: Decimal(6 + i), c.process.pk: Decimal(4)}
            for judge in c.judges:
                scoring.submit_sheet(judge, c.session, contestant, points, f"k{judge.pk}-{i}")
        cls.maths = [
            Division.objects.create(
                contest=c.contest,
                stage=c.stage,
                subject=subject,
                school_stage=SchoolStage.PRIMARY,
                rubric=c.rubric,
            )
            for subject in ("数学", "英语")
        ]
        for i in range(2):  # 英语 has no contestant
            Contestant.objects.create(
                contest=c.contest,
                division=cls.maths[0],
                number=f"10{i}",
                name=f"数{i}",
                school=c.units["WB"],
                nomination=Nomination.RECOMMENDED,
            )

    def test_every_division_with_contestants_in_five_queries(self):
        with self.assertNumQueries(5):  # divisions, contestants, sheet totals, seats, absences
            found = contest_standings(self.c.contest)
        self.assertEqual(list(found), [self.maths[0], self.c.division])  # by subject
        for division, rows in found.items():
            alone = division_standings(division)
            self.assertEqual(
                [
                    (s.contestant.number, s.rank, s.prize, s.final, s.sheets, s.expected)
                    for s in rows
                ],
                [
                    (s.contestant.number, s.rank, s.prize, s.final, s.sheets, s.expected)
                    for s in alone
                ],
            )
        ranked = [s.contestant.number for s in found[self.c.division] if s.rank]
        self.assertEqual(ranked, ["003", "002", "001"])

    def test_the_results_table_localises_no_number_in_the_template(self):
        """The page's localised numbers (its rules, the menu's counts) do not grow by row."""
        self.login(self.contest_staff)
        url = reverse("contest-results", args=[self.c.contest.pk])
        counts = []
        for extra in ("102", "103"):
            with mock.patch.object(formats, "number_format", wraps=formats.number_format) as spy:
                page = self.client.get(url)
            counts.append(spy.call_count)
            Contestant.objects.create(
                contest=self.c.contest,
                division=self.maths[0],
                number=extra,
                name="新增",
                school=self.c.units["WB"],
                nomination=Nomination.RECOMMENDED,
            )
        self.assertContains(page, '<td class="num">1</td><td>003</td>', html=False)
        self.assertContains(
            page, '<strong>12.00</strong></td><td class="num">7/7</td><td>二等奖</td>', html=False
        )
        self.assertContains(page, '<td class="num">评分中</td><td>102</td>', html=False)
        self.assertEqual(counts[0], counts[1])
