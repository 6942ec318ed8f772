"""Judges score a session on phone-sized windows; the projector leaderboard updates live."""

from playwright.sync_api import expect

from baozheng.contest.tokens import make_token
from tests.browser.conftest import SCREENSHOTS, login
from tests.contest.factory import SmallContest

PHONE = {"width": 390, "height": 844}


def score(page, live_server, token: str, goal: str, process: str) -> None:
    page.goto(f"{live_server.url}/contest/score/{token}/")
    page.get_by_role("link", name="001 号").click()
    inputs = page.locator("form[data-score-form] input[type=number]")
    inputs.nth(0).fill(goal)
    inputs.nth(1).fill(process)
    expect(page.locator("[data-total]")).to_have_text(
        str(float(goal) + float(process)).removesuffix(".0")
    )
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="提交并锁定").click()
    expect(page.locator(".messages")).to_contain_text("已提交并锁定")
    expect(page.locator(".score-row.submitted")).to_have_count(1)


def test_several_judges_score_on_phones_and_the_leaderboard_updates(
    page_factory, live_server, demo_org, settings
):
    settings.CONTEST_LIVE_POLL_SECONDS = 0.2
    settings.CONTEST_LIVE_MAX_SECONDS = 60
    c = SmallContest(head=demo_org["contest"])
    projector = page_factory({"width": 1280, "height": 720})
    projector.goto(f"{live_server.url}/contest/board/{c.venue.pk}/")
    expect(projector.locator("[data-live-state]")).to_have_text("实时更新中")
    row = projector.locator("tr[data-number='001']")
    expect(row).to_contain_text("0/7")

    for judge, (goal, process) in zip(
        c.judges[:3], [("8.5", "4"), ("9", "5"), ("7.5", "3")], strict=True
    ):
        phone = page_factory(PHONE)
        score(phone, live_server, make_token(judge, c.session), goal, process)
        if judge is c.judges[0]:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            phone.goto(
                f"{live_server.url}/contest/score/{make_token(c.judges[3], c.session)}/{c.contestants[0].pk}/"
            )
            phone.locator("form[data-score-form] input[type=number]").nth(0).fill("9")
            phone.screenshot(path=str(SCREENSHOTS / "contest_phone.png"))

    # Three sheets of seven: the board shows progress, no partial score and no rank.
    expect(row).to_contain_text("已交 3/7", timeout=5000)
    expect(row.locator("[data-final]")).to_have_text("—")
    expect(row.locator("[data-state]")).to_have_text("评分中")
    assert "瓦店一小" not in row.inner_text()
    projector.screenshot(path=str(SCREENSHOTS / "contest_board.png"))

    # The venue head releases names; the projector shows them without a reload.
    staff = page_factory()
    login(staff, live_server, "contest")
    staff.goto(f"{live_server.url}/contest/venues/{c.venue.pk}/")
    staff.once("dialog", lambda dialog: dialog.accept())
    staff.get_by_role("button", name="公布选手姓名").click()
    expect(row).to_contain_text("瓦店一小", timeout=5000)
    # Close the board and give the server's streaming thread one poll interval to notice,
    # so that it does not touch the test database after teardown.
    projector.close()
    staff.wait_for_timeout(500)
