"""A month's figures from entry to the dashboard, as people do it: the 宛城区 clerk enters
and submits, 商务局 approves, the dashboard changes colour, the bulletin downloads
(built by a background job on the way)."""

from __future__ import annotations

import pytest

from baozheng.testing import DEMO_AS_OF
from tests.browser.conftest import SCREENSHOTS, login
from tests.jobs.helpers import run_queued_jobs


@pytest.fixture
def nanyang(demo_org):
    """The demo statistics, with Nanyang's and 宛城区's 1-9月 retail sales not yet in: the
    city's figure is then derived from its counties and waits for 宛城区 and 桐柏县
    (submitted in the demo), so it shows 无数据 until both are approved."""
    from baozheng.reporting import demo as reporting_demo
    from baozheng.stats import demo
    from baozheng.stats.models import Observation

    demo.load(lambda text: None, as_of=DEMO_AS_OF)
    reporting_demo.create_forms()  # who reports what; no period control here
    Observation.objects.filter(
        indicator__code="B01", unit__code__in=["411300", "411302"], year=2023, month=9
    ).delete()
    last_year = Observation.objects.get(
        indicator__code="B01", unit__code="411302", year=2022, month=9
    )
    return {"last_year": float(last_year.value)}


def _no_script_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return errors


def _retail_status(page) -> str:
    row = page.locator("table.overview tr", has_text="社会消费品零售总额")
    return row.locator("span.status").first.get_attribute("class")


def test_a_clerk_submits_a_department_approves_and_the_dashboard_changes_colour(
    page_factory, live_server, nanyang
):
    clerk = page_factory()
    errors = _no_script_errors(clerk)
    clerk.on("dialog", lambda dialog: dialog.accept())
    login(clerk, live_server, "wancheng")
    clerk.click("text=数据填报")
    clerk.wait_for_url("**/monitor/entry/**")
    assert "2023年1-10月" in clerk.locator("h1").inner_text()  # the period being collected
    clerk.goto(f"{live_server.url}/monitor/entry/?unit=411302&period=2023-09")
    line = clerk.locator("tr.entry-line", has_text="社会消费品零售总额")
    value = line.locator("input[data-field=value]")
    value.fill("12x")
    assert "不是数字" in line.locator(".check").inner_text()
    value.fill(f"{nanyang['last_year'] * 1.08:.2f}")
    line.locator("input[data-field=growth]").fill("8.0")
    assert "不是数字" not in line.locator(".check").inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    clerk.screenshot(path=str(SCREENSHOTS / "monitor-entry.png"), full_page=True)
    clerk.click("button[value=submit]")
    assert "已提交审核 1 项" in clerk.locator(".messages").inner_text()
    assert "已提交" in clerk.locator("tr.entry-line", has_text="社会消费品零售总额").inner_text()

    department = page_factory()
    errors += _no_script_errors(department)
    login(department, live_server, "shangwu")
    department.goto(f"{live_server.url}/monitor/?period=2023-09&parent=411300")
    assert "st-no_data" in _retail_status(department)
    department.click("nav >> text=审核")
    department.wait_for_url("**/monitor/review/**")  # count() does not wait for the page
    department.wait_for_selector("button[value=approve]")
    assert (
        department.locator("tr", has_text="宛城区").filter(has_text="社会消费品零售总额").count()
        == 1
    )
    department.check("input[data-check-all]")  # with 桐柏县's figure, waiting since the demo
    department.click("button[value=approve]")
    assert "已审核通过 2 项" in department.locator(".messages").inner_text()

    department.goto(f"{live_server.url}/monitor/?period=2023-09&parent=411300")
    assert "st-no_data" not in _retail_status(department)

    department.click("text=通报")
    bulletin_url = department.url
    # Not built yet: each download starts a background job and shows its page, which polls
    # until the worker has built the file and then offers it.
    department.click("text=Excel 表格（xlsx）")
    department.wait_for_selector("text=文档生成")
    run_queued_jobs()
    with department.expect_download() as download:
        department.click("text=下载Excel文件")
    assert download.value.suggested_filename.endswith(".xlsx")
    department.goto(bulletin_url)
    department.click("text=下载 Word 公文")
    department.wait_for_selector("text=文档生成")
    run_queued_jobs()
    with department.expect_download() as download:
        department.click("text=下载Word文件")
    assert download.value.suggested_filename.endswith(".docx")
    assert not errors, errors


def test_it_takes_screenshots_of_the_overview_an_indicator_and_the_warnings(
    page_factory, live_server, nanyang
):
    page = page_factory({"width": 1366, "height": 900})
    errors = _no_script_errors(page)
    login(page, live_server, "leader")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{live_server.url}/monitor/?period=2023-09")
    page.screenshot(path=str(SCREENSHOTS / "monitor-overview.png"), full_page=True)
    page.goto(f"{live_server.url}/monitor/indicator/B05/?period=2023-09")
    page.wait_for_selector("[data-chart-drawn], [data-drawn]", state="attached")
    page.wait_for_function("document.querySelectorAll('[data-drawn]').length == 2")
    page.screenshot(path=str(SCREENSHOTS / "monitor-indicator.png"), full_page=True)
    page.goto(f"{live_server.url}/monitor/warnings/?period=2023-09")
    page.screenshot(path=str(SCREENSHOTS / "monitor-warnings.png"))  # the top: one page is long
    phone = page_factory({"width": 390, "height": 844})
    login(phone, live_server, "leader")
    phone.goto(f"{live_server.url}/monitor/?period=2023-09")
    phone.screenshot(path=str(SCREENSHOTS / "monitor-overview-phone.png"))
    assert not errors, errors
