"""The live leaderboard's Server-Sent Events stream."""

import asyncio
import json
from decimal import Decimal

from asgiref.sync import sync_to_async
from django.test import override_settings
from django.urls import reverse

from baozheng.contest import scoring
from baozheng.testing import BaozhengTestCase
from tests.contest.factory import SmallContest


def parse(chunk: str) -> tuple[str, dict | None]:
    fields = dict(
        line.split(": ", 1)
        for line in chunk.strip().splitlines()
        if ": " in line and not line.startswith(":")
    )
    return fields.get("event", ""), json.loads(fields["data"]) if "data" in fields else None


@override_settings(
    CONTEST_LIVE_POLL_SECONDS=0.02, CONTEST_LIVE_MAX_SECONDS=5, CONTEST_LIVE_BACKEND="poll"
)
class BoardStreamTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.c = SmallContest(head=cls.contest_staff)

    async def next_event(self, stream) -> tuple[str, dict | None]:
        while True:
            chunk = await asyncio.wait_for(anext(stream), timeout=3)
            chunk = chunk.decode() if isinstance(chunk, bytes) else chunk
            if chunk.startswith("event:"):
                return parse(chunk)

    async def test_the_stream_sends_the_board_now_and_again_after_a_submission(self):
        response = await self.async_client.get(
            reverse("contest-board-events", args=[self.c.venue.pk])
        )
        self.assertEqual(response["Content-Type"], "text/event-stream")
        stream = aiter(response.streaming_content)
        event, data = await self.next_event(stream)
        self.assertEqual(event, "board")
        self.assertIn("001 号", data["html"])
        self.assertIn("0/7", data["html"])
        points = {self.c.goal.pk: Decimal("9.5"), self.c.process.pk: Decimal(4)}
        await sync_to_async(scoring.submit_sheet)(
            self.c.judges[0], self.c.session, self.c.contestants[0], points, "s1"
        )
        event, data = await self.next_event(stream)
        self.assertEqual(event, "board")
        # One sheet of seven: the board shows progress, never a partial score.
        self.assertIn("已交 1/7", data["html"])
        self.assertNotIn("13.50", data["html"])
        self.assertNotIn("瓦店一小", data["html"])
        await stream.aclose()

    async def test_an_unknown_venue_is_not_found(self):
        response = await self.async_client.get(reverse("contest-board-events", args=[999999]))
        self.assertEqual(response.status_code, 404)
