"""Gates that make results survive the first objection: final draws and audited re-draws,
ranks only for complete panels, judge absences and 缺考, borrowed classes by school stage."""

from decimal import Decimal

from auditlog.models import LogEntry
from django.urls import reverse

from baozheng.contest import draw_service, panels, scoring
from baozheng.contest.draw import DrawError
from baozheng.contest.models import Draw, DrawKind, JudgeAbsence, ScoreSheet
from baozheng.contest.scoring import ScoringError
from baozheng.contest.standings import venue_board
from baozheng.org.models import User
from baozheng.org.roles import Role
from baozheng.testing import BaozhengTestCase
from tests.contest.factory import SmallContest


def second_staff(city) -> User:
    user = User.objects.create_user(username="contest2", password="x-password-123")
    user.role, user.unit = Role.CONTEST_STAFF, city
    user.save()
    user.scope.set([city])
    return user


class IntegrityCase(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.c = SmallContest(head=cls.contest_staff)
        cls.other_staff = second_staff(cls.city)

    def publish(self, kind=DrawKind.ORDER):
        return self.c.publish_draw(kind, self.contest_staff)

    def score(self, judge, contestant, goal="8", process="4", key=None):
        points = {self.c.goal.pk: Decimal(goal), self.c.process.pk: Decimal(process)}
        return scoring.submit_sheet(
            judge, self.c.session, contestant, points, key or f"{judge.pk}-{contestant.pk}"
        )


class DrawLockTests(IntegrityCase):
    def test_a_second_draw_of_the_same_kind_for_a_session_is_refused(self):
        draw_service.run(self.publish(), "1", "监督员", self.contest_staff)
        with self.assertRaisesMessage(DrawError, "抽签结果为最终结果"):
            self.publish()
        self.assertEqual(Draw.objects.filter(kind=DrawKind.ORDER).count(), 1)

    def test_a_pending_draw_also_blocks_a_second_commitment(self):
        self.publish()
        with self.assertRaisesMessage(DrawError, "待抽签"):
            self.publish()

    def test_the_draws_page_refuses_a_second_draw_with_a_chinese_reason(self):
        draw_service.run(self.publish(), "1", "监督员", self.contest_staff)
        self.login(self.contest_staff)
        response = self.client.post(
            reverse("contest-draws", args=[self.c.contest.pk]),
            {"kind": "order", "session": self.c.session.pk},
            follow=True,
        )
        self.assertContains(response, "抽签结果为最终结果")
        self.assertEqual(Draw.objects.count(), 1)

    def test_a_redraw_needs_the_venue_head_and_a_reason(self):
        draw = draw_service.run(self.publish(), "1", "监督员", self.contest_staff)
        with self.assertRaisesMessage(DrawError, "赛点负责人"):
            draw_service.redraw(draw, "见证人未到场", False, self.other_staff)
        with self.assertRaisesMessage(DrawError, "理由"):
            draw_service.redraw(draw, "  ", False, self.contest_staff)
        draw.refresh_from_db()
        self.assertFalse(draw.voided)

    def test_a_redraw_reason_over_its_column_voids_nothing(self):
        old = draw_service.run(self.publish(), "1", "监督员", self.contest_staff)
        with self.assertRaisesMessage(DrawError, "重新抽签理由超过 300 字（301 字）"):
            draw_service.redraw(old, "重" * 301, False, self.contest_staff)
        self.login(self.contest_staff)
        page = self.client.get(reverse("contest-draw-public", args=[old.pk]))
        self.assertContains(page, 'name="reason" required maxlength="300"')
        url = reverse("contest-redraw", args=[old.pk])
        response = self.client.post(url, {"reason": "重" * 301}, follow=True)
        self.assertContains(response, "重新抽签理由超过 300 字（301 字），请删减后重新提交")
        old.refresh_from_db()
        self.assertEqual((old.voided, Draw.objects.count()), (False, 1))
        self.client.post(url, {"reason": "重" * 300})
        old.refresh_from_db()
        self.assertEqual(
            (old.void_reason, old.superseded_by.redraw_reason), ("重" * 300, "重" * 300)
        )

    def test_an_approved_redraw_voids_the_old_draw_and_publishes_a_new_commitment(self):
        old = draw_service.run(self.publish(), "1", "监督员", self.contest_staff)
        new = draw_service.redraw(old, "见证人未按规定到场", False, self.contest_staff)
        old.refresh_from_db()
        self.assertTrue(old.voided)
        self.assertEqual(old.void_reason, "见证人未按规定到场")
        self.assertEqual(new.supersedes, old)
        self.assertEqual(new.approved_by, self.contest_staff)
        self.assertFalse(new.has_run)
        self.assertNotEqual(new.commitment, old.commitment)
        page = self.client.get(reverse("contest-draw-public", args=[old.pk]))
        self.assertContains(page, "已作废")
        self.assertContains(page, "见证人未按规定到场")
        with self.assertRaisesMessage(DrawError, "已作废"):
            draw_service.run(old, "2", "监督员", self.contest_staff)
        self.assertTrue(LogEntry.objects.get_for_object(old).filter(action=1).exists())

    def test_a_scored_session_refuses_a_redraw_unless_the_scores_are_voided(self):
        old = draw_service.run(self.publish(), "1", "监督员", self.contest_staff)
        self.score(self.c.judges[0], self.c.contestants[0])
        appearance = {c.pk: c.appearance for c in self.c.session.contestants.all()}
        with self.assertRaisesMessage(DrawError, "已有 1 张评分表"):
            draw_service.redraw(old, "顺序表打印错误", False, self.contest_staff)
        old.refresh_from_db()
        self.assertFalse(old.voided)
        self.assertEqual(ScoreSheet.objects.count(), 1)
        self.assertEqual(appearance, {c.pk: c.appearance for c in self.c.session.contestants.all()})
        draw_service.redraw(old, "顺序表打印错误", True, self.contest_staff)
        old.refresh_from_db()
        self.assertEqual(ScoreSheet.objects.count(), 0)
        self.assertEqual(old.voided_scores[0]["contestant"], "001")
        self.assertEqual(old.voided_scores[0]["points"], {"教学目标": "8.0", "教学过程": "4.0"})

    def test_the_redraw_view_refuses_staff_who_are_not_the_venue_head(self):
        old = draw_service.run(self.publish(), "1", "监督员", self.contest_staff)
        self.login(self.other_staff)
        response = self.client.post(
            reverse("contest-redraw", args=[old.pk]), {"reason": "想换"}, follow=True
        )
        self.assertContains(response, "须由本赛点负责人批准")
        self.assertEqual(Draw.objects.count(), 1)
        self.login(self.wancheng)
        self.assertEqual(
            self.client.post(reverse("contest-redraw", args=[old.pk]), {"reason": "x"}).status_code,
            403,
        )
        self.login(self.contest_staff)
        response = self.client.post(
            reverse("contest-redraw", args=[old.pk]), {"reason": "设备故障"}, follow=True
        )
        self.assertContains(response, "原抽签已作废")
        self.assertEqual(Draw.objects.filter(voided_at__isnull=True).count(), 1)


class CompletePanelTests(IntegrityCase):
    def test_one_sheet_of_seven_shows_scoring_in_progress_and_no_rank(self):
        self.score(self.c.judges[0], self.c.contestants[0], goal="10", process="5")
        rows = {s.contestant.number: s for s in venue_board(self.c.venue, self.c.division)}
        self.assertIsNone(rows["001"].rank)
        self.assertEqual(rows["001"].state, "评分中")
        board = self.client.get(reverse("contest-board", args=[self.c.venue.pk]))
        self.assertContains(board, "已交 1/7")
        self.assertNotContains(board, "15.00")
        data = self.client.get(reverse("contest-board-scores", args=[self.c.venue.pk])).json()
        row = data["divisions"][str(self.c.division.pk)][0]
        self.assertEqual((row["rank"], row["final"], row["state"]), (None, None, "评分中"))
        api = self.client.get(f"/api/v1/contest/venues/{self.c.venue.pk}/standings").json()
        first = api["divisions"][0]["rows"][0]
        self.assertEqual((first["rank"], first["final"], first["frontline"]), (None, None, None))

    def test_a_full_panel_is_ranked(self):
        for judge in self.c.judges:
            self.score(judge, self.c.contestants[0])
        rows = {s.contestant.number: s for s in venue_board(self.c.venue, self.c.division)}
        self.assertEqual(rows["001"].rank, 1)
        self.assertEqual(rows["001"].final, Decimal("12.00"))
        self.assertIsNone(rows["002"].rank)

    def test_a_recorded_judge_absence_completes_the_panel_with_the_sheets_present(self):
        absent = self.c.judges[-1]
        for judge in self.c.judges[:-1]:
            self.score(judge, self.c.contestants[0])
        before = {s.contestant.number: s for s in venue_board(self.c.venue, self.c.division)}
        self.assertEqual((before["001"].rank, before["001"].state), (None, "评分中"))
        panels.record_judge_absence(self.c.session, absent.pk, "突发疾病离场", self.contest_staff)
        rows = {s.contestant.number: s for s in venue_board(self.c.venue, self.c.division)}
        self.assertEqual((rows["001"].rank, rows["001"].expected), (1, 6))

    def test_only_the_venue_head_records_an_absence_with_a_reason(self):
        judge = self.c.judges[0]
        with self.assertRaisesMessage(ScoringError, "赛点负责人"):
            panels.record_judge_absence(self.c.session, judge.pk, "病假", self.other_staff)
        with self.assertRaisesMessage(ScoringError, "原因"):
            panels.record_judge_absence(self.c.session, judge.pk, " ", self.contest_staff)
        self.assertFalse(JudgeAbsence.objects.exists())
        self.login(self.other_staff)
        response = self.client.post(
            reverse("contest-judge-absence", args=[self.c.session.pk]),
            {"judge": judge.pk, "reason": "病假"},
            follow=True,
        )
        self.assertContains(response, "只有本赛点负责人")
        self.login(self.contest_staff)
        self.client.post(
            reverse("contest-judge-absence", args=[self.c.session.pk]),
            {"judge": judge.pk, "reason": "病假"},
        )
        self.assertTrue(JudgeAbsence.objects.filter(judge=judge, reason="病假").exists())

    def test_an_absence_reason_over_its_column_records_nothing(self):
        judge, contestant = self.c.judges[0], self.c.contestants[3]
        with self.assertRaisesMessage(ScoringError, "缺席原因超过 200 字（201 字）"):
            panels.record_judge_absence(self.c.session, judge.pk, "病" * 201, self.contest_staff)
        with self.assertRaisesMessage(ScoringError, "缺考原因超过 200 字（201 字）"):
            panels.record_contestant_absent(contestant, "病" * 201, self.contest_staff)
        self.login(self.contest_staff)
        page = self.client.get(reverse("contest-session", args=[self.c.session.pk]))
        self.assertContains(page, 'name="reason" required maxlength="200"', count=6)  # 4 + 2 forms
        absence_url = reverse("contest-judge-absence", args=[self.c.session.pk])
        absent_url = reverse("contest-contestant-absent", args=[contestant.pk])
        for url, data, label in (
            (absence_url, {"judge": judge.pk}, "缺席原因"),
            (absent_url, {}, "缺考原因"),
        ):
            response = self.client.post(url, data | {"reason": "病" * 201}, follow=True)
            self.assertContains(response, f"{label}超过 200 字（201 字），请删减后重新提交")
        contestant.refresh_from_db()
        self.assertEqual((JudgeAbsence.objects.count(), contestant.absent_reason), (0, ""))
        self.client.post(absence_url, {"judge": judge.pk, "reason": "病" * 200})
        self.client.post(absent_url, {"reason": "病" * 200})
        contestant.refresh_from_db()
        self.assertEqual(JudgeAbsence.objects.get().reason, "病" * 200)
        self.assertEqual(contestant.absent_reason, "病" * 200)

    def test_a_contestant_absent_is_not_ranked_and_not_drawn(self):
        absent = self.c.contestants[3]
        panels.record_contestant_absent(absent, "因病缺考", self.contest_staff)
        rows = {s.contestant.number: s for s in venue_board(self.c.venue, self.c.division)}
        self.assertEqual(rows["004"].state, "缺考")
        candidates, _ = draw_service.session_candidates(DrawKind.ORDER, self.c.session)
        self.assertNotIn("004", candidates)
        self.score(self.c.judges[0], self.c.contestants[0])
        with self.assertRaisesMessage(ScoringError, "已有评分表"):
            panels.record_contestant_absent(self.c.contestants[0], "缺考", self.contest_staff)

    def test_results_and_exports_do_not_rank_an_incomplete_panel(self):
        self.score(self.c.judges[0], self.c.contestants[0])
        self.login(self.contest_staff)
        response = self.client.get(reverse("contest-results", args=[self.c.contest.pk]))
        self.assertContains(response, "评分中")
        from baozheng.contest.exports import score_rows
        from baozheng.contest.standings import division_standings

        rows = score_rows(division_standings(self.c.division))
        self.assertEqual(rows[0][0], "评分中")
        self.assertEqual(rows[0][6], "—")


class BorrowedClassStageTests(IntegrityCase):
    def test_a_primary_division_draws_only_primary_classes_never_own_central_school(self):
        draw = draw_service.run(
            self.publish(DrawKind.BORROWED_CLASS), "9", "监督员", self.contest_staff
        )
        self.assertNotIn("J1", draw.result.values())
        for contestant in self.c.session.contestants.select_related(
            "school__parent", "borrowed_class__school__parent"
        ):
            cls = contestant.borrowed_class
            self.assertEqual(cls.school_stage, "primary")
            self.assertNotEqual(cls.school_id, contestant.school_id)
            own_central = draw_service.central_school_code(contestant.school)
            if own_central:
                self.assertNotEqual(draw_service.central_school_code(cls.school), own_central)

    def test_a_junior_division_is_refused_when_too_few_junior_classes_exist(self):
        self.c.division.school_stage = "junior"
        self.c.division.save()
        with self.assertRaisesMessage(DrawError, "初中班级只有 1 个，少于选手 4 人"):
            draw_service.session_candidates(DrawKind.BORROWED_CLASS, self.c.session)

    def test_the_grade_band_narrows_the_classes(self):
        self.c.division.grade_min, self.c.division.grade_max = 5, 6
        self.c.division.save()
        with self.assertRaisesMessage(DrawError, "（5–6年级）"):
            draw_service.session_candidates(DrawKind.BORROWED_CLASS, self.c.session)


class QuotaBaseTests(IntegrityCase):
    def test_absent_contestants_count_in_the_quota_base_only_when_the_contest_says_so(self):
        from baozheng.contest.standings import division_standings

        contest = self.c.contest
        contest.first_prize_pct, contest.second_prize_pct, contest.third_prize_pct = 40, 0, 0
        contest.save()
        panels.record_contestant_absent(self.c.contestants[3], "缺考", self.contest_staff)
        for i, contestant in enumerate(self.c.contestants[:3]):
            for judge in self.c.judges:
                self.score(judge, contestant, goal=str(6 + i))
        firsts = [s for s in division_standings(self.c.division) if s.prize == 1]
        self.assertEqual(len(firsts), 1)  # 40 % of 3 ranked = 1.2 → 1
        self.login(self.contest_staff)
        page = self.client.get(reverse("contest-results", args=[contest.pk]))
        self.assertContains(page, "缺考选手<strong>不计入</strong>名额基数", html=False)
        contest.absent_in_quota_base = True
        contest.save()
        firsts = [s for s in division_standings(self.c.division) if s.prize == 1]
        self.assertEqual(len(firsts), 2)  # 40 % of 4 (3 ranked + 1 缺考) = 1.6 → 2
