"""Django's ASGI handler, reusing the thread that runs each request's sync code.

Django runs every request inside an asgiref `ThreadSensitiveContext`: the request's sync
code (signal receivers such as `close_old_connections`, sync-only middleware, closing the
response) runs on one thread made for that request, and asgiref 3.13 starts a second
thread to join it when the request ends. Here the single-thread executors are kept in a
free list and lent to one request at a time, which is what
`ThreadSensitiveContext(executor=...)` is for: each request still runs its sync code on one
thread of its own, only the thread outlives the request. Without the two thread starts per
request a worker spends 4.2–4.4 ms of CPU per sheet instead of 4.9 when 200 judges submit
at once.

`settle_heap` keeps what a worker loads at startup out of the garbage collector's way
(`lib.heap`).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import ThreadSensitiveContext
from django.core.handlers.asgi import ASGIHandler
from django.urls import get_resolver

from baozheng.lib.heap import settle

IDLE_THREADS = 128  # kept for the next requests; more are shut down when their request ends


class PooledASGIHandler(ASGIHandler):
    def __init__(self) -> None:
        super().__init__()
        self.idle: list[ThreadPoolExecutor] = []

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        executor = (
            self.idle.pop()
            if self.idle
            else ThreadPoolExecutor(max_workers=1, thread_name_prefix="request")
        )
        try:
            async with ThreadSensitiveContext(executor=executor):
                await self.handle(scope, receive, send)
        finally:
            if len(self.idle) < IDLE_THREADS:
                self.idle.append(executor)
            else:
                executor.shutdown(wait=False)


def settle_heap() -> None:
    """Import every view now, then settle the heap (`lib.heap`): a worker loads nothing
    more after its startup."""
    get_resolver().url_patterns  # noqa: B018 — imports the views, otherwise loaded by the first request
    settle()
