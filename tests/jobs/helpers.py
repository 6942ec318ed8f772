"""Run the queued jobs inside a test, through the real worker command."""

from __future__ import annotations

from unittest import mock

from django.core.management import call_command


def run_queued_jobs() -> None:
    """`baozheng worker --batch`. The worker closes stale connections between jobs as a
    server does between requests; inside a test's transaction that would close the test's
    own connection (PostgreSQL), so that one call is left out here."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("worker", "--batch", verbosity=0)
