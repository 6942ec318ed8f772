"""The contest's standings read in one pass: the same rows as division by division, in a
fixed number of queries however many divisions the contest has."""

from decimal import Decimal

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
