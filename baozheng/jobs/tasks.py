"""The work the engine runs (django-tasks, database backend: `baozheng worker`)."""

from __future__ import annotations

import logging
import shutil
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django_tasks import task

from baozheng.jobs import runner
from baozheng.jobs.models import Job, JobState
from baozheng.jobs.progress import CacheReporter, key
from baozheng.lib.progress import reporting
from baozheng.lib.tabular import ImportFileError
from baozheng.stats.imports import run_import

MAX_ERRORS_KEPT = 500
logger = logging.getLogger(__name__)


def upload_dir(job_id: object) -> Path:
    return Path(settings.MEDIA_ROOT) / "jobs" / str(job_id)


@task()
def import_file(job_id: str) -> str:
    """Import the uploaded file of a job; the outcome goes to the job row."""
    job = Job.objects.select_related("user").get(pk=job_id)
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING)
    params = job.params
    path = upload_dir(job.pk) / params["file_name"]
    reporter = CacheReporter(job.pk)
    result: dict = {}
    state, error = JobState.DONE, ""
    try:
        with reporting(reporter):
            report = run_import(
                params["kind"],
                path.read_bytes(),
                params["file_name"],
                job.user,
                dry_run=params["dry_run"],
                reason=params.get("reason", ""),
                channel="web",
                indicator=params.get("indicator", ""),
                period=params.get("period", ""),
            )
        result = {
            "ok": report.ok,
            "summary": report.summary(),
            "rows": report.rows,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "error_count": len(report.errors),
            "errors": [[e.row, e.column, e.message] for e in report.errors[:MAX_ERRORS_KEPT]],
        }
    except ImportFileError as exc:
        result = {"ok": False, "problem": f"无法读取文件：{exc}"}
    except (PermissionDenied, ValueError) as exc:
        result = {"ok": False, "problem": f"无法导入：{exc or '您没有导入该类数据的权限'}"}
    except Exception as exc:  # recorded on the job page; the traceback goes to the log
        logger.exception("import job %s failed", job.pk)
        state, error = JobState.FAILED, f"导入出错，未做任何修改：{type(exc).__name__}"
    finally:
        shutil.rmtree(upload_dir(job.pk), ignore_errors=True)
    figures = reporter.figures
    rows = result.get("rows")
    Job.objects.filter(pk=job.pk).update(
        state=state,
        error=error,
        result=result,
        finished_at=timezone.now(),
        total=figures["total"] if figures["total"] is not None else rows,
        read=figures["read"] or (rows or 0),
        checked=figures["checked"] or (rows or 0),
        written=figures["written"],
    )
    cache.delete(key(job.pk))
    return state


def _prune(job: Job) -> dict:
    """Finished jobs and the engine's finished queue rows older than `JOBS_KEEP_DAYS`, and
    create forms' used one-time keys older than `ONCE_KEEP_DAYS`."""
    from django_tasks_db.models import DBTaskResult

    from baozheng.lib import once

    before = timezone.now() - timedelta(days=settings.JOBS_KEEP_DAYS)
    runner.steps(0, 3)
    jobs, _ = Job.objects.filter(finished_at__lt=before).delete()
    runner.steps(1, 3)
    rows, _ = DBTaskResult.objects.filter(finished_at__lt=before).delete()
    runner.steps(2, 3)
    keys = once.prune()
    runner.steps(3, 3)
    return {
        "ok": True,
        "summary": f"已删除 {settings.JOBS_KEEP_DAYS} 天前完成的任务记录 {jobs} 条、队列记录 {rows} 条，"
        f"{settings.ONCE_KEEP_DAYS} 天前的表单提交记录 {keys} 条。",
    }


@task()
def prune(job_id: str) -> str:
    return runner.run(job_id, _prune)
