"""Month-end load: overload is a 503 with Retry-After (never a 500), database connections
come from a bounded pool, and `baozheng serve` spreads connections over its workers."""

from __future__ import annotations

import asyncio
import collections
import os
import shutil
import socket
import subprocess
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import OperationalError
from django.test import RequestFactory, SimpleTestCase

from baozheng import config
from baozheng.lib.admission import Admission
from baozheng.lib.overload import is_overload, server_error
from baozheng.lib.server import reuse_port_socket
from tests.org.serving import start_serve
from tests.receivers import free_port


def scope(path: str = "/monitor/") -> dict:
    return {"type": "http", "method": "GET", "path": path, "headers": []}


class Recorder:
    def __init__(self) -> None:
        self.messages: list[dict] = []

    async def __call__(self, message: dict) -> None:
        self.messages.append(message)

    @property
    def status(self) -> int:
        return self.messages[0]["status"]

    @property
    def headers(self) -> dict[bytes, bytes]:
        return dict(self.messages[0]["headers"])


class AdmissionTests(SimpleTestCase):
    def run_requests(self, admission: Admission, paths: list[str]) -> list[Recorder]:
        """Concurrent requests on an event loop of their own, in a thread of their own
        (the browser tests keep a loop running in the main thread)."""

        async def main() -> list[Recorder]:
            recorders = [Recorder() for _ in paths]
            await asyncio.gather(
                *(admission(scope(p), None, r) for p, r in zip(paths, recorders, strict=True))
            )
            return recorders

        with ThreadPoolExecutor(max_workers=1) as thread:
            return thread.submit(asyncio.run, main()).result()

    def slow_app(self, seconds: float):
        async def app(scope, receive, send):
            await asyncio.sleep(seconds)
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"ok"})

        return app

    def test_requests_beyond_the_queue_get_503_with_retry_after(self) -> None:
        admission = Admission(self.slow_app(0.05), running=1, queued=1, wait_seconds=10)
        recorders = self.run_requests(admission, ["/monitor/"] * 3)
        self.assertEqual(sorted(r.status for r in recorders), [200, 200, 503])
        refused = next(r for r in recorders if r.status == 503)
        self.assertEqual(refused.headers[b"retry-after"], b"5")
        self.assertIn("服务器繁忙", refused.messages[1]["body"].decode())

    def test_a_request_that_waits_too_long_gets_503(self) -> None:
        admission = Admission(self.slow_app(0.2), running=1, queued=10, wait_seconds=0.1)
        recorders = self.run_requests(admission, ["/a/", "/b/"])
        self.assertEqual(sorted(r.status for r in recorders), [200, 503])

    def test_queued_requests_all_run_when_the_queue_is_long_enough(self) -> None:
        running = 0
        most = 0

        async def app(scope, receive, send):
            nonlocal running, most
            running += 1
            most = max(most, running)
            await asyncio.sleep(0.01)
            running -= 1
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b""})

        admission = Admission(app, running=3, queued=100, wait_seconds=10)
        recorders = self.run_requests(admission, ["/x/"] * 30)
        self.assertEqual({r.status for r in recorders}, {200})
        self.assertEqual(most, 3)

    def test_event_streams_and_static_files_are_not_counted(self) -> None:
        admission = Admission(
            self.slow_app(0.05), running=1, queued=0, wait_seconds=10, exempt_prefixes=("/static/",)
        )
        paths = ["/contest/board/1/events/", "/static/app.css", "/contest/board/2/events/"]
        recorders = self.run_requests(admission, paths)
        self.assertEqual({r.status for r in recorders}, {200})


def raised(error: Exception):
    try:
        raise error
    except Exception:
        return server_error(RequestFactory().get("/"))


def wrapped(cause: Exception) -> OperationalError:
    error = OperationalError(str(cause))
    error.__cause__ = cause
    return error


class OverloadHandlerTests(SimpleTestCase):
    """psycopg is imported by the tests that make its errors, not by every test process as it
    collects this module: on SQLite nothing else loads it (0.08 s)."""

    def test_pool_timeout_is_503_with_retry_after(self) -> None:
        import psycopg_pool

        response = raised(
            wrapped(psycopg_pool.PoolTimeout("couldn't get a connection after 10 sec"))
        )
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response["Retry-After"], "5")
        self.assertIn("服务器繁忙", response.content.decode())

    def test_postgres_out_of_slots_and_sqlite_busy_are_overload(self) -> None:
        import psycopg

        self.assertTrue(is_overload(OperationalError("database is locked")))
        self.assertTrue(is_overload(wrapped(psycopg.OperationalError("FATAL: too many clients"))))

    def test_a_deadlock_victim_is_told_to_retry(self) -> None:
        import psycopg

        response = raised(wrapped(psycopg.errors.DeadlockDetected("deadlock detected")))
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response["Retry-After"], "5")

    def test_other_errors_stay_500(self) -> None:
        self.assertFalse(is_overload(OperationalError("no such table: x")))
        self.assertFalse(is_overload(ValueError("database is locked")))
        self.assertEqual(raised(ValueError("bug")).status_code, 500)


def test_postgres_connections_come_from_a_bounded_pool(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.local:5432/baozheng")
    monkeypatch.setenv("BAOZHENG_DB_POOL_SIZE", "6")
    pool = config.database(True, tmp_path)["OPTIONS"]["pool"]
    assert pool["max_size"] == 6 and pool["min_size"] <= 6 and pool["timeout"] > 0
    monkeypatch.setenv("BAOZHENG_DB_POOL_SIZE", "0")
    with pytest.raises(config.ConfigError, match="BAOZHENG_DB_POOL_SIZE"):
        config.database(True, tmp_path)


def test_the_running_database_uses_the_pool_on_postgresql(db):
    """On the test database (`db`): asked before it exists, the pool would be made on the
    configured database's name."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no connection pool")
    assert connection.settings_dict["OPTIONS"]["pool"]["max_size"] >= 1
    assert connection.pool is not None


def test_workers_each_bind_the_port_themselves():
    first = reuse_port_socket("127.0.0.1:0", 16)
    port = first.getsockname()[1]
    second = reuse_port_socket(f"127.0.0.1:{port}", 16)
    assert second.getsockname()[1] == port
    first.close()
    second.close()


@pytest.mark.slow  # starts `baozheng serve` in a process of its own
@pytest.mark.skipif(shutil.which("ss") is None, reason="needs ss (iproute2)")
def test_serve_spreads_a_burst_of_connections_over_all_workers(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BAOZHENG_", "DATABASE_URL"))}
    env.update(BAOZHENG_DATA_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3")
    process = start_serve(env, port, workers=2)  # returns once both workers accept
    connections: list[socket.socket] = []
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/static/baozheng/app.css").read()
        for _ in range(40):
            connection = socket.create_connection(("127.0.0.1", port))
            connection.sendall(b"GET /static/baozheng/app.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            connections.append(connection)
        for connection in connections:
            connection.recv(1)  # every connection has been accepted and answered
        established = subprocess.run(
            ["ss", "-tnpH", "state", "established", f"sport = :{port}"],
            capture_output=True,
            text=True,
        ).stdout
        per_worker = collections.Counter(
            line.split("pid=")[1].split(",")[0] for line in established.splitlines()
        )
        assert len(per_worker) == 2, per_worker
        assert min(per_worker.values()) >= 8, per_worker  # 40 over 2: even, not all on one
    finally:
        for connection in connections:
            connection.close()
        process.terminate()
        process.wait(timeout=30)
