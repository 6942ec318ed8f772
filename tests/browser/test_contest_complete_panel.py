"""The projector board ranks a contestant only when the panel is complete: 评分中 with
sheets in/expected until then, a rank and the score once the last sheet is in."""

from decimal import Decimal

from playwright.sync_api import expect

from baozheng.contest import scoring
from tests.contest.factory import SmallContest


def test_the_board_shows_scoring_in_progress_then_a_rank(
    page_factory, live_server, demo_org, settings
):
    settings.CONTEST_LIVE_POLL_SECONDS = 0.2
    settings.CONTEST_LIVE_MAX_SECONDS = 60
    c = SmallContest(head=demo_org["contest"])
    points = {c.goal.pk: Decimal(8), c.process.pk: Decimal(4)}
    scoring.submit_sheet(c.judges[0], c.session, c.contestants[0], points, "first")
    board = page_factory({"width": 1280, "height": 720})
    board.goto(f"{live_server.url}/contest/board/{c.venue.pk}/")
    expect(board.locator("[data-live-state]")).to_have_text("实时更新中")
    row = board.locator("tr[data-number='001']")
    expect(row.locator("[data-state]")).to_have_text("评分中")
    expect(row).to_contain_text("已交 1/7")
    expect(row.locator("[data-final]")).to_have_text("—")

    for judge in c.judges[1:]:
        scoring.submit_sheet(judge, c.session, c.contestants[0], points, f"k-{judge.pk}")
    expect(row.locator(".rank")).to_have_text("1", timeout=5000)
    expect(row.locator("[data-final]")).to_have_text("12.00")
    expect(board.locator("tr[data-number='002'] [data-state]")).to_have_text("评分中")
    board.close()
    board_wait = page_factory()
    board_wait.wait_for_timeout(500)  # let the server's streaming thread see the closed board
