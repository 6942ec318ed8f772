"""The leader's thirty seconds in a real browser: the headline at desktop and phone sizes,
the county map drawn offline, the big screen rotating without a login, and the daily pages
readable on a 390 px phone without sideways scrolling.

Screenshots go to a temporary folder; with BAOZHENG_SCREENSHOTS=docs/screenshots they are written
into docs/screenshots/ (how the committed ones were made)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from baozheng.testing import DEMO_AS_OF
from tests.browser.conftest import SCREENSHOTS, login

DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
SHAPES = "document.querySelectorAll('path.choroplethlocation').length"
WIDTH = "document.documentElement.scrollWidth"


def shots() -> Path:
    """The screenshot folder of the browser tests (a temporary one unless asked)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def nanyang(demo_org):
    from baozheng.headline import demo as headline_demo
    from baozheng.reporting import demo as reporting_demo
    from baozheng.stats import demo

    demo.load(lambda text: None, as_of=DEMO_AS_OF)
    reporting_demo.create_forms()  # who reports what (the clerk's grid); no period control
    if os.environ.get("BAOZHENG_SCREENSHOTS"):
        # The committed pictures show the whole demo: its tasks and projects too.
        from baozheng.projects import demo as projects_demo
        from baozheng.tasks import demo as tasks_demo

        tasks_demo.load(lambda text: None)
        projects_demo.load(lambda text: None, as_of=DEMO_AS_OF)
    headline_demo.load(lambda text: None)


def _errors(page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return errors


def test_the_leader_reads_the_headline_and_the_map_in_one_screen(
    page_factory, live_server, nanyang
):
    page = page_factory(DESKTOP)
    errors = _errors(page)
    login(page, live_server, "leader")
    assert page.url == f"{live_server.url}/headline/"
    page.wait_for_selector(".hl-chart[data-drawn]", state="attached")
    # The 13 counties, drawn from outlines the server holds (the fixture fails the test if
    # any request leaves the server: no tiles, no topojson from a CDN).
    assert page.evaluate(SHAPES) == 13
    assert "1-9月增长9.4%，高于争9目标0.4个百分点，全省第1" in page.inner_text(".hl-cards")
    bottom = page.evaluate("document.querySelector('.hl-grid').getBoundingClientRect().bottom")
    assert bottom <= DESKTOP["height"], f"要览超出一屏：{bottom}px"
    assert page.evaluate(WIDTH) <= DESKTOP["width"]
    page.screenshot(path=str(shots() / "headline.png"))
    # A click on a county opens its page.
    page.locator("path.choroplethlocation").first.click(force=True)
    page.wait_for_url("**/monitor/unit/**")
    assert not errors, errors


def test_on_a_phone_the_daily_pages_need_no_sideways_scrolling(page_factory, live_server, nanyang):
    phone = page_factory(PHONE)
    errors = _errors(phone)
    login(phone, live_server, "leader")
    phone.wait_for_selector(".hl-chart[data-drawn]", state="attached")
    assert phone.evaluate(WIDTH) <= PHONE["width"]
    first_card = phone.locator(".hl-card").first
    assert first_card.bounding_box()["y"] < PHONE["height"] / 2, "关键数字应在首屏"
    details = first_card.locator("details.hl-more")
    details.locator("summary").click()
    assert "余下月份需增长" in details.inner_text()
    phone.screenshot(path=str(shots() / "headline-phone.png"), full_page=True)
    phone.goto(f"{live_server.url}/monitor/?period=2023-09")
    assert phone.evaluate(WIDTH) <= PHONE["width"]
    light = phone.locator("table.overview tbody tr").first.locator("span.status").first
    assert light.is_visible()
    box = light.bounding_box()
    assert box["x"] + box["width"] <= PHONE["width"], "状态列应在屏幕内"
    clerk = page_factory(PHONE)
    login(clerk, live_server, "wancheng")
    clerk.goto(f"{live_server.url}/monitor/entry/?period=2023-10")
    assert clerk.evaluate(WIDTH) <= PHONE["width"]
    assert clerk.locator("input.fig-input").first.is_visible()
    box = clerk.locator("input.fig-input").first.bounding_box()
    assert box["x"] + box["width"] <= PHONE["width"]
    assert not errors, errors


def test_the_big_screen_shows_and_rotates_without_a_login(page_factory, live_server, nanyang):
    from baozheng.headline.display import make_token
    from baozheng.headline.models import DisplayLink

    link = DisplayLink.objects.get(unit__code="411300")
    link.rotate_seconds = 1
    link.save()
    screen = page_factory({"width": 1920, "height": 1080})
    errors = _errors(screen)
    screen.goto(f"{live_server.url}/headline/screen/{make_token(link)}/")
    assert "/login/" not in screen.url
    screen.wait_for_selector("[data-slide-map='0'][data-drawn]", state="attached")
    assert screen.evaluate(SHAPES) == 13
    screen.wait_for_selector("body[data-current='1']", state="attached", timeout=5000)
    assert screen.locator("[data-slide='1']").is_visible()
    assert screen.locator("[data-slide='0']").is_hidden()
    screen.wait_for_selector("[data-slide-map='1'][data-drawn]", state="attached")
    screen.screenshot(path=str(shots() / "headline-screen.png"))
    assert not errors, errors
