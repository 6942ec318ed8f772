"""Browser tests: a real Debian Chromium driven by Playwright against Django's live server.

Every request the page makes outside the live server is recorded and fails the test:
government intranets are offline, so a page must never reach for a CDN.

Screenshots go to a temporary folder, so that a test run never changes the working tree;
`BAOZHENG_SCREENSHOTS=docs/screenshots python -m pytest tests/browser` refreshes the ones
committed for README.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = os.environ.get("BAOZHENG_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "test-password-123"
SCREENSHOTS = Path(
    os.environ.get("BAOZHENG_SCREENSHOTS") or Path(tempfile.gettempdir()) / "baozheng-screenshots"
)

# Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures
# and the live server are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module, not per session: Playwright's sync API keeps an event
    loop running in this thread while it is open, and under pytest-xdist the tests a worker
    runs after a browser module (async_to_sync in an ASGI test) must not meet that loop."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI 必须安装 Chromium：{CHROMIUM} 不存在")
        pytest.skip(f"未安装 Chromium（{CHROMIUM}），apt-get install chromium 后再运行浏览器测试")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def demo_org(transactional_db):
    """Nanyang's units and the demo personas (password `PASSWORD`)."""
    from baozheng.org import demo

    demo.create_units()
    return demo.create_users(password=PASSWORD)


@pytest.fixture
def page_factory(browser, live_server):
    """New pages (one browser context each, so several users can be logged in at once)."""
    contexts, outside = [], []
    host = urlparse(live_server.url).netloc

    def refuse_outside(route) -> None:
        if urlparse(route.request.url).netloc != host:
            outside.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    def make(viewport: dict | None = None):
        context = browser.new_context(
            locale="zh-CN",
            accept_downloads=True,
            viewport=viewport or {"width": 1280, "height": 900},
        )
        context.route("**/*", refuse_outside)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
    assert not outside, f"页面请求了服务器以外的地址：{outside}"


@pytest.fixture
def page(page_factory):
    return page_factory()


def login(page, live_server, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/**")
    assert "/login/" not in page.url, "登录失败"
