"""Two application servers (separate `baozheng serve` processes, separate data
directories) on one PostgreSQL database: a figure approved through one is in the bulletin
served by the other at once, and a judge's sheet sent to one reaches a live leaderboard
streamed by the other. PostgreSQL only (SQLite is one machine by design)."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import subprocess
import tempfile
import urllib.parse
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.db import connection
from django.test import TransactionTestCase

from baozheng.contest.tokens import make_token
from baozheng.org import demo
from baozheng.org.models import Unit
from baozheng.stats import workflow
from baozheng.stats.models import Observation
from tests.contest.factory import SmallContest
from tests.org.serving import start_serve
from tests.receivers import free_port
from tests.stats import factory

PASSWORD = "test-password-123"


class Browser:
    """One user's cookies against one server, with the CSRF token the forms need."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        text = response.read().decode()
        conn.close()
        return response.status, text

    def login(self, username: str) -> None:
        _, page = self.request("GET", "/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        status, _ = self.request(
            "POST",
            "/login/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        )
        assert status == 302, f"login of {username} on {self.port}: {status}"

    def form(self, path: str, form: dict) -> int:
        self.request("GET", "/monitor/review/")  # sets the CSRF cookie
        return self.request(
            "POST", path, {**form, "csrfmiddlewaretoken": self.cookies["csrftoken"]}
        )[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two servers need PostgreSQL")
class TwoServerTests(TransactionTestCase):
    def setUp(self) -> None:
        demo.create_units()
        self.users = demo.create_users(password=PASSWORD)
        for name in ("leader", "dispatch"):  # the servers know only the production hashers
            self.users[name].password = Argon2PasswordHasher().encode(PASSWORD, "twoservers")
            self.users[name].save(update_fields=["password"])
        self.retail = factory.indicators()["RETAIL"]
        self.contest = SmallContest(head=self.users["contest"])
        self.servers = [self.start(name) for name in ("a", "b")]

    def tearDown(self) -> None:
        for process, _ in self.servers:
            process.terminate()
        for process, _ in self.servers:
            process.wait(timeout=30)

    def start(self, name: str) -> tuple[subprocess.Popen, int]:
        db = connection.settings_dict
        url = (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )
        data_dir = Path(tempfile.mkdtemp(prefix=f"bz-two-{name}-"))
        self.addCleanup(shutil.rmtree, data_dir, ignore_errors=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("BAOZHENG_", "DATABASE"))}
        env.update(
            DATABASE_URL=url,
            BAOZHENG_DATA_DIR=str(data_dir),  # no shared cache or files between the two
            BAOZHENG_SECRET_KEY=settings.SECRET_KEY,  # judges' links are signed with it
        )
        port = free_port()
        return start_serve(env, port, workers=1), port

    def bulletin_value(self, browser: Browser) -> object:
        status, text = browser.request("GET", "/api/v1/stats/bulletin?period=2023-06&parent=411300")
        assert status == 200, text[:200]
        for row in json.loads(text)["rows"]:
            if row["unit"] == "411302" and row["indicator"] == "RETAIL":
                return row["value"]
        return None

    def test_an_approval_through_one_server_shows_in_the_other(self) -> None:
        (_, port_a), (_, port_b) = self.servers
        obs = self.submitted()
        leader_b = Browser(port_b)
        leader_b.login("leader")
        self.assertIsNone(self.bulletin_value(leader_b))  # B has computed (and cached) it
        reviewer_a = Browser(port_a)
        reviewer_a.login("dispatch")
        status = reviewer_a.form("/monitor/review/act/", {"obs": [obs.pk], "action": "approve"})
        self.assertEqual(status, 302)
        obs.refresh_from_db()
        self.assertEqual(obs.status, "approved")
        self.assertEqual(float(self.bulletin_value(leader_b)), 321.5)

    def submitted(self) -> Observation:
        clerk = self.users["wancheng"]
        obs = workflow.save_draft(
            clerk, self.retail, Unit.objects.get(code="411302"), 2023, 6, Decimal("321.5"), None
        )
        return workflow.submit(clerk, obs)

    def test_a_sheet_sent_to_one_server_reaches_a_board_streamed_by_the_other(self) -> None:
        (_, port_a), (_, port_b) = self.servers
        c = self.contest
        board = http.client.HTTPConnection("127.0.0.1", port_b, timeout=20)
        board.request("GET", f"/contest/board/{c.venue.pk}/events/")
        stream = board.getresponse()
        self.assertEqual(stream.status, 200)
        self.assertIn("0/7", self.next_board(stream))
        token = make_token(c.judges[0], c.session)
        contestant = c.contestants[0]
        judge_a = Browser(port_a)
        status, _ = judge_a.request(
            "POST",
            f"/contest/score/{token}/{contestant.pk}/",
            {f"item-{c.goal.pk}": "9.5", f"item-{c.process.pk}": "4", "idempotency_key": "k1"},
        )
        self.assertEqual(status, 302)
        html = self.next_board(stream)
        # One sheet of seven: the board shows the progress, never a partial score.
        self.assertIn("已交 1/7", html)
        self.assertNotIn("13.50", html)
        board.close()

    @staticmethod
    def next_board(stream) -> str:
        """The html of the next `board` event on the stream (chunks decoded by http.client)."""
        event = ""
        while True:
            line = stream.readline()
            if not line:
                raise AssertionError("the stream ended")
            if line.startswith(b"event: "):
                event = line[7:].strip().decode()
            elif line.startswith(b"data: ") and event == "board":
                return json.loads(line[6:])["html"]
