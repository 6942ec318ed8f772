"""The live leaderboard's event stream (Server-Sent Events).

Each open leaderboard holds one streaming response. It sends the board once, then waits for
its venue to change and sends it again:

- on PostgreSQL it LISTENs on `contest_board` through psycopg's async connection; every
  score change sends NOTIFY with the venue id from inside its transaction, so boards in
  every server process refresh as soon as the change commits;
- elsewhere (SQLite: one machine, tests) it compares the venue's version counter once a
  second (`CONTEST_LIVE_POLL_SECONDS`), one indexed query per board.

Under a WSGI server (Django's test live server, `runserver`) an async stream cannot be
served incrementally, so `board_events_blocking` does the same polling in the worker
thread; production runs ASGI (`baozheng serve`).

A comment line every 15 s keeps proxies from closing an idle stream; after
`CONTEST_LIVE_MAX_SECONDS` (default 300) the stream ends and EventSource reconnects, so no
worker holds a connection forever.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager

from django.conf import settings
from django.db import connection

from baozheng.contest.models import Venue
from baozheng.contest.scoring import NOTIFY_CHANNEL

HEARTBEAT_SECONDS = 15.0


def poll_seconds() -> float:
    return float(getattr(settings, "CONTEST_LIVE_POLL_SECONDS", 1.0))


def max_seconds() -> float:
    return float(getattr(settings, "CONTEST_LIVE_MAX_SECONDS", 300.0))


def use_notify() -> bool:
    return (
        connection.vendor == "postgresql"
        and getattr(settings, "CONTEST_LIVE_BACKEND", "auto") == "auto"
    )


class Poller:
    """Wakes up every poll interval; the caller compares versions."""

    async def wait(self, timeout: float) -> bool:
        await asyncio.sleep(min(timeout, poll_seconds()))
        return True


class Listener:
    """Wakes up when NOTIFY names this venue (or on timeout)."""

    def __init__(self, conn, venue_id: int) -> None:
        self.conn = conn
        self.payload = str(venue_id)

    async def wait(self, timeout: float) -> bool:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while (remaining := deadline - loop.time()) > 0:
            async for notice in self.conn.notifies(timeout=remaining, stop_after=1):
                if notice.payload == self.payload:
                    return True
        return False


@asynccontextmanager
async def change_source(venue_id: int) -> AsyncIterator[Poller | Listener]:
    if not use_notify():
        yield Poller()
        return
    import psycopg

    db = settings.DATABASES["default"]
    conn = await psycopg.AsyncConnection.connect(
        dbname=db["NAME"],
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        autocommit=True,
    )
    try:
        await conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
        yield Listener(conn, venue_id)
    finally:
        await conn.close()


def sse(event: str, data: dict) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


async def venue_version(venue_id: int) -> int:
    return await Venue.objects.filter(pk=venue_id).values_list("version", flat=True).aget()


async def board_events(venue_id: int, render: Callable[[], Awaitable[str]]) -> AsyncIterator[str]:
    """The stream: `retry`, then a `board` event now and after every change of the venue."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + max_seconds()
    yield "retry: 1000\n\n"
    async with change_source(venue_id) as source:
        version = await venue_version(venue_id)
        yield sse("board", {"version": version, "html": await render()})
        quiet_since = loop.time()
        while (remaining := deadline - loop.time()) > 0:
            await source.wait(min(remaining, HEARTBEAT_SECONDS))
            latest = await venue_version(venue_id)
            if latest != version:
                version = latest
                yield sse("board", {"version": version, "html": await render()})
                quiet_since = loop.time()
            elif loop.time() - quiet_since >= HEARTBEAT_SECONDS:
                yield ": keepalive\n\n"
                quiet_since = loop.time()


def board_events_blocking(venue_id: int, render: Callable[[], str]) -> Iterator[str]:
    """The same stream for WSGI servers: poll the version counter, sleeping in between.
    A WSGI server notices a closed connection only when it writes, so every poll sends an
    empty comment and a closed board frees its thread within one interval."""
    deadline = time.monotonic() + max_seconds()
    yield "retry: 1000\n\n"
    version = Venue.objects.filter(pk=venue_id).values_list("version", flat=True).get()
    yield sse("board", {"version": version, "html": render()})
    while time.monotonic() < deadline:
        time.sleep(poll_seconds())
        yield ":\n\n"  # raises here, before touching the database, once the client has gone
        latest = Venue.objects.filter(pk=venue_id).values_list("version", flat=True).get()
        if latest != version:
            version = latest
            yield sse("board", {"version": version, "html": render()})
