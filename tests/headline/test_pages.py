"""The headline page: what the leader reads, who lands on it, and who sees what."""

from __future__ import annotations

import json
from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from baozheng.headline.models import UnitBoundary
from tests.headline.base import COUNTIES, HeadlineTestCase, json_script

URL = reverse("headline")


class HeadlinePageTests(HeadlineTestCase):
    def test_the_city_leader_reads_the_year_in_words(self):
        self.login(self.leader)
        response = self.client.get(URL)
        self.assertContains(response, "南阳市经济运行要览")
        self.assertContains(response, "1-9月增长9.4%，高于争9目标0.4个百分点，全省第1")
        self.assertContains(response, "余下月份需增长约3.8%（保）、7.8%（争）")
        for name in (
            "地区生产总值",
            "规模以上工业增加值",
            "固定资产投资",
            "社会消费品零售总额",
            "一般公共预算收入",
            "进出口总额",
        ):
            self.assertContains(response, name)
        # Who is behind on GDP, with links to their pages, and what changed.
        self.assertContains(response, "落后：")
        self.assertContains(response, reverse("monitor-unit", args=["411327"]))
        self.assertContains(response, "较上期变化")

    def test_the_bulletins_share_their_records_and_own_row_mode_is_asked_once(self):
        self.login(self.leader)
        self.client.get(URL)  # the bulletins computed and cached
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(URL)
        self.assertContains(response, "较上期变化")
        sql = [q["sql"] for q in queries.captured_queries]
        self.assertGreater(len(response.context["headline"].reports), 1)
        for read in (
            '"stats_indicator"."code" IN',  # the indicators the bulletins name
            '"org_unit"."code" IN',  # their units
            'FROM "org_peergroup" INNER JOIN "org_unit" ON ("org_peergroup"."parent_id"',  # groups
            'SELECT 1 AS "a" FROM "org_peergroup"',  # own_row_mode
        ):
            self.assertEqual(sum(read in s for s in sql), 1, read)

    def test_the_map_shows_the_thirteen_counties_coloured_by_status_with_links(self):
        self.login(self.leader)
        figure = json_script(self.client.get(URL).content.decode(), "map-figure")
        choropleth = figure["data"][0]
        self.assertEqual(choropleth["type"], "choropleth")
        self.assertEqual(set(choropleth["locations"]), COUNTIES)
        self.assertEqual(len(choropleth["geojson"]["features"]), 13)
        self.assertTrue(all(url.startswith("/monitor/unit/") for url in choropleth["customdata"]))
        self.assertTrue(all(0 <= z <= 4 for z in choropleth["z"]))
        self.assertFalse(figure["layout"]["geo"]["visible"])

    def test_an_outline_shown_before_is_not_decoded_again_and_a_changed_one_is_shown(self):
        """The outlines are sent as their stored text was encoded the first time (a third
        of the page's server time went to decoding and encoding them on every view)."""
        self.login(self.leader)
        self.client.get(URL)
        with mock.patch("json.loads", wraps=json.loads) as loads:
            response = self.client.get(URL)
        decoded = sum('"coordinates"' in str(c.args[0]) for c in loads.call_args_list)
        self.assertEqual(decoded, 0)
        figure = json_script(response.content.decode(), "map-figure")
        self.assertEqual(len(figure["data"][0]["geojson"]["features"]), 13)
        square = {"type": "Polygon", "coordinates": [[[112, 33], [113, 33], [113, 32], [112, 33]]]}
        UnitBoundary.objects.filter(unit=self.wancheng_unit).update(geometry=square)
        figure = json_script(self.client.get(URL).content.decode(), "map-figure")
        shapes = {f["id"]: f["geometry"] for f in figure["data"][0]["geojson"]["features"]}
        self.assertEqual(shapes["411302"], square)
        self.assertEqual(
            figure["data"][1]["lon"][figure["data"][0]["locations"].index("411302")], 112.5
        )

    def test_the_map_can_colour_by_growth_for_another_indicator(self):
        self.login(self.leader)
        response = self.client.get(URL, {"map": "B01", "mode": "growth"})
        choropleth = json_script(response.content.decode(), "map-figure")["data"][0]
        self.assertEqual(choropleth["colorscale"], "RdYlGn")
        self.assertIn("社会消费品零售总额地图", response.content.decode())

    def test_a_county_leader_sees_their_county_only(self):
        self.login(self.county_leader)
        response = self.client.get(URL)
        content = response.content.decode()
        self.assertContains(response, "宛城区经济运行要览")
        self.assertContains(response, "全市第")  # its rank among the counties
        figure = json_script(content, "map-figure")
        self.assertEqual(figure["data"][0]["locations"], ["411302"])
        self.assertNotIn("卧龙区", content)
        self.assertNotIn("全省第1", content)  # the city's own figures are not theirs

    def test_a_county_leader_cannot_ask_for_the_city(self):
        self.login(self.county_leader)
        self.assertEqual(self.client.get(URL, {"unit": "411300"}).status_code, 403)
        self.assertEqual(self.client.get(URL, {"unit": "411303"}).status_code, 403)

    def test_judges_and_strangers_are_refused(self):
        self.assertRedirects(self.client.get(URL), f"/login/?next={URL}")
        self.login(self.judge)
        self.assertEqual(self.client.get(URL).status_code, 403)

    def test_leaders_read_it_at_the_root_and_dispatch_lands_on_it_after_login(self):
        self.login(self.leader)
        self.assertRedirects(self.client.get("/"), URL)
        self.client.logout()
        response = self.client.post(
            reverse("login"), {"username": "dispatch", "password": "test-password-123"}, follow=True
        )
        self.assertEqual(response.redirect_chain[-1][0], URL)
        # Afterwards `/` is the dispatch office's to-do list again.
        self.assertContains(self.client.get("/"), "待办")

    def test_a_clerk_logging_in_still_lands_on_the_home_page(self):
        response = self.client.post(
            reverse("login"), {"username": "wancheng", "password": "test-password-123"}, follow=True
        )
        self.assertEqual(response.redirect_chain[-1][0], "/")

    def test_without_a_headline_list_the_page_says_so(self):
        from baozheng.headline.models import HeadlineIndicator

        HeadlineIndicator.objects.all().delete()
        self.login(self.admin)
        self.assertContains(self.client.get(URL), "尚未设置首页重点指标")

    def test_reminders_carry_a_link_to_the_task(self):
        from datetime import date

        from baozheng.tasks.reminders import message
        from tests.tasks.factory import make_task

        task = make_task(
            self.dispatch,
            self.wancheng_unit,
            opened_on=date(2023, 3, 1),
            deadline=date(2023, 4, 12),
        )
        _, body = message(task, "blue", date(2023, 4, 10))
        self.assertIn(f"办理地址：http://127.0.0.1:8000/tasks/{task.pk}/", body)


