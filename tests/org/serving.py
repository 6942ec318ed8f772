"""Servers started in processes of their own: their output read on a thread, and a test
waiting for the line that says a server accepts (an event) instead of polling its port."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path
from typing import IO

from baozheng.lib.server import READY

ROOT = Path(__file__).resolve().parents[2]


class Output:
    """A child's output, read line by line as it comes; the pipe never fills."""

    def __init__(self, stream: IO[str]) -> None:
        self.lines: list[str] = []
        self.ended = False
        self.changed = threading.Condition()
        threading.Thread(target=self.read, args=(stream,), daemon=True).start()

    def read(self, stream: IO[str]) -> None:
        for line in stream:
            with self.changed:
                self.lines.append(line)
                self.changed.notify_all()
        with self.changed:
            self.ended = True
            self.changed.notify_all()

    def wait_for(self, text: str, count: int = 1, timeout: float = 300) -> str:
        """The output up to the `count`-th line holding `text`; fails with what was printed
        if the process ends first or `timeout` seconds pass (generous: CI may be busy)."""
        with self.changed:
            self.changed.wait_for(lambda: self.ended or self.seen(text) >= count, timeout)
            printed = "".join(self.lines)
            assert self.seen(text) >= count, printed
        return printed

    def seen(self, text: str) -> int:
        return sum(text in line for line in self.lines)


def start_serve(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    """`baozheng serve` on 127.0.0.1:`port`, returned once every worker accepts."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "baozheng.cli",
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        Output(process.stderr).wait_for(READY, count=workers)
    except BaseException:
        process.kill()
        process.wait()
        raise
    return process
