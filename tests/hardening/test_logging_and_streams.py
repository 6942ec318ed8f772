"""A refused request is logged as one line; files stream asynchronously under ASGI."""

from __future__ import annotations

import io
import logging
import tempfile
from pathlib import Path

from django.test import RequestFactory, override_settings
from django.test.client import AsyncRequestFactory
from django.urls import reverse

from baozheng.lib.logfilters import OneLineRefusals
from baozheng.lib.uploads import file_download
from baozheng.testing import BaozhengTestCase


class RefusalLogTests(BaozhengTestCase):
    def test_a_403_is_logged_as_one_line_without_a_traceback(self):
        self.login(self.leader)
        with self.assertLogs("django.request", level="WARNING") as logs:
            self.assertEqual(self.client.get(reverse("org-audit")).status_code, 403)
        record = logs.records[-1]
        self.assertIsNone(record.exc_info)
        self.assertNotIn("Traceback", logs.output[-1])
        self.assertIn("/audit/", record.getMessage())

    def test_a_server_error_keeps_its_traceback(self):
        try:
            raise ValueError("boom")
        except ValueError:
            record = logging.LogRecord("django.request", 40, "", 0, "Internal", (), None)
            import sys

            record.exc_info = sys.exc_info()
        record.status_code = 500
        OneLineRefusals().filter(record)
        self.assertIsNotNone(record.exc_info)


class FileStreamTests(BaozhengTestCase):
    def test_under_asgi_a_file_streams_from_an_asynchronous_iterator(self):
        request = AsyncRequestFactory().get("/x/")
        response = file_download(
            request, io.BytesIO(b"abc" * 50_000), "a.pdf", "application/pdf", True
        )
        self.assertTrue(response.is_async)
        self.assertIn("attachment", response["Content-Disposition"])

    def test_under_wsgi_a_file_streams_from_the_file(self):
        handle = open(Path(tempfile.mkdtemp()) / "a.pdf", "w+b")
        response = file_download(
            RequestFactory().get("/x/"), handle, "a.pdf", "application/pdf", True
        )
        self.assertFalse(response.is_async)
        response.close()


@override_settings(DEBUG=False)
class BoardStreamTests(BaozhengTestCase):
    def test_the_live_board_stream_uses_an_asynchronous_iterator_under_asgi(self):
        from asgiref.sync import async_to_sync

        from baozheng.contest.views.public import board_stream
        from tests.contest.factory import SmallContest

        c = SmallContest(head=self.contest_staff)
        request = AsyncRequestFactory().get(f"/contest/board/{c.venue.pk}/events/")
        response = async_to_sync(board_stream)(request, c.venue.pk)
        self.assertTrue(response.is_async)
        self.assertEqual(response["Content-Type"], "text/event-stream")
