"""Every read route: what a county's token sees, and the refusal of another county."""

import re
from decimal import Decimal

from baozheng.api.site import api
from baozheng.assessment.models import Run
from baozheng.stats.models import Target
from baozheng.tasks import green_channel as green
from baozheng.tasks.models import Channel, Enterprise
from baozheng.testing import BaozhengTestCase
from tests.api.helpers import TokenClient, token
from tests.projects.factory import make_project
from tests.stats import factory
from tests.tasks.factory import make_task

V1 = "/api/v1"


class ReadRouteTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        ind = factory.indicators()
        for unit, value in ((cls.wancheng_unit, "120.5"), (cls.wolong_unit, "98.1")):
            factory.approved(ind["RETAIL"], unit, 2023, 6, value, "5.0")
            Target.objects.create(
                indicator=ind["RETAIL"],
                unit=unit,
                year=2023,
                floor=Decimal(12),
                stretch=Decimal(13),
            )
            make_project(unit, f"P-{unit.code}")
            make_task(cls.dispatch, unit, title=f"{unit.name}事项")
            enterprise = Enterprise.objects.create(
                credit_code="91411300MA44XXXXX3"
                if unit == cls.wancheng_unit
                else "91411300MA44XXXX1Y",
                name=f"{unit.name}企业",
                county=unit,
            )
            green.receive(
                enterprise,
                category="energy",
                description="申请电力增容",
                channel=Channel.STAFF,
                contact_name="张三",
                contact_phone="13800000000",
            )

    def setUp(self) -> None:
        self.county = TokenClient(token("宛城区系统", "clerk", "411302"))

    def test_each_read_route_answers_within_scope_and_refuses_another_county(self) -> None:
        cases = [
            ("/org/units", "under"),
            ("/stats/observations", "unit"),
            ("/stats/targets", "unit"),
            ("/projects/projects", "county"),
            ("/tasks/tasks", "unit"),
            ("/tasks/requests", "county"),
        ]
        for route, param in cases:
            own = self.county.get(V1 + route, {param: "411302"})
            self.assertEqual(own.status_code, 200, route)
            self.assertGreater(own.json()["count"], 0, route)
            other = self.county.get(V1 + route, {param: "411303"})
            self.assertEqual(other.status_code, 403, route)
            self.assertEqual(other.json()["code"], "forbidden", route)

    def test_unfiltered_lists_hold_nothing_of_another_county(self) -> None:
        units = self.county.get(V1 + "/org/units").json()["items"]
        self.assertEqual({u["code"] for u in units} & {"411303", "411300"}, set())
        for route, field in (
            ("/stats/observations", "unit"),
            ("/stats/targets", "unit"),
            ("/projects/projects", "county"),
            ("/tasks/tasks", "lead_unit"),
            ("/tasks/requests", "county"),
        ):
            items = self.county.get(V1 + route).json()["items"]
            self.assertEqual({i[field] for i in items}, {"411302"}, route)

    def test_the_bulletin_of_another_county_is_refused(self) -> None:
        response = self.county.get(
            V1 + "/stats/bulletin", {"period": "2023-06", "parent": "411303"}
        )
        self.assertEqual(response.status_code, 403)
        own = self.county.get(V1 + "/stats/bulletin", {"period": "2023-06", "parent": "411302"})
        self.assertEqual(own.status_code, 200)

    def test_enterprise_contacts_only_for_those_who_follow_requests_up(self) -> None:
        county_item = self.county.get(V1 + "/tasks/requests").json()["items"][0]
        self.assertNotIn("contact_phone", county_item)
        dispatch = TokenClient(token("调度系统", "dispatch", "411300"))
        items = dispatch.get(V1 + "/tasks/requests").json()["items"]
        self.assertEqual({i["contact_phone"] for i in items}, {"13800000000"})

    def test_observations_with_revisions_list_every_revision(self) -> None:
        items = self.county.get(V1 + "/stats/observations", {"revisions": "true"}).json()["items"]
        self.assertIn("revisions", items[0])

    def test_draft_assessment_runs_are_for_the_dispatch_office_only(self) -> None:
        self.assertEqual(self.county.get(V1 + "/assessment/runs").json(), [])
        self.assertFalse(Run.objects.exists())
        self.assertEqual(self.county.get(V1 + "/assessment/runs/1").status_code, 404)

    def test_pages_and_bad_filters_answer_in_the_error_shape(self) -> None:
        for params, status in (
            ({"page": 0}, 400),
            ({"page_size": 5000}, 400),
            ({"page": 99}, 404),
            ({"period": "2023-13"}, 400),
            ({"unit": "nowhere"}, 404),
            ({"page": "x"}, 422),
        ):
            response = self.county.get(V1 + "/stats/observations", params)
            self.assertEqual(response.status_code, status, params)
            body = response.json()
            self.assertEqual(set(body), {"code", "message"}, params)
            self.assertRegex(body["message"], r"[\u4e00-\u9fff]")

    def test_anonymous_callers_get_401_in_the_error_shape(self) -> None:
        response = self.client.get(V1 + "/stats/observations")
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.json()["code"], "unauthorized")


class OpenApiTests(BaozhengTestCase):
    def test_the_openapi_document_lists_every_route_under_v1(self) -> None:
        document = self.client.get("/api/openapi.json").json()
        served = {
            "/api/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(p.pattern)).rstrip("/")
            for p in api.urls[0]
        } - {"/api/", "/api/openapi.json", "/api/docs"}
        self.assertEqual(served, {p.rstrip("/") for p in document["paths"]})
        self.assertTrue(all(p.startswith("/api/v1/") for p in document["paths"]))
        self.assertEqual(document["info"]["title"], "保争 数据接口")
        operations = [op for methods in document["paths"].values() for op in methods.values()]
        self.assertTrue(all(re.search(r"[\u4e00-\u9fff]", op["summary"]) for op in operations))

    def test_the_docs_page_loads_nothing_from_outside_the_server(self) -> None:
        self.login(self.admin)
        page = self.client.get("/api/docs").content.decode()
        self.assertIn("/static/ninja/swagger-ui-bundle.js", page)
        self.assertNotIn("cdn.", page)


class TargetHistoryRouteTests(BaozhengTestCase):
    def test_targets_carry_their_period_and_every_version_with_its_reason(self) -> None:
        from baozheng.stats.targets import save_target

        ind = factory.indicators()["RETAIL"]
        target = Target(
            indicator=ind, unit=self.wancheng_unit, year=2023, floor=Decimal(12), stretch=None
        )
        save_target(self.dispatch, target, "年初下达")
        target.floor = Decimal(10)
        save_target(self.dispatch, target, "年中调整")
        phase = Target(indicator=ind, unit=self.wancheng_unit, year=2023, month=6, floor=Decimal(9))
        save_target(self.dispatch, phase, "双过半")
        county = TokenClient(token("宛城区系统", "clerk", "411302"))
        items = county.get(V1 + "/stats/targets", {"history": "true"}).json()["items"]
        by_period = {i["period"]: i for i in items}
        self.assertEqual(set(by_period), {"2023", "2023-06"})
        annual = by_period["2023"]
        self.assertEqual((annual["floor"], annual["stretch"]), (10.0, None))
        self.assertEqual([v["reason"] for v in annual["history"]], ["年中调整", "年初下达"])
        self.assertEqual([v["floor"] for v in annual["history"]], [10.0, 12.0])
        self.assertNotIn("history", county.get(V1 + "/stats/targets").json()["items"][0])
        other = TokenClient(token("卧龙区系统", "clerk", "411303"))
        self.assertEqual(other.get(V1 + "/stats/targets").json()["count"], 0)
