"""Bulletin documents not yet in the per-version cache are built by a background job.

One job per document file (period, parent, format, letterhead variant, data version):
the job's key is the file name, so a request that finds the document being built joins
that job and follows its progress instead of starting a second build.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode
from django_tasks import task

from baozheng.analysis.periods import Period
from baozheng.documents.filecache import FORMAT_LABELS, job_result
from baozheng.documents.web import letterhead_of
from baozheng.jobs import runner
from baozheng.jobs.models import Job
from baozheng.lib.gongwen import Letterhead
from baozheng.monitor.exports import bulletin_file, file_name
from baozheng.org.models import Unit


def download_url(params: dict) -> str:
    query = {"period": params["period"], "parent": params["parent"], **params["overrides"]}
    query = {k: v for k, v in query.items() if v}
    url = reverse("monitor-bulletin-download", args=[params["format"]])
    return f"{url}?{urlencode(query)}"


def start_document(
    user,
    period: Period,
    parent: Unit,
    fmt: str,
    overrides: dict[str, str],
    draft: str,
    head: Letterhead | None,
) -> Job:
    """Start the job building this document, or join the one already building it. `head`
    is the letterhead the request found with `overrides` (None for a workbook)."""
    name = file_name(period, parent, fmt, head=head, draft=draft)
    params = {
        "period": period.code,
        "parent": parent.code,
        "format": fmt,
        "overrides": overrides,
        "draft": draft,
    }
    params["back"] = (
        reverse("monitor-bulletin")
        + "?"
        + urlencode({"period": period.code, "parent": parent.code})
    )
    title = f"生成{parent.name}{period.label}经济运行通报（{FORMAT_LABELS[fmt]}）"
    return runner.start_or_join("document", title, user, params, key=f"bulletin:{name}")


def _build(job: Job) -> dict:
    params = job.params
    period, parent = Period.parse(params["period"]), Unit.objects.get(code=params["parent"])
    fmt = params["format"]
    head = None
    if fmt != "xlsx":
        head = letterhead_of("stats_bulletin", period.year, period.month, params["overrides"])
    return job_result(
        lambda: bulletin_file(period, parent, fmt, head=head, draft=params["draft"]),
        fmt,
        download_url(params),
    )


@task()
def build_document(job_id: str) -> str:
    return runner.run(job_id, _build)
