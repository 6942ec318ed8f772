from tests.browser.conftest import login


def test_a_clerk_logs_in_and_sees_chinese_home_page(page, live_server, demo_org):
    login(page, live_server, "wancheng")
    assert page.locator("h1").inner_text().startswith("您好")
    assert "按期填报本县区的月度数据" in page.content()
