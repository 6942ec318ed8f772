"""Admission control in front of Django: a bounded number of requests run per worker,
a bounded queue waits, and anything beyond is answered 503 with Retry-After at once.

Every request Django runs holds a thread and, once it queries, a database connection.
Unbounded, a burst of 150 clients opened 150 threads and exhausted PostgreSQL; bounded,
the burst waits in an asyncio queue that costs no thread and no connection, and the
running requests keep the worker's CPU and memory steady. Live streams (server-sent
events) hold their connection for minutes while idle, so they are not counted.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from baozheng.lib.overload import RETRY_AFTER_SECONDS, busy_body

Scope = dict[str, Any]
ASGIApp = Callable[[Scope, Callable, Callable], Awaitable[None]]
STREAM_SUFFIXES = ("/events/",)  # server-sent event streams (contest boards)


class Admission:
    def __init__(
        self,
        app: ASGIApp,
        running: int,
        queued: int,
        wait_seconds: float,
        exempt_prefixes: tuple[str, ...] = (),
    ) -> None:
        self.app = app
        self.running, self.queued, self.wait_seconds = running, queued, wait_seconds
        self.exempt_prefixes = exempt_prefixes
        self.slots: asyncio.Semaphore | None = None  # made inside the worker's event loop
        self.waiting = 0
        self.refused = 0

    def exempt(self, scope: Scope) -> bool:
        path = scope.get("path", "")
        return path.endswith(STREAM_SUFFIXES) or path.startswith(self.exempt_prefixes)

    async def __call__(self, scope: Scope, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http" or self.exempt(scope):
            await self.app(scope, receive, send)
            return
        if self.slots is None:
            self.slots = asyncio.Semaphore(self.running)
        if not self.slots.locked():
            await self.slots.acquire()  # a slot is free: taken without suspending
        elif self.waiting >= self.queued:
            await self.refuse(send)
            return
        else:
            self.waiting += 1
            try:
                await asyncio.wait_for(self.slots.acquire(), self.wait_seconds)
            except TimeoutError:
                await self.refuse(send)
                return
            finally:
                self.waiting -= 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.slots.release()

    async def refuse(self, send: Callable) -> None:
        self.refused += 1
        body = busy_body()
        await send(
            {
                "type": "http.response.start",
                "status": 503,
                "headers": [
                    (b"content-type", b"text/html; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                    (b"retry-after", str(RETRY_AFTER_SECONDS).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
