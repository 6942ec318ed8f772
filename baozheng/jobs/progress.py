"""Live progress of a running job, in the cache shared by every worker and job process.

An import writes inside one transaction (all or nothing); on SQLite a second connection
could not write a progress row until it commits, so the live figures go to the cache
(a file cache in the data directory, shared by the processes of a server and, with
`BAOZHENG_CACHE_DIR` on shared storage, by several servers) and the job row gets the
final figures when the work ends.
"""

from __future__ import annotations

import time

from django.core.cache import cache

from baozheng.lib.progress import STAGES, STEPS

MIN_INTERVAL = 0.3  # seconds between two writes of a job's progress
TIMEOUT = 24 * 3600


def key(job_id: object) -> str:
    return f"job-progress:{job_id}"


def live(job_id: object) -> dict[str, int | None]:
    return cache.get(key(job_id)) or {}


class CacheReporter:
    """`baozheng.lib.progress` reporter writing a job's figures to the cache, at most
    every MIN_INTERVAL seconds except when a stage completes."""

    def __init__(self, job_id: object) -> None:
        self.job_id = job_id
        self.figures: dict[str, int | None] = {stage: 0 for stage in (*STAGES, STEPS)} | {
            "total": None
        }
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        self.figures[stage] = done
        if total is not None:
            self.figures["total"] = total
        now = time.monotonic()
        if now - self.last >= MIN_INTERVAL or done == total:
            self.last = now
            cache.set(key(self.job_id), dict(self.figures), TIMEOUT)
