"""On-site scoring through the judge's signed link: locking, ranges, idempotent retries."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.urls import reverse

from baozheng.contest import scoring
from baozheng.contest.models import ScoreLine, ScoreSheet, Venue
from baozheng.contest.tokens import make_token
from baozheng.testing import BaozhengTestCase
from tests.contest.factory import SmallContest


class ScoringTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.c = SmallContest(head=cls.contest_staff)

    def sheet_url(self, judge, contestant):
        return reverse(
            "contest-score-sheet", args=[make_token(judge, self.c.session), contestant.pk]
        )

    def form(self, goal="8.5", process="4", key="k-1"):
        return {
            f"item-{self.c.goal.pk}": goal,
            f"item-{self.c.process.pk}": process,
            "idempotency_key": key,
        }

    def test_a_judge_opens_the_session_page_without_logging_in(self):
        response = self.client.get(
            reverse("contest-score-session", args=[make_token(self.c.judges[0], self.c.session)])
        )
        self.assertContains(response, "一线0 评委")
        self.assertContains(response, "001 号")

    def test_a_forged_or_altered_link_is_refused(self):
        token = make_token(self.c.judges[0], self.c.session)
        self.assertEqual(
            self.client.get(reverse("contest-score-session", args=[token[:-2] + "xx"])).status_code,
            404,
        )
        self.assertEqual(
            self.client.get(
                reverse("contest-score-session", args=["WzEsMSwiYSJd:abc:def"])
            ).status_code,
            404,
        )

    def test_rotating_the_judges_key_revokes_their_links(self):
        judge = self.c.judges[0]
        token = make_token(judge, self.c.session)
        judge.token_key = "0" * 32
        judge.save()
        self.assertEqual(
            self.client.get(reverse("contest-score-session", args=[token])).status_code, 404
        )

    def test_a_submitted_sheet_is_stored_and_locked(self):
        judge, contestant = self.c.judges[0], self.c.contestants[0]
        response = self.client.post(self.sheet_url(judge, contestant), self.form())
        self.assertEqual(response.status_code, 302)
        sheet = ScoreSheet.objects.get(judge=judge, contestant=contestant)
        self.assertEqual(sheet.total(), Decimal("12.5"))
        again = self.client.post(self.sheet_url(judge, contestant), self.form(goal="10", key="k-2"))
        self.assertEqual(again.status_code, 409)
        self.assertContains(again, "已提交并锁定", status_code=409)
        self.assertEqual(ScoreSheet.objects.get(pk=sheet.pk).total(), Decimal("12.5"))

    def test_the_same_sheet_submitted_twice_is_stored_once(self):
        judge, contestant = self.c.judges[1], self.c.contestants[0]
        version = Venue.objects.get(pk=self.c.venue.pk).version
        first = self.client.post(self.sheet_url(judge, contestant), self.form(key="retry-1"))
        second = self.client.post(self.sheet_url(judge, contestant), self.form(key="retry-1"))
        self.assertEqual((first.status_code, second.status_code), (302, 302))
        self.assertEqual(ScoreSheet.objects.filter(judge=judge, contestant=contestant).count(), 1)
        self.assertEqual(ScoreLine.objects.filter(sheet__judge=judge).count(), 2)
        self.assertEqual(Venue.objects.get(pk=self.c.venue.pk).version, version + 1)

    def test_the_judge_sees_the_confirmation_and_a_retry_is_told_it_was_not_stored_again(self):
        judge, contestant = self.c.judges[3], self.c.contestants[2]
        first = self.client.post(
            self.sheet_url(judge, contestant), self.form(key="confirm-1"), follow=True
        )
        self.assertContains(first, f"{contestant.number} 号选手的评分已提交并锁定（总分 12.5）")
        second = self.client.post(
            self.sheet_url(judge, contestant), self.form(key="confirm-1"), follow=True
        )
        self.assertContains(second, f"{contestant.number} 号选手的评分此前已提交，未重复保存")
        self.assertNotIn("messages", second.cookies)

    def test_a_submission_costs_five_queries_on_postgresql_and_no_cookie(self):
        from django.db import connection

        if connection.vendor != "postgresql":
            self.skipTest("the one-statement store is PostgreSQL's")
        judge, contestant = self.c.judges[4], self.c.contestants[3]
        with self.assertNumQueries(5):  # link with the rubric, BEGIN, store, audit entry, COMMIT
            response = self.client.post(self.sheet_url(judge, contestant), self.form(key="count-1"))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(dict(response.cookies), {})

    def test_on_postgresql_the_link_and_store_statements_are_prepared_once_and_logged(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        if connection.vendor != "postgresql":
            self.skipTest("prepared statements are PostgreSQL's")
        with CaptureQueriesContext(connection) as queries:
            for n, contestant in enumerate(self.c.contestants[:3]):
                response = self.client.post(
                    self.sheet_url(self.c.judges[5], contestant), self.form(key=f"prep-{n}")
                )
                self.assertEqual(response.status_code, 302)
        self.assertTrue(
            all(q["sql"] for q in queries.captured_queries)
        )  # the query log shows them too
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            prepared = [row[0] for row in cursor.fetchall()]
        self.assertEqual(sum("JOIN contest_judge" in sql for sql in prepared), 1)
        self.assertEqual(sum("INSERT INTO contest_scoresheet" in sql for sql in prepared), 1)

    def test_the_database_refuses_a_second_sheet_for_the_same_judge_and_contestant(self):
        judge, contestant = self.c.judges[2], self.c.contestants[1]
        ScoreSheet.objects.create(
            session=self.c.session, judge=judge, contestant=contestant, idempotency_key="a"
        )
        with self.assertRaises(IntegrityError), transaction.atomic():
            ScoreSheet.objects.create(
                session=self.c.session, judge=judge, contestant=contestant, idempotency_key="b"
            )

    def test_a_key_reused_for_another_contestant_is_refused(self):
        judge = self.c.judges[3]
        points = {self.c.goal.pk: Decimal(8), self.c.process.pk: Decimal(3)}
        scoring.submit_sheet(judge, self.c.session, self.c.contestants[0], points, "shared")
        with self.assertRaisesMessage(scoring.ScoringError, "提交编号已被其他评分表使用"):
            scoring.submit_sheet(judge, self.c.session, self.c.contestants[1], points, "shared")

    def test_out_of_range_and_off_step_scores_are_refused(self):
        judge, contestant = self.c.judges[4], self.c.contestants[2]
        for goal, process, message in (
            ("10.5", "4", "0 到 10.0 之间"),
            ("-1", "4", "0 到 10.0 之间"),
            ("8.3", "4", "0.5 的整数倍"),
            ("8", "2.5", "1.0 的整数倍"),
            ("abc", "4", "不是数字"),
            ("", "4", "请填写"),
        ):
            response = self.client.post(self.sheet_url(judge, contestant), self.form(goal, process))
            self.assertContains(response, message, status_code=400)
        self.assertFalse(ScoreSheet.objects.filter(judge=judge).exists())

    def test_a_judge_not_on_the_panel_cannot_score(self):
        judge = self.c.judges[5]
        judge.seats.update(active=False)
        response = self.client.post(self.sheet_url(judge, self.c.contestants[0]), self.form())
        self.assertContains(response, "不是本场次的评委", status_code=400)

    def test_a_contestant_of_another_session_cannot_be_scored_with_this_link(self):
        other = self.c.contestants[3]
        other.session = None
        other.save()
        response = self.client.get(self.sheet_url(self.c.judges[0], other))
        self.assertEqual(response.status_code, 404)

    def test_a_logged_in_judge_sees_only_their_own_scoring_links(self):
        self.c.judges[6].user = self.judge
        self.c.judges[6].save()
        self.login(self.judge)
        response = self.client.get(reverse("contest-my-sessions"))
        self.assertContains(response, "打开评分页", count=1)
        self.login(self.wancheng)
        self.assertEqual(self.client.get(reverse("contest-my-sessions")).status_code, 403)


class SubmissionLinkTests(BaozhengTestCase):
    """The submission path reads one typed, read-only link; the same link comes from model
    instances (`link_for`), so the two entries into scoring cannot drift apart."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.c = SmallContest(head=cls.contest_staff)

    def test_the_link_of_a_token_matches_the_link_of_the_models(self):
        import dataclasses

        from django.db import connection

        from baozheng.contest.tokens import read_submission_link

        judge, contestant = self.c.judges[0], self.c.contestants[0]
        link = read_submission_link(make_token(judge, self.c.session), contestant.pk)
        self.assertIsInstance(link, scoring.SubmissionLink)
        with self.assertRaises(dataclasses.FrozenInstanceError):
            link.frozen = True
        from_models = scoring.link_for(judge, self.c.session, contestant)
        self.assertEqual(dataclasses.replace(link, rubric_items=None), from_models)
        rubric = [(i.pk, i.name, i.max_points, i.step) for i in scoring.link_rubric(link)]
        expected = [
            (i.pk, i.name, i.max_points, i.step) for i in scoring.rubric_items(self.c.session)
        ]
        self.assertEqual(rubric, expected)
        # PostgreSQL brings the rubric with the link; elsewhere it is read by id
        self.assertEqual(link.rubric_items is not None, connection.vendor == "postgresql")

    def test_a_contestant_of_another_session_cannot_be_linked(self):
        other = self.c.contestants[0]
        other.session_id = other.session_id + 10_000
        with self.assertRaisesMessage(scoring.ScoringError, "该选手不在本场次"):
            scoring.link_for(self.c.judges[0], self.c.session, other)
