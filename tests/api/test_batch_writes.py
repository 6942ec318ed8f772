"""Batch writes: the import contract over HTTP (all-or-nothing, dry run, row errors with the
row's index and key, idempotent, revisions, approval as the token's role allows)."""

from auditlog.models import LogEntry

from baozheng.api.models import ApiToken
from baozheng.org.models import Unit
from baozheng.stats.models import ImportBatch, Observation, ObservationRevision, Status, Target
from baozheng.testing import BaozhengTestCase
from tests.api.helpers import TokenClient, token
from tests.stats import factory

URL = "/api/v1/stats/observations"
MONTH = {
    "rows": [
        {
            "indicator": "RETAIL",
            "unit": "411302",
            "period": "2023-06",
            "value": 152.3,
            "growth": 6.4,
        },
        {
            "indicator": "RETAIL",
            "unit": "411303",
            "period": "2023-06",
            "value": 98.7,
            "growth": 6.1,
        },
    ]
}


class BatchWriteTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.ind = factory.indicators()

    def setUp(self) -> None:
        # 商务局's system: the department's own indicators, for every county of the city.
        swj = Unit.objects.get(code="411300SWJ")
        self.dept = TokenClient(token("商务局业务系统", "department", "411300", owner_unit=swj))

    def test_a_department_posts_a_months_figures_for_its_indicator_in_one_batch(self) -> None:
        response = self.dept.post_json(URL, MONTH)
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual((response.json()["created"], response.json()["rows"]), (2, 2))
        stored = Observation.objects.get(unit__code="411302", indicator__code="RETAIL")
        self.assertEqual((str(stored.value), stored.status), ("152.3000", Status.APPROVED))
        batch = ImportBatch.objects.get()
        self.assertEqual((batch.channel, batch.user.api_token.name), ("api", "商务局业务系统"))

    def test_a_reason_over_its_column_is_refused_in_chinese_and_nothing_is_written(self) -> None:
        response = self.dept.post_json(URL + "?reason=" + "改" * 301, MONTH)
        self.assertEqual(response.status_code, 400)
        self.assertIn("修改理由超过 300 字（301 字）", response.json()["message"])
        self.assertFalse(Observation.objects.exists() or ImportBatch.objects.exists())
        self.assertEqual(self.dept.post_json(URL + "?reason=" + "改" * 300, MONTH).status_code, 200)
        self.assertEqual(ImportBatch.objects.get().reason, "改" * 300)

    def test_the_same_batch_again_changes_nothing_and_a_change_is_a_new_revision(self) -> None:
        self.dept.post_json(URL, MONTH)
        again = self.dept.post_json(URL, MONTH).json()
        self.assertEqual((again["created"], again["updated"], again["unchanged"]), (0, 0, 2))
        changed = {"rows": [dict(MONTH["rows"][0], value=153.0)]}
        self.assertEqual(self.dept.post_json(URL, changed).json()["updated"], 1)
        obs = Observation.objects.get(unit__code="411302", indicator__code="RETAIL")
        self.assertEqual(ObservationRevision.objects.filter(observation=obs).count(), 2)

    def test_a_dry_run_with_one_bad_row_reports_that_row_and_changes_nothing(self) -> None:
        bad = {
            "rows": [
                *MONTH["rows"],
                {"indicator": "RETAIL", "unit": "411303", "period": "2023-13", "value": "abc"},
            ]
        }
        response = self.dept.post_json(URL + "?dry_run=true", bad)
        self.assertEqual(response.status_code, 422)
        body = response.json()
        self.assertEqual(body["code"], "rows_invalid")
        self.assertTrue(body["dry_run"])
        self.assertEqual({e["index"] for e in body["errors"]}, {2})
        self.assertEqual(
            body["errors"][0]["key"], {"indicator": "RETAIL", "unit": "411303", "period": "2023-13"}
        )
        self.assertRegex(body["errors"][0]["message"], r"^第 4 行")
        self.assertFalse(Observation.objects.exists())
        real = self.dept.post_json(URL, bad)
        self.assertEqual(real.status_code, 422)
        self.assertFalse(Observation.objects.exists())

    def test_a_dry_run_of_a_good_batch_reports_what_it_would_do(self) -> None:
        body = self.dept.post_json(URL + "?dry_run=1", MONTH).json()
        self.assertEqual((body["dry_run"], body["created"]), (True, 2))
        self.assertFalse(Observation.objects.exists())

    def test_a_csv_body_is_the_import_file_itself(self) -> None:
        text = "指标,地区,期间,累计值,同比增长\nRETAIL,411302,2023年1-6月,152.3,6.4\n"
        response = self.dept.post_csv(URL, text)
        self.assertEqual(response.json()["created"], 1)

    def test_a_clerks_figures_wait_for_review_and_other_counties_are_refused(self) -> None:
        clerk = TokenClient(token("宛城区系统", "clerk", "411302"))
        own = clerk.post_json(URL, {"rows": MONTH["rows"][:1]})
        self.assertEqual(own.status_code, 200)
        obs = Observation.objects.get()
        self.assertEqual((obs.status, obs.has_approved), (Status.SUBMITTED, False))
        other = clerk.post_json(URL, {"rows": MONTH["rows"][1:]})
        self.assertEqual(other.status_code, 422)
        self.assertIn("不在您的数据范围内", other.json()["errors"][0]["message"])

    def test_a_leaders_token_may_not_write(self) -> None:
        response = TokenClient(token("大屏", "leader", "411300")).post_json(URL, MONTH)
        self.assertEqual((response.status_code, response.json()["code"]), (403, "forbidden"))
        self.assertFalse(Observation.objects.exists())

    def test_malformed_bodies_are_refused_in_chinese(self) -> None:
        for body, content_type, status in (
            (b"{not json", "application/json", 400),
            (b'{"rows": []}', "application/json", 400),
            (b'{"rows": [1, 2]}', "application/json", 400),
            (b"value=1", "application/x-www-form-urlencoded", 415),
        ):
            response = self.dept.client.post(
                URL, body, content_type=content_type, **self.dept.header
            )
            self.assertEqual(response.status_code, status, body)
            self.assertRegex(response.json()["message"], r"[\u4e00-\u9fff]")
        self.assertFalse(Observation.objects.exists())

    def test_targets_post_in_a_batch_with_the_same_rules(self) -> None:
        dispatch = TokenClient(token("调度系统", "dispatch", "411300"))
        rows = {
            "rows": [
                {
                    "indicator": "RETAIL",
                    "unit": "411302",
                    "year": 2023,
                    "basis": "growth",
                    "floor": 12,
                    "stretch": 13,
                }
            ]
        }
        self.assertEqual(
            dispatch.post_json("/api/v1/stats/targets?dry_run=true", rows).json()["created"], 1
        )
        self.assertFalse(Target.objects.exists())
        self.assertEqual(dispatch.post_json("/api/v1/stats/targets", rows).json()["created"], 1)
        self.assertEqual(dispatch.post_json("/api/v1/stats/targets", rows).json()["unchanged"], 1)
        bad = {"rows": [dict(rows["rows"][0], floor=14)]}
        response = dispatch.post_json("/api/v1/stats/targets", bad)
        self.assertEqual(response.status_code, 422)
        self.assertEqual(
            response.json()["errors"][0]["key"],
            {"indicator": "RETAIL", "unit": "411302", "year": "2023"},
        )

    def test_token_changes_are_audited_with_the_tokens_account(self) -> None:
        dispatch = TokenClient(token("调度系统", "dispatch", "411300"))
        rows = {
            "rows": [
                {
                    "indicator": "RETAIL",
                    "unit": "411302",
                    "year": 2023,
                    "basis": "growth",
                    "floor": 12,
                    "stretch": 13,
                }
            ]
        }
        dispatch.post_json("/api/v1/stats/targets", rows)
        batch = ImportBatch.objects.get(kind="targets")
        self.assertEqual((batch.user.api_token.name, batch.channel), ("调度系统", "api"))
        issued = LogEntry.objects.get_for_model(ApiToken).get(object_repr="调度系统")
        self.assertEqual(issued.action, LogEntry.Action.CREATE)
