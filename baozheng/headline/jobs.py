"""The push of a release as a background job, retried with backoff while a channel fails.

Each attempt sends only to the channels not delivered yet (`push_release` keeps once per
channel and release); after `MAX_ATTEMPTS` the job fails and its page lists the channels
that never answered, with a retry button.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from baozheng.analysis.periods import Period
from baozheng.headline.models import ReleaseNotice
from baozheng.headline.push import push_release
from baozheng.jobs import runner
from baozheng.jobs.models import Job
from baozheng.lib.progress import reporting
from baozheng.org.models import Unit

MAX_ATTEMPTS = 5
CATCH_UP_DAYS = 31
FIRST_DELAY = 60  # seconds; doubled after every failed attempt: 1, 2, 4, 8 minutes


def backoff(attempts: int) -> int:
    return FIRST_DELAY * 2 ** (attempts - 1)


def _push(job: Job) -> dict:
    params = job.params
    period, parent = Period.parse(params["period"]), Unit.objects.get(code=params["parent"])
    report = push_release(period, parent, params["version"])
    sent = job.result.get("sent", []) + report.sent
    result = {"ok": not report.failed, "summary": report.summary(), "sent": sent}
    result["lines"] = [f"已推送：{label}" for label in sent] + [
        f"失败：{line}" for line in report.failed
    ]
    if report.failed:
        if job.attempts < MAX_ATTEMPTS:
            delay = backoff(job.attempts)
            result["summary"] += f"第 {job.attempts} 次尝试，{delay // 60} 分钟后重试。"
            raise runner.RetryLater(delay, result)
        raise runner.JobFailed(
            f"推送失败 {len(report.failed)} 个渠道（已尝试 {job.attempts} 次）："
            + "；".join(report.failed)
        )
    return result


@task()
def push(job_id: str) -> str:
    return runner.run(job_id, _push)


def _catch_up(job: Job) -> dict:
    """Every release heard of in the last `CATCH_UP_DAYS` days pushed again: only the
    channels that never received it are sent to (a channel added since, or one whose
    push job gave up)."""
    since = timezone.now() - timedelta(days=CATCH_UP_DAYS)
    notices = list(ReleaseNotice.objects.filter(received_at__gte=since).order_by("received_at"))
    lines, failed = [], 0
    for done, notice in enumerate(notices):
        parent = Unit.objects.filter(code=notice.parent).first()
        if parent is None:
            continue
        with reporting(lambda *args: None):  # progress counts releases here, not channels
            report = push_release(Period.parse(notice.period), parent, notice.version)
        runner.steps(done + 1, len(notices))
        failed += len(report.failed)
        lines.append(f"{parent.name}{notice.period}第{notice.version}版：{report.summary()}")
    return {
        "ok": not failed,
        "summary": f"检查了近 {CATCH_UP_DAYS} 天的 {len(notices)} 次发布，失败 {failed} 个渠道。",
        "lines": lines,
    }


@task()
def catch_up(job_id: str) -> str:
    return runner.run(job_id, _catch_up)
