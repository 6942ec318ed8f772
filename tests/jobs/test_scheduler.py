"""One scheduler enqueues the periodic jobs (reminders, push catch-up, pruning) when
they are due, once, however many schedulers run; the jobs it starts are seen by
administrators only."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import date, timedelta
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import TransactionTestCase
from django.urls import reverse
from django.utils import timezone

from baozheng.jobs import runner, scheduler
from baozheng.jobs.models import Job, JobState, Schedule
from baozheng.tasks.models import Contact, ContactRole
from baozheng.testing import BaozhengTestCase
from tests.jobs.helpers import recorded_progress, run_queued_jobs
from tests.tasks.factory import make_task

ROOT = Path(__file__).resolve().parents[2]


class SchedulerTests(BaozhengTestCase):
    def test_each_periodic_job_is_enqueued_once_when_due(self) -> None:
        now = timezone.now()
        first = scheduler.tick(now)
        self.assertEqual(sorted(j.kind for j in first), ["prune", "push-catchup", "remind"])
        self.assertEqual(scheduler.tick(now), [])
        self.assertEqual(scheduler.tick(now + timedelta(minutes=4)), [])
        later = scheduler.tick(now + timedelta(minutes=5))
        self.assertEqual([j.kind for j in later], ["remind"])
        self.assertEqual(Schedule.objects.get(name="remind").next_run, now + timedelta(minutes=10))
        self.assertTrue(all(j.user is None for j in Job.objects.all()))

    def test_the_command_reports_in_chinese(self) -> None:
        out = StringIO()
        call_command("scheduler", "--once", stdout=out)
        self.assertIn("已排入：督办提醒（定时）", out.getvalue())
        self.assertEqual(Job.objects.count(), 3)

    def test_due_reminders_run_as_a_job_with_a_step_per_task(self) -> None:
        Contact.objects.create(
            unit=self.wancheng_unit, role=ContactRole.HEAD, name="区长", email="a@b.example"
        )
        for title in ("协调用电", "协调用地"):
            make_task(self.dispatch, self.wancheng_unit, title=title)
        runner.start("remind", "督办提醒（定时）", None, {})
        with (
            mock.patch("baozheng.tasks.jobs.today", return_value=date(2023, 4, 10)),
            mock.patch("baozheng.tasks.reminders._deliver") as delivered,
            recorded_progress() as calls,
        ):
            run_queued_jobs()
        job = Job.objects.get(kind="remind")
        self.assertEqual(job.state, JobState.DONE)
        self.assertEqual(calls, [("done", 0, 2), ("done", 1, 2), ("done", 2, 2)])
        self.assertGreaterEqual(delivered.call_count, 2)
        self.login(self.admin)
        page = self.client.get(reverse("job", args=[job.pk]))
        self.assertContains(page, "已发送 ")
        self.login(self.dispatch)  # a scheduled job has no starter: admins only
        self.assertEqual(self.client.get(reverse("job", args=[job.pk])).status_code, 403)

    def test_pruning_removes_old_finished_jobs_only(self) -> None:
        old = Job.objects.create(kind="remind", title="旧", state=JobState.DONE)
        Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=40))
        scheduler.tick()
        run_queued_jobs()
        self.assertFalse(Job.objects.filter(pk=old.pk).exists())
        self.assertEqual(Job.objects.count(), 3)


DRIVER = """
import datetime, os, sys, time
import django
django.setup()
from baozheng.jobs.scheduler import tick
base = datetime.datetime.fromisoformat(sys.argv[1])
while time.time() < float(sys.argv[2]):
    time.sleep(0.001)
for step in range(int(sys.argv[3])):
    tick(base + datetime.timedelta(minutes=5 * step))
"""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks across processes")
class TwoSchedulerTests(TransactionTestCase):
    """Two scheduler processes on one PostgreSQL database tick through the same twenty
    five-minute slots at the same moment: no due time is enqueued twice."""

    def test_two_schedulers_never_enqueue_twice(self) -> None:
        db = connection.settings_dict
        url = (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE")}
        env.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="baozheng.settings")
        base = timezone.now().isoformat()
        start_at = str(time.time() + 3)
        slots = 20
        processes = [
            subprocess.Popen(
                [sys.executable, "-c", DRIVER, base, start_at, str(slots)],
                cwd=ROOT,
                env=env,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        for process in processes:
            _, err = process.communicate(timeout=120)
            self.assertEqual(process.returncode, 0, err[-2000:])
        # Each due time enqueued once. Two processes drifting apart may merge slots (one
        # that falls behind enqueues once when it catches up), never duplicate one.
        due = [job.params["due"] for job in Job.objects.filter(kind="remind")]
        self.assertEqual(len(due), len(set(due)))
        self.assertTrue(slots // 2 <= len(due) <= slots, len(due))
        self.assertEqual(Job.objects.filter(kind="prune").count(), 1)
