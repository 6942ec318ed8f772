"""The big screen's links: no login, read-only, scoped, revocable."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from baozheng.headline.display import make_token
from baozheng.headline.models import DisplayLink, ReleaseNotice
from tests.headline.base import COUNTIES, HeadlineTestCase, json_script


class DisplayTests(HeadlineTestCase):
    def screen_url(self, link: DisplayLink) -> str:
        return reverse("headline-screen", args=[make_token(link)])

    def test_the_screen_shows_without_login_one_slide_per_headline_indicator(self):
        link = DisplayLink.objects.get(unit=self.city)
        response = self.client.get(self.screen_url(link))
        self.assertContains(response, "南阳市经济运行调度")
        self.assertContains(response, "1-9月增长9.4%，高于争9目标0.4个百分点，全省第1")
        config = json_script(response.content.decode(), "screen-config")
        self.assertEqual(len(config["slides"]), 6)
        self.assertEqual(config["rotate"], 20000)
        self.assertEqual(set(config["slides"][0]["map"]["data"][0]["locations"]), COUNTIES)
        self.assertEqual(config["slides"][0]["bars"]["data"][0]["type"], "bar")
        self.assertNotContains(response, "<form")

    def test_the_outlines_and_own_row_mode_are_read_once_for_all_the_slides(self):
        link = DisplayLink.objects.get(unit=self.city)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(self.screen_url(link))
        config = json_script(response.content.decode(), "screen-config")
        self.assertEqual(len(config["slides"]), 6)
        read = [q for q in queries.captured_queries if "headline_unitboundary" in q["sql"]]
        self.assertEqual(len(read), 1)
        asked = [
            q
            for q in queries.captured_queries
            if 'SELECT 1 AS "a" FROM "org_peergroup"' in q["sql"]
        ]
        self.assertEqual(len(asked), 1)  # own_row_mode, once for every slide

    def test_a_county_screen_shows_only_the_county(self):
        link = DisplayLink.objects.create(name="宛城区会议室", unit=self.wancheng_unit)
        response = self.client.get(self.screen_url(link))
        config = json_script(response.content.decode(), "screen-config")
        self.assertEqual(config["slides"][0]["map"]["data"][0]["locations"], ["411302"])
        self.assertNotContains(response, "卧龙区")

    def test_a_revoked_or_forged_link_shows_nothing(self):
        link = DisplayLink.objects.get(unit=self.city)
        url = self.screen_url(link)
        self.assertEqual(self.client.get(url).status_code, 200)
        self.login(self.dispatch)
        self.client.post(reverse("headline-display-revoke", args=[link.pk]))
        self.client.logout()
        self.assertContains(self.client.get(url), "大屏链接已撤销", status_code=404)
        self.assertEqual(self.client.get(url + "x/").status_code, 404)
        self.assertContains(
            self.client.get(reverse("headline-screen", args=["forged:token"])),
            "大屏链接无效",
            status_code=404,
        )

    def test_the_version_changes_when_a_release_is_heard_of(self):
        link = DisplayLink.objects.get(unit=self.city)
        url = reverse("headline-screen-version", args=[make_token(link)])
        before = self.client.get(url).json()["version"]
        ReleaseNotice.objects.create(period="2023-09", parent="411300", version=2)
        self.assertNotEqual(self.client.get(url).json()["version"], before)

    def test_a_name_over_its_column_creates_no_link(self):
        url = reverse("headline-displays")
        self.login(self.dispatch)
        self.assertContains(self.client.get(url), 'maxlength="60"')
        before = DisplayLink.objects.count()
        response = self.client.post(url, {"name": "屏" * 61, "unit": "411300"}, follow=True)
        self.assertContains(response, "名称超过 60 字（61 字），请删减后重新提交")
        self.assertEqual(DisplayLink.objects.count(), before)
        self.client.post(url, {"name": "屏" * 60, "unit": "411300"})
        self.assertTrue(DisplayLink.objects.filter(name="屏" * 60).exists())

    def test_the_dispatch_office_creates_links_and_others_may_not(self):
        url = reverse("headline-displays")
        self.login(self.dispatch)
        response = self.client.post(url, {"name": "指挥中心二号屏", "unit": "411300"}, follow=True)
        self.assertContains(response, "已创建大屏链接“指挥中心二号屏”")
        self.assertContains(response, "<svg")  # the QR code
        for user in (self.leader, self.wancheng):
            self.login(user)
            self.assertEqual(self.client.get(url).status_code, 403)
            self.assertEqual(
                self.client.post(reverse("headline-display-revoke", args=[1])).status_code, 403
            )
