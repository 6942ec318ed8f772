"""The job that builds a release's Excel and Word documents from its stored rows."""

from __future__ import annotations

from django.urls import reverse
from django_tasks import task

from baozheng.jobs import runner
from baozheng.jobs.models import Job
from baozheng.reporting.models import Release
from baozheng.reporting.releases import build_documents


def _build(job: Job) -> dict:
    release = Release.objects.select_related("parent").get(pk=job.params["release"])
    written = build_documents(release)
    query = f"?period={release.period_code}&parent={release.parent.code}&version={release.version}"
    links = [
        [label, reverse("monitor-bulletin-download", args=[fmt]) + query]
        for label, fmt in (("下载 Excel 原件", "xlsx"), ("下载 Word 原件", "docx"))
    ]
    links.append(["查看通报", reverse("monitor-bulletin") + query])
    state = "已生成" if written else "此前已生成，未重复生成"
    return {"ok": True, "summary": f"{release}的 Excel 与 Word 原件{state}。", "links": links}


@task()
def build_snapshot(job_id: str) -> str:
    return runner.run(job_id, _build)
