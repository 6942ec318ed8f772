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

`settle_heap` keeps what a worker loads at startup out of the garbage collector's way.
"""

from __future__ import annotations

import gc
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import ThreadSensitiveContext
from django.core.handlers.asgi import ASGIHandler
from django.urls import get_resolver

IDLE_THREADS = 128  # kept for the next requests; more are shut down when their request ends
YOUNG_THRESHOLD = (
    10_000  # allocations between collections of the youngest generation (Python's default: 700)
)


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
    """Import every view now, then freeze what the worker has loaded and collect the young
    generation less often.

    After startup a worker holds about 150,000 long-lived objects (Django, the apps, the
    URLconf). Every full collection walked them all — 40–45 ms on an idle machine, 30–190 ms
    during a burst of sheets on the shared 2-core machine — while every thread of the worker
    stood still, about once per 200 sheets. Frozen, they are never examined again (they
    live as long as the worker anyway). During a burst a hundred
    requests are in flight at once; with the young generation collected every 700
    allocations their objects were promoted to the oldest generation, which is what set off
    the full collections, so the first threshold is raised too.
    """
    get_resolver().url_patterns  # noqa: B018 — imports the views, otherwise loaded by the first request
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, *gc.get_threshold()[1:])
