"""The office's month in a browser: dispatch opens 2023年1-10月, the 宛城区 clerk enters
and submits, 商务局 and then dispatch approve (the form's two steps), dispatch releases,
a correction request passes both steps and the bulletin shows version 2 with version 1 still
readable. Takes no screenshots (nothing is written into docs/)."""

from __future__ import annotations

import pytest

from baozheng.testing import DEMO_AS_OF
from tests.browser.conftest import login


@pytest.fixture
def office(demo_org):
    """The demo statistics and reporting system with 2023年1-9月 released and 1-10月 not
    yet opened; returns 宛城区's 1-9月 retail sales."""
    from baozheng.reporting import demo as reporting_demo
    from baozheng.reporting.models import ReportingPeriod
    from baozheng.stats import demo
    from baozheng.stats.models import Observation

    demo.load(lambda text: None, as_of=DEMO_AS_OF)
    reporting_demo.load(lambda text: None, as_of=DEMO_AS_OF)
    ReportingPeriod.objects.filter(year=2023, month=10).delete()
    sept = Observation.objects.get(indicator__code="B01", unit__code="411302", year=2023, month=9)
    return float(sept.value)


def _messages(page) -> str:
    return page.locator(".messages").inner_text()


def test_open_enter_submit_approve_release_and_correct(page_factory, live_server, office):
    url = live_server.url
    dispatch = page_factory()
    dispatch.on("dialog", lambda dialog: dialog.accept())
    login(dispatch, live_server, "dispatch")
    dispatch.goto(f"{url}/reporting/")
    dispatch.fill("input[name=period]", "2023-10")
    dispatch.click("button[value=open]")
    assert "已开放2023年1-10月数据填报" in _messages(dispatch)

    clerk = page_factory()
    clerk.on("dialog", lambda dialog: dialog.accept())
    login(clerk, live_server, "wancheng")
    clerk.goto(f"{url}/monitor/entry/")
    assert "2023年1-10月" in clerk.locator("h1").inner_text()
    units = clerk.locator("select[name=unit] option").all_inner_texts()
    assert units == ["宛城区"]
    line = clerk.locator("tr.entry-line", has_text="社会消费品零售总额")
    value = line.locator("input[data-field=value]")
    value.fill(f"{office - 1:.2f}")  # the validation rules run while typing
    assert "单月值不得为负" in line.locator(".check").inner_text()
    value.fill(f"{office + 20:.2f}")
    assert "单月值不得为负" not in line.locator(".check").inner_text()
    clerk.click("button[value=submit]")
    assert "已提交审核 1 项" in _messages(clerk)

    department = page_factory()
    login(department, live_server, "shangwu")
    department.goto(f"{url}/monitor/review/?period=2023-10")
    department.locator("tr", has_text="宛城区").locator("input[name=obs]").check()
    department.click("button[value=approve]")
    assert "已通过本级审核 1 项，转下一步审核" in _messages(department)

    dispatch.goto(f"{url}/monitor/review/?period=2023-10")
    dispatch.locator("tr", has_text="宛城区").locator("input[name=obs]").check()
    dispatch.click("button[value=approve]")
    assert "已审核通过 1 项" in _messages(dispatch)

    dispatch.goto(f"{url}/reporting/")
    dispatch.locator("tr", has_text="2023年1-10月").locator("button[value=release]").click()
    assert "已发布南阳市2023年1-10月通报（第1版）" in _messages(dispatch)

    leader = page_factory()
    login(leader, live_server, "leader")
    leader.goto(f"{url}/monitor/bulletin/")
    assert "2023年1-10月" in leader.locator("h1").inner_text()
    assert "显示第1版" in leader.locator(".release-info").inner_text()

    dispatch.goto(f"{url}/reporting/")
    assert "已发布" in dispatch.locator("tr", has_text="2023年1-10月").inner_text()
    clerk.goto(f"{url}/reporting/corrections/")
    clerk.select_option("select[name=indicator]", label="社会消费品零售总额")
    clerk.select_option("select[name=unit]", label="宛城区")
    clerk.fill("input[name=period]", "2023-10")
    clerk.fill("input[name=value]", f"{office + 30:.2f}")
    clerk.fill("input[name=reason]", "漏报一家新入统企业")
    clerk.click("form.stacked button[type=submit]")
    assert "更正申请已提交" in _messages(clerk)

    department.goto(f"{url}/reporting/corrections/")  # the correction follows the chain too
    department.locator("tr", has_text="漏报一家新入统企业").locator("button[value=accept]").click()
    assert "已通过第1步“市主管部门审核”，转下一步审核" in _messages(department)
    dispatch.goto(f"{url}/reporting/corrections/")
    dispatch.locator("tr", has_text="漏报一家新入统企业").locator("button[value=accept]").click()
    assert "已发布南阳市通报第2版" in _messages(dispatch)

    leader.goto(f"{url}/monitor/bulletin/")
    info = leader.locator(".release-info")
    assert "显示第2版" in info.inner_text()
    info.locator("text=更正内容").click()
    changes = leader.locator("table.data").first.inner_text()
    assert "宛城区" in changes and "社会消费品零售总额" in changes and "累计值" in changes
    leader.locator("a", has_text="第1版").click()
    assert "第1版" in leader.locator("h1").inner_text()
