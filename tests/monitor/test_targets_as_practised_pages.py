"""Pages show rates as changes in points, the target in force (phase targets named as
such) and the rank target's light beside the value light (issue 16)."""

from __future__ import annotations

from django.urls import reverse

from tests.monitor.base import PERIOD, MonitorTestCase


class TargetsAsPractisedPageTests(MonitorTestCase):
    def get(self, name: str, *args, **query):
        return self.client.get(reverse(name, args=args), query)

    def test_the_unemployment_page_shows_a_change_in_points_not_a_growth(self):
        self.login(self.leader)
        response = self.get("monitor-indicator", "D01", period=PERIOD)
        html = response.content.decode()
        self.assertIn("比上年同期", html)
        self.assertIn("个百分点", html)
        self.assertNotIn('<div class="muted">同比增长</div>', html)
        self.assertIn("比上年同期(百分点)", html)
        names = [trace["name"] for trace in response.context["curve"]["data"]]
        self.assertIn("保", names)

    def test_the_dashboard_shows_the_rank_target_beside_the_status(self):
        self.login(self.leader)
        response = self.get("monitor-overview", period=PERIOD)
        self.assertContains(response, "位次目标：保3争2抢1")

    def test_the_unit_page_names_the_first_quarter_target(self):
        self.login(self.dispatch)
        response = self.get("monitor-unit", "411300", period="2023-03")
        self.assertContains(response, "一季度目标")
        self.assertContains(response, "位次目标：保3争2抢1")

    def test_the_indicator_page_of_gdp_in_march_is_judged_on_the_phase_target(self):
        self.login(self.leader)
        response = self.get("monitor-indicator", "A01", period="2023-03")
        self.assertContains(response, "一季度目标")
        self.assertEqual(response.context["parent_row"].target_floor, 8.5)

    def test_a_clerk_cannot_open_another_countys_page(self):
        self.login(self.wancheng)
        response = self.get("monitor-unit", "411303", period=PERIOD)
        self.assertEqual(response.status_code, 403)
