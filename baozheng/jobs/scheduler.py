"""The one scheduler of periodic work: due reminders, the push catch-up, pruning.

django-tasks has no scheduler of its own. `baozheng scheduler` calls `tick` every few
seconds; each periodic job has a `Schedule` row saying when it is next due. A tick locks
the due rows (`SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL), moves `next_run` on only
if nobody moved it first (a compare-and-set, which also holds on SQLite where row locks
do not exist) and enqueues the job in the same transaction. So any number of schedulers
on any number of machines enqueue each run exactly once, and a scheduler that dies
between the two writes leaves neither. A scheduler that was stopped for several periods
enqueues one run when it comes back, not the backlog.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from baozheng.jobs import runner
from baozheng.jobs.models import Job, Schedule


@dataclass(frozen=True)
class Periodic:
    name: str
    kind: str
    title: str
    every: Callable[[], timedelta]


PERIODIC = (
    Periodic(
        "remind",
        "remind",
        "督办提醒（定时）",
        lambda: timedelta(minutes=settings.JOBS_REMIND_MINUTES),
    ),
    Periodic(
        "push-catchup",
        "push-catchup",
        "发布推送补发（定时）",
        lambda: timedelta(minutes=settings.JOBS_PUSH_CATCHUP_MINUTES),
    ),
    Periodic("prune", "prune", "清理过期任务记录（定时）", lambda: timedelta(days=1)),
)
BY_NAME = {p.name: p for p in PERIODIC}


def tick(now: datetime | None = None) -> list[Job]:
    """Enqueue every periodic job that is due, once; the jobs this call enqueued."""
    now = now or timezone.now()
    Schedule.objects.bulk_create(
        [Schedule(name=p.name, next_run=now) for p in PERIODIC], ignore_conflicts=True
    )
    started = []
    with transaction.atomic():
        due = Schedule.objects.select_for_update(skip_locked=True).filter(
            name__in=BY_NAME, next_run__lte=now
        )
        for row in due:
            periodic = BY_NAME[row.name]
            moved = Schedule.objects.filter(name=row.name, next_run=row.next_run).update(
                next_run=now + periodic.every(), last_run=now
            )
            if moved:
                params = {"due": row.next_run.isoformat()}
                started.append(runner.start(periodic.kind, periodic.title, None, params))
    return started
