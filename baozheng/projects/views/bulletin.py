"""The monthly key-project bulletin (月通报): the page and JSON are computed in the request
(a few database reads); the Excel, Word and PDF documents are served from the per-version
file cache or built by a background job whose page shows its progress and then links back
here (`projects/jobs.py`). Every form covers only what the reader may see."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render

from baozheng.documents import pdf
from baozheng.documents.web import BadOverride, overrides_from
from baozheng.lib import office
from baozheng.org.permissions import require
from baozheng.org.roles import Cap
from baozheng.projects import bulletin as bulletin_module
from baozheng.projects.exports import FORMATS, cached_file, scope_of, visible_counties
from baozheng.projects.facts import month_from, visible_projects
from baozheng.projects.jobs import letterhead, start_document
from baozheng.projects.rules import Month

CONTENT_TYPES = {"xlsx": office.XLSX, "docx": office.DOCX, "pdf": pdf.PDF}


@require(Cap.VIEW)
def bulletin(request: HttpRequest) -> HttpResponse:
    month = month_from(request.GET.get("period"))
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        return _document(request, month, fmt)
    counties = visible_counties(request.user)
    data = bulletin_module.build(visible_projects(request.user), counties, month)
    if fmt == "json":
        return HttpResponse(
            bulletin_module.to_json(data), content_type="application/json; charset=utf-8"
        )
    return render(
        request,
        "projects/bulletin.html",
        {
            "month": month,
            "data": data,
            "title": bulletin_module.title(data),
            "pdf_available": pdf.available(),
        },
    )


def _document(request: HttpRequest, month: Month, fmt: str) -> HttpResponse:
    if fmt == "pdf" and not pdf.available():
        return HttpResponse(pdf.UNAVAILABLE, status=503, content_type="text/plain; charset=utf-8")
    overrides: dict[str, str] = {}
    try:
        if fmt != "xlsx":
            overrides = overrides_from(request)
        head = letterhead(month, fmt, overrides)
    except BadOverride as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
    scope = scope_of(request.user)
    found = cached_file(month, scope, fmt, head)
    if found is None:
        job = start_document(request.user, month, scope, fmt, overrides, head)
        return redirect("job", pk=job.pk)
    return office.download(found.read_bytes(), f"重点项目月通报-{month}.{fmt}", CONTENT_TYPES[fmt])
