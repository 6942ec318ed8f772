"""The production ASGI handler lends each request a thread for its sync code from a free
list (baozheng.lib.asgi) instead of starting one, and a second to join it, per request; a
worker's startup heap is frozen out of the garbage collector's full collections."""

import asyncio
import gc
import threading
from concurrent.futures import ThreadPoolExecutor

from django.core.signals import request_started
from django.test import SimpleTestCase

from baozheng.lib.asgi import PooledASGIHandler, settle_heap
from baozheng.lib.heap import YOUNG_THRESHOLD


async def get(handler, path: str = "/no-such-page/") -> int:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    incoming = [{"type": "http.request", "body": b"", "more_body": False}]
    sent = []

    async def receive():
        if incoming:
            return incoming.pop()
        await asyncio.Event().wait()  # the client stays connected

    async def send(message):
        sent.append(message)

    await handler(scope, receive, send)
    return sent[0]["status"]


def run(coroutine):
    """asyncio.run on a thread of its own: the session's browser fixture keeps an event loop
    running on the main thread, where asyncio.run refuses to start another."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


class PooledHandlerTests(SimpleTestCase):
    def setUp(self):
        self.threads = []
        request_started.connect(self.seen)
        self.addCleanup(request_started.disconnect, self.seen)
        self.handler = PooledASGIHandler()

    def seen(self, **kwargs):  # a sync receiver: runs on the request's thread
        self.threads.append(threading.current_thread())
        if self.barrier is not None:
            self.barrier.wait()

    barrier = None

    def test_requests_one_after_another_run_their_sync_code_on_the_same_thread(self):
        for _ in range(3):
            self.assertEqual(run(get(self.handler)), 404)
        self.assertEqual(len(self.threads), 3)
        self.assertIsNot(self.threads[0], threading.current_thread())
        self.assertIs(self.threads[0], self.threads[1])
        self.assertIs(self.threads[1], self.threads[2])
        self.assertEqual(len(self.handler.idle), 1)

    def test_requests_at_the_same_time_each_have_a_thread_of_their_own(self):
        # Both receivers must be running at once to pass the barrier: on one shared thread
        # the barrier would time out.
        self.barrier = threading.Barrier(2, timeout=5)

        async def both():
            return await asyncio.gather(get(self.handler), get(self.handler))

        self.assertEqual(run(both()), [404, 404])
        self.assertIsNot(self.threads[0], self.threads[1])
        self.assertEqual(len(self.handler.idle), 2)


class SettleHeapTests(SimpleTestCase):
    def test_what_a_worker_loaded_is_frozen_and_the_young_generation_is_collected_less_often(self):
        # What is unfrozen here is frozen again by settle_heap, as the test process had it
        # (conftest.py), so only the thresholds need restoring.
        self.addCleanup(gc.set_threshold, *gc.get_threshold())
        gc.unfreeze()
        settle_heap()
        self.assertGreater(gc.get_freeze_count(), 10_000)
        self.assertEqual(gc.get_threshold()[0], YOUNG_THRESHOLD)
