"""Two staff doing the same contest step at the same moment, on two PostgreSQL connections
(`held_open`): the second waits for the first and then sees it, so nothing is doubled,
nothing is lost and nobody gets a server error."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import TransactionTestCase
from django.utils import timezone

from baozheng.contest import (
    assignment,
    draw_service,
    panels,
    paper,
    promotion,
    publication,
    scoring,
)
from baozheng.contest.draw import DrawError
from baozheng.contest.models import (
    Correction,
    Draw,
    DrawKind,
    JudgeAbsence,
    PanelSeat,
    PaperEntry,
    ScoreSheet,
    Stage,
)
from baozheng.contest.scoring import ScoringError
from baozheng.org import demo
from tests.contest.factory import SmallContest
from tests.contest.test_integrity import second_staff
from tests.interleave import held_open


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need two connections")
class ContestStepsAtOnceTests(TransactionTestCase):
    def setUp(self) -> None:
        demo.create_units()
        self.staff = demo.create_users(password="test-password-123")["contest"]
        self.c = SmallContest(head=self.staff)

    def points(self, goal: int = 8) -> dict[int, Decimal]:
        return {self.c.goal.pk: Decimal(goal), self.c.process.pk: Decimal(4)}

    def test_two_simultaneous_paper_entries_are_compared_and_the_sheet_counts(self):
        clerk = second_staff(self.c.contest.unit)
        raw = {f"item-{self.c.goal.pk}": "8.5", f"item-{self.c.process.pk}": "4"}

        def enter(user):
            judge, contestant = self.c.judges[0], self.c.contestants[0]
            return lambda: paper.enter(self.c.session, judge, contestant, raw, user)

        first, second = held_open(enter(self.staff), enter(clerk))
        self.assertFalse(first.stored)
        self.assertTrue(second.stored, second)  # was: both "first" entries, never compared
        self.assertEqual(PaperEntry.objects.count(), 2)
        self.assertEqual(str(ScoreSheet.objects.get().total()), "12.5")

    def test_a_promotion_confirmed_twice_at_once_creates_each_entry_once(self):
        for i, contestant in enumerate(self.c.contestants):
            for judge in self.c.judges:
                scoring.submit_sheet(
                    judge, self.c.session, contestant, self.points(6 + i), f"{judge.pk}-{i}"
                )
        start = timezone.localdate() - timedelta(days=30)
        publication.publish_notice(self.c.contest, start, self.staff, start, self.c.stage, "教研室")
        target = Stage.objects.get(contest=self.c.contest, kind="township_recommended")
        picks = promotion.preview(self.c.contest, self.c.stage, target, "top", Decimal(1), "county")

        def confirm():
            return promotion.confirm(self.c.contest, target, picks, self.staff)

        first, second = held_open(confirm, confirm)
        self.assertEqual((first, second), (len(picks), 0))  # was: IntegrityError (a 500)
        promoted = self.c.contest.contestants.filter(promoted_from__isnull=False)
        self.assertEqual(promoted.count(), len(picks))

    def test_a_session_draw_published_twice_at_once_is_published_once(self):
        def publish():
            return self.c.publish_draw(DrawKind.ORDER, self.staff)

        first, second = held_open(publish, publish)
        self.assertIsInstance(first, Draw)
        self.assertIsInstance(second, DrawError)  # was: two valid draws for one session
        self.assertIn("本场次已有", str(second))
        self.assertEqual(Draw.objects.count(), 1)
        self.assertIs(draw_service.valid_draw(self.c.session, DrawKind.ORDER).pk, first.pk)

    def test_a_score_correction_requested_twice_at_once_is_pending_once(self):
        scoring.submit_sheet(
            self.c.judges[0], self.c.session, self.c.contestants[0], self.points(), "k1"
        )
        sheet = ScoreSheet.objects.get()

        def request():
            return scoring.request_correction(sheet, self.points(goal=7), "录入有误")

        first, second = held_open(request, request)
        self.assertIsInstance(first, Correction)
        self.assertIsInstance(second, ScoringError)  # was: two pending corrections
        self.assertEqual(Correction.objects.count(), 1)

    def test_a_judge_absence_recorded_twice_at_once_is_recorded_once(self):
        judge = self.c.judges[0]

        def record():
            return panels.record_judge_absence(self.c.session, judge.pk, "病假", self.staff)

        first, second = held_open(record, record)
        self.assertIsInstance(first, JudgeAbsence)
        self.assertIsInstance(second, ScoringError)  # was: IntegrityError (a 500)
        self.assertIn("已记录该评委缺席", str(second))

    def test_panels_filled_twice_at_once_seat_each_judge_once(self):
        PanelSeat.objects.all().delete()

        def fill():
            return assignment.auto_assign(self.c.contest)[0]

        first, second = held_open(fill, fill)
        self.assertEqual(second, first)  # was: IntegrityError (a 500)
        self.assertEqual(PanelSeat.objects.count(), first)

    def test_a_judge_seated_by_hand_while_panels_are_filled_is_seated_once(self):
        assignment.auto_assign(self.c.contest)
        judge = PanelSeat.objects.filter(session=self.c.session).first().judge
        PanelSeat.objects.all().delete()

        def seat():
            return assignment.override(self.c.session, judge, True, "指定", self.staff)

        def fill():
            return assignment.auto_assign(self.c.contest)[0]

        _, filled = held_open(seat, fill)
        self.assertIsInstance(filled, int)  # was: IntegrityError (a 500)
        self.assertEqual(PanelSeat.objects.filter(judge=judge).count(), 1)

    def test_a_correction_approved_and_rejected_at_once_is_decided_once(self):
        scoring.submit_sheet(
            self.c.judges[0], self.c.session, self.c.contestants[0], self.points(), "k1"
        )
        correction = scoring.request_correction(
            ScoreSheet.objects.get(), self.points(goal=7), "录入有误"
        )

        def decide(approve):
            def act():  # each request reads the correction as its page showed it: pending
                shown = Correction.objects.get(pk=correction.pk)
                return scoring.decide_correction(shown, self.staff, approve, "已核")

            return act

        _, second = held_open(decide(True), decide(False))
        self.assertIsInstance(second, ScoringError)  # was: approved, then overwritten as rejected
        correction.refresh_from_db()
        self.assertEqual(correction.status, "approved")
