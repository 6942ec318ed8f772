"""Due reminders as a background job, enqueued every few minutes by the scheduler
(`baozheng scheduler`). Reminders keep once per task, light, recipient and deadline
themselves, so a run that overlaps another sends nothing twice; failed deliveries are
tried again by the next run."""

from __future__ import annotations

from django_tasks import task

from baozheng.jobs import runner
from baozheng.jobs.models import Job
from baozheng.tasks.reminders import NO_CHANNEL_TEXT, send_due
from baozheng.tasks.services import today


def _remind(job: Job) -> dict:
    report = send_due(today())
    lines = [f"已发送：{line}" for line in report.sent]
    lines += [f"失败（下次运行时重试）：{line}" for line in report.failed]
    return {
        "ok": not report.failed,
        "summary": (
            f"已发送 {len(report.sent)} 条，此前已发送 {report.already} 条，"
            f"跳过 {len(report.skipped)} 条（{NO_CHANNEL_TEXT}），失败 {len(report.failed)} 条。"
        ),
        "lines": lines[:200],
    }


@task()
def remind(job_id: str) -> str:
    return runner.run(job_id, _remind)
