"""Starting a job, joining one that builds the same thing, and running one.

A job is enqueued in the transaction that records it (the queue is a table of the same
database), so a worker sees both or neither, and a request that fails after starting a
job leaves no orphan behind.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from baozheng.jobs.kinds import KINDS
from baozheng.jobs.models import Job, JobState
from baozheng.jobs.progress import CacheReporter, key
from baozheng.lib.progress import STEPS, advance, reporting

ACTIVE = (JobState.QUEUED, JobState.RUNNING)
logger = logging.getLogger(__name__)


class JobFailed(Exception):
    """A failure whose message (Chinese) is shown on the job page as it is."""


class RetryLater(Exception):
    """Part of the work failed for a reason that may pass (a robot or mail server down):
    the job is queued again after `delay` seconds with its result so far."""

    def __init__(self, delay: float, result: dict) -> None:
        super().__init__(delay)
        self.delay, self.result = delay, result


def enqueue(job: Job, run_after: datetime | None = None) -> None:
    task = import_string(KINDS[job.kind].task)
    if run_after is not None:
        task = task.using(run_after=run_after)
    task.enqueue(str(job.pk))


@transaction.atomic
def start(
    kind: str,
    title: str,
    user,
    params: dict,
    *,
    key: str = "",
    run_after: datetime | None = None,
) -> Job:
    job = Job.objects.create(kind=kind, title=title[:200], user=user, params=params, key=key)
    enqueue(job, run_after)
    return job


def start_or_join(kind: str, title: str, user, params: dict, key: str) -> Job:
    """The queued or running job producing `key`, joined by `user`; else a new one."""
    for _ in range(3):
        found = Job.objects.filter(key=key, state__in=ACTIVE).first()
        if found is not None:
            if user is not None and user != found.user:
                found.joined.add(user)
            return found
        try:
            with transaction.atomic():
                return start(kind, title, user, params, key=key)
        except IntegrityError:  # started by another request at the same moment: join it
            continue
    raise RuntimeError(f"job {key} neither found nor started")


def retry(job: Job, user) -> Job:
    """A failed job started again with its parameters, by `user`."""
    if job.key:
        return start_or_join(job.kind, job.title, user, job.params, job.key)
    return start(job.kind, job.title, user, job.params)


def steps(done: int, total: int) -> None:
    """Progress of a step-counting job: `done` of `total` steps."""
    advance(STEPS, done, total)


def run(job_id: str, work: Callable[[Job], dict]) -> str:
    """Run `work(job) -> result` for a job and record its outcome. `JobFailed` is shown as
    it is; any other error is logged and shown as a Chinese line naming the kind."""
    job = Job.objects.select_related("user").get(pk=job_id)
    if job.finished:  # the queue ran it twice (a worker died after finishing it)
        return job.state
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, attempts=job.attempts + 1)
    job.attempts += 1
    reporter = CacheReporter(job.pk)
    result: dict = {}
    state, error = JobState.DONE, ""
    try:
        with reporting(reporter):
            result = work(job)
    except RetryLater as exc:
        again = timezone.now() + timedelta(seconds=exc.delay)
        with transaction.atomic():
            Job.objects.filter(pk=job.pk).update(state=JobState.QUEUED, result=exc.result)
            enqueue(job, run_after=again)
        cache.delete(key(job.pk))
        return JobState.QUEUED
    except JobFailed as exc:
        state, error = JobState.FAILED, str(exc)
    except Exception as exc:  # recorded on the job page; the traceback goes to the log
        logger.exception("%s job %s failed", job.kind, job.pk)
        state, error = JobState.FAILED, f"{KINDS[job.kind].label}出错：{type(exc).__name__}"
    figures = reporter.figures
    Job.objects.filter(pk=job.pk).update(
        state=state,
        error=error,
        result=result,
        finished_at=timezone.now(),
        total=figures["total"],
        done=figures[STEPS],
    )
    cache.delete(key(job.pk))
    return state
