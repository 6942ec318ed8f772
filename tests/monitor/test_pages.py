"""The pages leaders read: overview, indicator, unit, warnings, bulletin and downloads,
each with who may and who may not open it."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from unittest.mock import patch

from django.urls import reverse
from docx import Document

from baozheng.documents.models import DocumentSettings
from tests.jobs.helpers import download_through_job
from tests.monitor.base import PERIOD, MonitorTestCase


class PageTests(MonitorTestCase):
    def get(self, name: str, *args, **query):
        return self.client.get(reverse(name, args=args), query)

    def fetch(self, fmt: str, **query):
        url = reverse("monitor-bulletin-download", args=[fmt])
        return download_through_job(self.client, url, query)

    def test_the_overview_opens_on_the_latest_release_of_the_city(self):
        self.login(self.leader)
        response = self.get("monitor-overview")
        self.assertContains(response, "南阳市经济运行驾驶舱")
        self.assertContains(response, "2023年1-9月（最新）")
        self.assertEqual(response.context["period"].code, PERIOD)
        self.assertContains(response, "社会消费品零售总额")
        self.assertGreater(response.context["red"], 0)
        self.assertGreater(response.context["yellow"], 0)
        self.assertContains(response, '<svg class="spark"')

    def test_the_indicator_page_makes_no_inline_script_and_loads_nothing_from_outside(self):
        self.login(self.leader)
        html = self.get("monitor-indicator", "B01", period=PERIOD).content.decode()
        # every script either loads a file or carries JSON data: none holds inline code
        for tag in re.findall(r"<script\b[^>]*>", html):
            self.assertTrue('src="' in tag or 'type="application/json"' in tag, tag)
        self.assertNotIn("http://", html.replace("http://www.w3.org", ""))
        self.assertNotIn("https://", html)
        self.assertIn("/static/plotly/plotly.min.js", html)
        self.assertIn('type="application/json"', html)

    def test_the_indicator_page_ranks_the_counties_and_charts_the_year(self):
        self.login(self.dispatch)
        response = self.get("monitor-indicator", "B06", period=PERIOD)
        self.assertContains(response, "县市区排名")
        curve = response.context["curve"]
        names = [trace["name"] for trace in curve["data"]]
        self.assertEqual(names, ["2023年", "2022年", "保", "争"])
        self.assertEqual(len(response.context["curve_table"]), 11)  # 1-2月 … 1-12月
        self.assertIsNotNone(response.context["pull_chart"])
        ranks = [row.rank for _, rows in response.context["groups"][:1] for row in rows if row.rank]
        self.assertEqual(ranks, sorted(ranks))

    def test_a_one_tier_target_charts_no_stretch_line(self):
        self.login(self.dispatch)
        response = self.get("monitor-indicator", "B05", period=PERIOD)  # 税收收入增长6%左右
        names = [trace["name"] for trace in response.context["curve"]["data"]]
        self.assertEqual(names, ["2023年", "2022年", "保"])

    def test_an_indicator_not_released_in_the_period_points_to_its_last_release(self):
        self.login(self.leader)
        response = self.get("monitor-indicator", "A01", period="2023-08")  # GDP is quarterly
        self.assertContains(response, "2023年1-8月不发布数据")
        self.assertContains(response, "2023年1-6月")

    def test_the_warnings_list_every_red_and_yellow_item_by_unit_and_department(self):
        self.login(self.leader)
        response = self.get("monitor-warnings", period=PERIOD)
        items = response.context["items"]
        self.assertTrue(items)
        self.assertTrue(all(row.status in ("off_track", "at_risk") for row in items))
        by_department = dict(response.context["by_department"])
        self.assertIn("市商务局", by_department)
        self.assertEqual(sum(len(rows) for _, rows in response.context["by_unit"]), len(items))
        self.assertContains(response, "余月需增速")
        self.assertContains(response, "低于保目标")
        self.assertContains(response, "落后进度")
        self.assertNotContains(response, "落后进度 −")

    def test_the_unit_page_shows_a_county_with_its_ranks_and_history(self):
        self.login(self.wancheng)
        response = self.get("monitor-unit", "411302", period=PERIOD)
        self.assertContains(response, "宛城区")
        rows = response.context["rows"]
        self.assertTrue(rows)
        self.assertTrue(all(row.unit == self.wancheng_unit for row in rows))
        self.assertTrue(any(row.rank for row in rows))
        self.assertContains(response, "2023年各期累计增速")

    def test_a_clerk_may_not_open_another_countys_page(self):
        self.login(self.wancheng)
        self.assertEqual(self.get("monitor-unit", "411303").status_code, 403)

    def test_a_clerk_sees_the_dashboard_of_their_own_county_only(self):
        self.login(self.wancheng)
        response = self.get("monitor-overview", period=PERIOD)
        self.assertEqual(response.context["parent"], self.wancheng_unit)
        self.assertNotContains(response, "卧龙区")
        self.assertEqual(self.get("monitor-overview", parent="411300").status_code, 403)
        self.assertEqual(self.get("monitor-warnings", parent="411300").status_code, 403)
        self.assertEqual(
            self.get("monitor-bulletin-download", "json", parent="411300").status_code, 403
        )

    def test_the_bulletin_page_offers_three_downloads(self):
        self.login(self.leader)
        response = self.get("monitor-bulletin", period=PERIOD)
        for fmt in ("xlsx", "docx", "json"):
            self.assertContains(response, reverse("monitor-bulletin-download", args=[fmt]))

    def test_the_json_download_follows_the_contract(self):
        self.login(self.leader)
        response = self.get("monitor-bulletin-download", "json", period=PERIOD, parent="411300")
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response["Content-Disposition"])
        data = json.loads(response.content)
        self.assertEqual(
            (data["period"], data["period_label"], data["parent"]),
            (PERIOD, "2023年1-9月", "411300"),
        )
        self.assertIn("reasons", data["rows"][0])

    def test_the_xlsx_and_docx_downloads_are_office_files(self):
        self.login(self.dept)
        for fmt in ("xlsx", "docx"):
            response = self.fetch(fmt, period=PERIOD)
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response.content[:2], b"PK")

    def test_the_issuer_and_date_come_from_settings_and_the_form_overrides_them(self):
        DocumentSettings.objects.create(
            doc_type="stats_bulletin",
            issuer="设置里的办公室",
            masthead="经济运行通报",
            style="简报",
            number_pattern="第{month}期",
            recipients="各县市区人民政府",
            signed=date(2023, 10, 8),
        )
        self.login(self.leader)
        text = self.docx_text(self.fetch("docx", period=PERIOD))
        self.assertIn("设置里的办公室", text)
        self.assertIn("第9期", text)
        self.assertIn("各县市区人民政府：", text)
        self.assertIn("2023年10月8日", text)
        given = self.fetch("docx", period=PERIOD, issuer="表单办公室", signed="2023-10-20")
        text = self.docx_text(given)
        self.assertIn("表单办公室", text)
        self.assertIn("2023年10月20日", text)
        self.assertNotIn("设置里的办公室", text)

    def test_a_bad_signing_date_is_refused_in_chinese(self):
        self.login(self.leader)
        response = self.get("monitor-bulletin-download", "docx", period=PERIOD, signed="10/20")
        self.assertEqual(response.status_code, 400)
        self.assertIn("成文日期", response.content.decode())

    def test_the_bulletin_page_offers_pdf_or_says_why_not(self):
        self.login(self.leader)
        with patch("baozheng.documents.pdf.soffice", return_value=None):
            page = self.get("monitor-bulletin", period=PERIOD).content.decode()
            self.assertIn("本机未安装 LibreOffice", page)
            response = self.get("monitor-bulletin-download", "pdf", period=PERIOD)
            self.assertEqual(response.status_code, 503)
            self.assertIn("LibreOffice", response.content.decode())
        with patch("baozheng.documents.pdf.soffice", return_value="/usr/bin/soffice"):
            self.assertIn("下载 PDF", self.get("monitor-bulletin", period=PERIOD).content.decode())

    def docx_text(self, response) -> str:
        self.assertEqual(response.status_code, 200)
        doc = Document(io.BytesIO(response.content))
        return "\n".join(p.text for p in doc.paragraphs)

    def test_an_unknown_format_or_period_is_not_found(self):
        self.login(self.leader)
        self.assertEqual(self.get("monitor-bulletin-download", "odt").status_code, 404)
        self.assertEqual(self.get("monitor-overview", period="2023-13").status_code, 404)

    def test_anonymous_visitors_and_judges_are_kept_out(self):
        self.assertEqual(self.get("monitor-overview").status_code, 302)
        self.login(self.judge)
        for name in ("monitor-overview", "monitor-warnings", "monitor-bulletin"):
            self.assertEqual(self.get(name).status_code, 403)

    def test_the_home_page_points_a_department_to_the_dashboard(self):
        # A leader's `/` is the headline page (tests/headline); other readers get the hint.
        self.login(self.dept)
        response = self.client.get("/")
        self.assertContains(response, "驾驶舱：南阳市2023年1-9月红灯")
        self.assertContains(response, reverse("monitor-overview"))

    def test_the_menu_shows_the_monitoring_pages_by_role(self):
        self.login(self.leader)
        labels = [item["label"] for item in self.client.get("/", follow=True).context["nav"]]
        self.assertIn("驾驶舱", labels)
        self.assertNotIn("数据填报", labels)
        self.assertNotIn("审核", labels)
        self.login(self.wancheng)
        labels = [item["label"] for item in self.client.get("/").context["nav"]]
        self.assertIn("数据填报", labels)
        self.assertNotIn("审核", labels)