class RedTaskTests(HeadlineTestCase):
    def test_the_red_list_is_the_open_tasks_the_tasks_module_colours_red(self):
        from datetime import date

        from baozheng.headline.summary import red_tasks
        from baozheng.tasks.models import Status, Task
        from baozheng.tasks.services import colour
        from tests.tasks.factory import make_task

        today = date(2023, 4, 10)
        late = make_task(
            self.dispatch, self.wancheng_unit, opened_on=date(2023, 3, 1), deadline=date(2023, 4, 7)
        )
        make_task(
            self.dispatch,
            self.wancheng_unit,
            opened_on=date(2023, 3, 1),
            deadline=date(2023, 4, 20),
        )
        closed = make_task(
            self.dispatch, self.wancheng_unit, opened_on=date(2023, 3, 1), deadline=date(2023, 4, 3)
        )
        Task.objects.filter(pk=closed.pk).update(status=Status.CLOSED)
        found = red_tasks(Task.objects.all(), today)
        self.assertEqual(found, [late])
        self.assertEqual([t.pk for t in Task.objects.all() if colour(t, today) == "red"], [late.pk])


class HeadlineListAdminTests(HeadlineTestCase):
    def test_the_administrator_sets_the_headline_list_in_the_admin(self):
        from baozheng.headline.models import HeadlineIndicator

        self.admin.is_staff = self.admin.is_superuser = True
        self.admin.save()
        self.login(self.admin)
        url = "/admin/headline/headlineindicator/"
        response = self.client.get(url)
        self.assertContains(response, "首页重点指标")
        self.assertContains(response, "进出口总额")
        HeadlineIndicator.objects.filter(indicator__code="A01").delete()
        self.login(self.leader)
        self.assertNotContains(self.client.get(reverse("headline")), "地区生产总值：")
        self.assertNotContains(self.client.get(reverse("headline")), ">地区生产总值</a>")
