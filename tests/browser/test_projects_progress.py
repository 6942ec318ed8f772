from datetime import date

from tests.browser.conftest import SCREENSHOTS, login
from tests.projects.factory import make_project


def test_a_clerk_enters_a_month_of_progress_and_sees_the_warning_clear(page, live_server, demo_org):
    from baozheng.org.models import Unit

    stages = {
        "signed": (None, date(2022, 5, 1)),
        "landed": (None, date(2022, 6, 1)),
        "started": (date(2022, 9, 1), date(2022, 9, 1)),
    }
    project = make_project(
        Unit.objects.get(code="411302"),
        "WC-LAG",
        name="宛城智能电机扩能项目",
        stages=stages,
        ytd_by_month={1: "20", 2: "50", 3: "80", 4: "90", 5: "100"},
        entered_statistics_on=date(2022, 10, 1),
    )
    login(page, live_server, "wancheng")
    page.goto(f"{live_server.url}/projects/warnings/")
    page.click("text=宛城智能电机扩能项目")
    warnings = page.locator("#project-warnings")
    assert "投资完成滞后于时序进度" in warnings.inner_text()
    assert "红灯" in warnings.inner_text()
    page.wait_for_selector("#progress-chart .main-svg")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "projects_detail.png"), full_page=True)

    page.click("text=填报月度进展")
    assert page.input_value("input[name=period]") == "2023-06"
    page.fill("input[name=invested_month]", "600")
    page.fill("textarea[name=narrative]", "主体结构封顶，设备进场")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/projects/{project.pk}/")
    assert "已保存2023年6月的进展" in page.content()
    assert "无预警" in page.locator("#project-warnings").inner_text()
    assert "700.00" in page.content()
