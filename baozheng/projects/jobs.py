"""Key-project bulletin documents not yet in the per-version cache are built by a
background job, as the statistics bulletin's are (`monitor/jobs.py`).

One job per document file (month, reader's scope, format, letterhead variant, data
version): the job's key is the file name, so a request that finds the document being
built joins that job instead of starting a second build. The job builds for the scope of
the user who started it; a user who joined it has the same scope (same file name).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode
from django_tasks import task

from baozheng.documents.filecache import FORMAT_LABELS, job_result
from baozheng.documents.web import letterhead_of
from baozheng.jobs import runner
from baozheng.jobs.models import Job
from baozheng.lib.gongwen import Letterhead
from baozheng.projects.exports import Scope, bulletin_file, file_name, scope_of
from baozheng.projects.rules import Month, parse_month

DOC_TYPE = "projects_bulletin"


def letterhead(month: Month, fmt: str, overrides: dict[str, str]) -> Letterhead | None:
    """The letterhead of a Word or PDF document (settings with the form's overrides)."""
    if fmt == "xlsx":
        return None
    return letterhead_of(DOC_TYPE, month.year, month.month, overrides)


def download_url(params: dict) -> str:
    query = {"period": params["period"], "format": params["format"], **params["overrides"]}
    query = {k: v for k, v in query.items() if v}
    return f"{reverse('projects-bulletin')}?{urlencode(query)}"


def start_document(
    user,
    month: Month,
    scope: Scope,
    fmt: str,
    overrides: dict[str, str],
    head: Letterhead | None,
) -> Job:
    """Start the job building this document, or join the one already building it. `head`
    is the letterhead the request found with `overrides` (`letterhead`)."""
    name = file_name(month, scope, fmt, head)
    params = {
        "period": str(month),
        "format": fmt,
        "overrides": overrides,
        "back": f"{reverse('projects-bulletin')}?{urlencode({'period': str(month)})}",
    }
    title = f"生成{month.span_label}重点项目月通报（{FORMAT_LABELS[fmt]}）"
    return runner.start_or_join("project-document", title, user, params, key=f"projects:{name}")


def _build(job: Job) -> dict:
    params = job.params
    month, fmt = parse_month(params["period"]), params["format"]
    head = letterhead(month, fmt, params["overrides"])
    return job_result(
        lambda: bulletin_file(month, scope_of(job.user), fmt, head), fmt, download_url(params)
    )


@task()
def build_document(job_id: str) -> str:
    return runner.run(job_id, _build)
