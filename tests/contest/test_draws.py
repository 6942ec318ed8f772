"""Draws recorded in the database: publish, run, apply, verify from the command line."""

from io import StringIO

from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from baozheng.contest import draw_service
from baozheng.contest.draw import DrawError
from baozheng.contest.models import Draw, DrawKind
from baozheng.testing import BaozhengTestCase
from tests.contest.factory import SmallContest


class DrawTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.c = SmallContest(head=cls.contest_staff)

    def publish(self, kind):
        return self.c.publish_draw(kind, self.contest_staff)

    def test_the_public_page_shows_the_commitment_but_not_the_secret_before_the_draw(self):
        draw = self.publish(DrawKind.ORDER)
        response = self.client.get(reverse("contest-draw-public", args=[draw.pk]))
        self.assertContains(response, draw.commitment)
        self.assertNotContains(response, draw.secret)

    def test_a_draw_runs_once_applies_its_result_and_verifies(self):
        draw = draw_service.run(
            self.publish(DrawKind.ORDER), "17 42", "监督员 李华", self.contest_staff
        )
        order = {c.number: c.appearance for c in self.c.session.contestants.all()}
        self.assertEqual([n for n, _ in sorted(order.items(), key=lambda kv: kv[1])], draw.result)
        out = StringIO()
        call_command("contest", "verify-draw", str(draw.pk), stdout=out)
        self.assertTrue(out.getvalue().strip().endswith("一致"))
        self.assertNotIn("不一致", out.getvalue())
        self.assertContains(
            self.client.get(reverse("contest-draw-public", args=[draw.pk])), draw.secret
        )
        with self.assertRaisesMessage(DrawError, "不能重抽"):
            draw_service.run(draw, "x", "y", self.contest_staff)

    def test_a_run_reads_its_session_with_the_draw_and_writes_rows_of_values(self):
        draw = self.publish(DrawKind.ORDER)
        with CaptureQueriesContext(connection) as queries:
            draw = draw_service.run(draw, "17 42", "监督员 李华", self.contest_staff)
        statements = [q["sql"] for q in queries.captured_queries]
        sessions = [s for s in statements if 'FROM "contest_session"' in s]
        self.assertEqual(sessions, [])  # joined to the locked draw
        self.assertEqual([s for s in statements if "CASE WHEN" in s], [])  # no branch each
        order = dict(self.c.session.contestants.values_list("number", "appearance"))
        self.assertEqual(sorted(order, key=order.__getitem__), draw.result)

    def test_a_sessions_draws_read_its_contestants_as_values_schools_once(self):
        with CaptureQueriesContext(connection) as queries:
            for kind in (DrawKind.ORDER, DrawKind.TOPIC, DrawKind.BORROWED_CLASS):
                draw_service.run(self.publish(kind), "5", "监督员", self.contest_staff)
        reads = [q["sql"] for q in queries.captured_queries]
        instances = [
            s
            for s in reads
            if s.startswith('SELECT "contest_contestant"."id", "contest_contestant"."contest_id"')
        ]
        self.assertEqual(instances, [])  # drawn and applied on values
        schools = [
            s for s in reads if s.startswith('SELECT "contest_contestant"') and "org_unit" in s
        ]
        self.assertEqual(len(schools), 1)  # the borrowed-class draw's
        contestants = list(self.c.session.contestants.order_by("appearance"))
        self.assertEqual(len({c.topic_id for c in contestants}), len(contestants))
        self.assertTrue(all(c.borrowed_class_id for c in contestants))

    def test_borrowed_class_candidates_name_each_school_and_its_central_school(self):
        candidates, _ = draw_service.session_candidates(DrawKind.BORROWED_CLASS, self.c.session)
        present = self.c.session.contestants.filter(absent_reason="").order_by(
            "appearance", "number"
        )
        central = draw_service.central_school_code
        expected = [["contestant", c.number, c.school.code, central(c.school)] for c in present]
        expected += [
            ["class", k.code, k.school.code, central(k.school)]
            for k in draw_service.eligible_classes(self.c.session)
        ]
        self.assertEqual(candidates, expected)
        self.assertTrue(any(row[3] for row in candidates))  # a central school named

    def test_verify_draw_reports_a_tampered_record(self):
        draw = draw_service.run(self.publish(DrawKind.ORDER), "1", "监督员", self.contest_staff)
        Draw.objects.filter(pk=draw.pk).update(result=list(reversed(draw.result)))
        out = StringIO()
        with self.assertRaises(CommandError):
            call_command("contest", "verify-draw", str(draw.pk), stdout=out)
        self.assertIn("结果：不一致", out.getvalue())

    def test_a_draw_needs_witnesses(self):
        with self.assertRaisesMessage(DrawError, "见证人"):
            draw_service.run(self.publish(DrawKind.TOPIC), "1", " ", self.contest_staff)

    def test_witnesses_or_entropy_over_their_columns_run_nothing(self):
        draw = self.publish(DrawKind.TOPIC)
        with self.assertRaisesMessage(DrawError, "见证人超过 300 字（301 字）"):
            draw_service.run(draw, "1", "见" * 301, self.contest_staff)
        with self.assertRaisesMessage(DrawError, "见证人随机数超过 200 字（201 字）"):
            draw_service.run(draw, "1" * 201, "监督员", self.contest_staff)
        self.login(self.contest_staff)
        page = self.client.get(reverse("contest-draw-public", args=[draw.pk]))
        self.assertContains(page, 'name="witnesses" required maxlength="300"')
        self.assertContains(page, 'name="entropy" maxlength="200"')
        url = reverse("contest-draw-run", args=[draw.pk])
        response = self.client.post(url, {"witnesses": "见" * 301, "entropy": "1"}, follow=True)
        self.assertContains(response, "见证人超过 300 字（301 字），请删减后重新提交")
        draw.refresh_from_db()
        self.assertFalse(draw.has_run)
        self.client.post(url, {"witnesses": "见" * 300, "entropy": "1" * 200})
        draw.refresh_from_db()
        self.assertEqual((draw.witnesses, draw.entropy), ("见" * 300, "1" * 200))
        self.assertTrue(draw_service.verify(draw).ok)

    def test_topics_and_borrowed_classes_are_written_onto_contestants(self):
        draw_service.run(self.publish(DrawKind.TOPIC), "5", "监督员", self.contest_staff)
        draw_service.run(self.publish(DrawKind.BORROWED_CLASS), "6", "监督员", self.contest_staff)
        contestants = list(self.c.session.contestants.select_related("topic", "borrowed_class"))
        self.assertEqual(len({c.topic_id for c in contestants}), 4)
        for contestant in contestants:
            self.assertNotEqual(contestant.borrowed_class.school_id, contestant.school_id)

    def test_staff_publish_and_run_through_the_pages_and_others_are_refused(self):
        url = reverse("contest-draws", args=[self.c.contest.pk])
        self.login(self.wancheng)
        self.assertEqual(
            self.client.post(url, {"kind": "order", "session": self.c.session.pk}).status_code, 403
        )
        self.login(self.contest_staff)
        self.client.post(url, {"kind": "order", "session": self.c.session.pk})
        draw = Draw.objects.get()
        self.login(self.judge)
        run_url = reverse("contest-draw-run", args=[draw.pk])
        self.assertEqual(self.client.post(run_url, {"witnesses": "x"}).status_code, 403)
        self.login(self.contest_staff)
        self.client.post(run_url, {"witnesses": "监督员 李华", "entropy": "88"})
        draw.refresh_from_db()
        self.assertTrue(draw.has_run and draw_service.verify(draw).ok)
