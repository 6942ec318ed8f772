"""docs/api.md's curl examples, run as written against a live server."""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
from pathlib import Path

from django.core.servers.basehttp import ThreadedWSGIServer
from django.test import LiveServerTestCase
from django.test.testcases import LiveServerThread

from baozheng.org import demo
from baozheng.org.models import Unit
from baozheng.stats.models import Indicator, Observation
from tests.api.helpers import token

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "api.md"
BLOCK = re.compile(r"<!-- 令牌：(.+?) -->\n```console\n(.*?)```", re.S)


def examples() -> list[tuple[list[str], list[tuple[str, int]]]]:
    """(role and unit codes, [(command, expected status)]) for each example block."""
    found = []
    for header, body in BLOCK.findall(GUIDE.read_text(encoding="utf-8")):
        commands = []
        for line in body.splitlines():
            match = re.fullmatch(r"\$ (.+?)\s+# (\d{3})", line.strip())
            if match:
                commands.append((match.group(1), int(match.group(2))))
        found.append((header.split(), commands))
    return found


class QuickStopServer(ThreadedWSGIServer):
    """Looks for the stop every 20 ms: stopping the live server waited for that look, half a
    second at the default."""

    def serve_forever(self, poll_interval: float = 0.02) -> None:
        super().serve_forever(poll_interval)


class QuickStopThread(LiveServerThread):
    server_class = QuickStopServer


class ApiGuideTests(LiveServerTestCase):
    server_thread_class = QuickStopThread

    def setUp(self) -> None:
        demo.create_units()
        Indicator.objects.create(
            code="B01",
            name="社会消费品零售总额",
            measure="亿元",
            kind="amount",
            department=Unit.objects.get(code="411300SWJ"),
        )

    def test_every_example_in_the_guide_answers_as_documented(self) -> None:
        blocks = examples()
        self.assertEqual(len(blocks), 3)
        self.assertEqual(sum(len(c) for _, c in blocks), 7)
        for index, ((role, *codes), commands) in enumerate(blocks):
            owner = Unit.objects.get(code=codes[0])
            secret = token(f"示例系统{index}", role, *codes, owner_unit=owner)
            env = dict(os.environ, BAOZHENG=self.live_server_url, TOKEN=secret)
            for command, expected in commands:
                with tempfile.NamedTemporaryFile(suffix=".json") as body:
                    status = subprocess.run(
                        ["bash", "-c", f"{command} -o {body.name} -w '%{{http_code}}'"],
                        env=env,
                        capture_output=True,
                        text=True,
                        timeout=60,
                        check=True,
                    ).stdout
                    answer = json.loads(Path(body.name).read_text(encoding="utf-8"))
                self.assertEqual(int(status), expected, (command, answer))
                if expected >= 400:
                    self.assertRegex(answer["message"], r"[\u4e00-\u9fff]")
        # The province's push and the department's delivery are stored.
        self.assertEqual(
            sorted(Observation.objects.values_list("unit__code", flat=True)),
            ["411300", "411302", "411303"],
        )
