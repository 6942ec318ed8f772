"""Run the queued jobs inside a test, through the real worker command."""

from __future__ import annotations

from contextlib import contextmanager
from unittest import mock

from django.core.management import call_command

from baozheng.jobs import runner
from baozheng.jobs.progress import CacheReporter


def run_queued_jobs() -> None:
    """`baozheng worker --batch`. The worker closes stale connections between jobs as a
    server does between requests; inside a test's transaction that would close the test's
    own connection (PostgreSQL), so that one call is left out here."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("worker", "--batch", verbosity=0)


def download_through_job(client, url: str, query: dict | None = None):
    """A document download: served at once when cached, else the redirect to its job's
    page; then the queued jobs run and the same link serves the file."""
    response = client.get(url, query or {})
    if response.status_code == 302 and "/jobs/" in response["Location"]:
        run_queued_jobs()
        response = client.get(url, query or {})
    return response


@contextmanager
def recorded_progress():
    """Every progress report of the jobs run meanwhile, as (stage, done, total)."""
    calls: list[tuple[str, int, int | None]] = []

    class Recording(CacheReporter):
        def __call__(self, stage: str, done: int, total: int | None) -> None:
            calls.append((stage, done, total))
            super().__call__(stage, done, total)

    with mock.patch.object(runner, "CacheReporter", Recording):
        yield calls
