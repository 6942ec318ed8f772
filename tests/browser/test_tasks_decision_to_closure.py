"""A meeting decision becomes a task, the lead unit reports progress and completion, and the
dispatch office verifies and closes it — in a real browser, as three people would."""

from datetime import date

from tests.browser.conftest import SCREENSHOTS, login


def test_a_meeting_decision_is_tracked_to_closure(page_factory, live_server, demo_org):
    from baozheng.tasks.models import Meeting, MeetingKind, Status, Task

    meeting = Meeting.objects.create(
        kind=MeetingKind.WEEKLY_REVIEW,
        title="经济运行周研判",
        held_on=date.today(),
        chair="市调度办主任",
        created_by=demo_org["dispatch"],
    )

    dispatch = page_factory()
    login(dispatch, live_server, "dispatch")
    dispatch.goto(f"{live_server.url}/tasks/meetings/{meeting.pk}/")
    decide = dispatch.locator("#decide form")
    decide.locator("textarea[name=title]").fill("协调解决宛城区食品产业园项目用电报装")
    decide.locator("select[name=lead_unit]").select_option(label="宛城区")
    decide.locator("input[name=deadline_workdays]").fill("5")
    decide.locator("button[type=submit]").click()
    dispatch.wait_for_selector("text=议定事项已立项督办")
    task = Task.objects.get()
    assert (
        dispatch.locator("table.tasks").inner_text().count("协调解决宛城区食品产业园项目用电报装")
        == 1
    )

    clerk = page_factory()
    login(clerk, live_server, "wancheng")
    clerk.goto(f"{live_server.url}/tasks/")
    clerk.click("text=" + task.code)
    clerk.fill(
        "form[action$='/progress/'] textarea[name=note]", "已与供电公司现场对接，确定接入方案"
    )
    clerk.fill("form[action$='/progress/'] input[name=percent_done]", "60")
    clerk.click("text=提交进展")
    clerk.wait_for_selector("text=办理进展已填报")
    assert clerk.locator("#task-status").inner_text() == "办理中"
    report = clerk.locator("form.step", has_text="反馈办结")
    report.locator("textarea[name=note]").fill("已完成用电报装并送电，附供电合同")
    report.locator("button").click()
    clerk.wait_for_selector("#task-status:text('已反馈')")

    dispatch.goto(f"{live_server.url}/tasks/{task.pk}/")
    dispatch.click("button:text('开始核实')")
    dispatch.wait_for_selector("#task-status:text('核实')")
    dispatch.click("button:text('核实通过，办结销号')")
    dispatch.wait_for_selector("#task-status:text('办结销号')")
    assert "已完成用电报装并送电" in dispatch.content()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    dispatch.screenshot(path=str(SCREENSHOTS / "tasks_detail.png"), full_page=True)

    task.refresh_from_db()
    assert (task.status, task.verified_by.username) == (Status.CLOSED, "dispatch")
