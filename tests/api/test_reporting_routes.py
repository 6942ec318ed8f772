"""The reporting system's API routes: periods, forms and a period's obligations, scoped."""

from baozheng.analysis.periods import Period
from baozheng.reporting.obligations import obligations
from tests.api.helpers import TokenClient, token
from tests.reporting.base import OPEN, ReportingTestCase

V1 = "/api/v1/reporting"


class ReportingRouteTests(ReportingTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.county = TokenClient(token("宛城区系统", "clerk", "411302"))

    def test_a_countys_obligations_are_its_own_and_another_county_is_refused(self) -> None:
        body = self.county.get(V1 + "/obligations", {"period": OPEN}).json()
        owed = obligations([self.wancheng_unit], Period.parse(OPEN))
        self.assertEqual(body["count"], len(owed))
        self.assertEqual({i["unit"] for i in body["items"]}, {"411302"})
        self.assertTrue(all(i["form"] == "B101" for i in body["items"]))
        self.assertTrue(all(i["state"] and i["deadline"] for i in body["items"]))
        refused = self.county.get(V1 + "/obligations", {"period": OPEN, "unit": "411303"})
        self.assertEqual(refused.status_code, 403)

    def test_a_school_owes_nothing_through_the_api_either(self) -> None:
        dispatch = TokenClient(token("调度系统", "dispatch", "411300"))
        items = dispatch.get(V1 + "/obligations", {"period": OPEN, "page_size": 1000}).json()
        self.assertNotIn(self.school.code, {i["unit"] for i in items["items"]})

    def test_forms_list_their_chain_and_only_assignments_in_scope(self) -> None:
        forms = {f["code"]: f for f in self.county.get(V1 + "/forms").json()}
        self.assertIn("B101", forms)
        self.assertTrue(forms["B101"]["steps"])
        self.assertNotIn("411300", {a["unit"] for f in forms.values() for a in f["assignments"]})

    def test_periods_say_which_is_open_and_which_is_released(self) -> None:
        body = self.county.get(V1 + "/periods").json()
        states = {p["period"]: p["state"] for p in body["periods"]}
        self.assertEqual(states[OPEN], "open")
        self.assertEqual(states[body["latest_released"]], "released")

    def test_a_bad_period_and_anonymous_callers_are_refused(self) -> None:
        for period in ("2023-13", "9999-12"):  # December 9999 had no deadline: a 500
            response = self.county.get(V1 + "/obligations", {"period": period})
            self.assertEqual(response.status_code, 400)
            self.assertIn("期间", response.json()["message"])
        self.assertEqual(self.client.get(V1 + "/periods").status_code, 401)
