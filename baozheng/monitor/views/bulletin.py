"""The monthly bulletin (通报) page and its downloads (xlsx, docx, JSON), all produced by
the statistics core from the same rows; this module checks role and scope and serves them.

A released period shows its stored release (the latest version, or `?version=N`), so
what readers see is the snapshot that was published, with links to the other versions;
an unreleased period is computed from the current figures (staff only, marked 未发布)."""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render

from baozheng.documents import pdf
from baozheng.documents.web import BadOverride, letterhead_of, overrides_from
from baozheng.lib.office import DOCX, XLSX, download
from baozheng.monitor.exports import bulletin_file, cached_file
from baozheng.monitor.jobs import start_document
from baozheng.monitor.lines import bulletin_line
from baozheng.monitor.report import load_report
from baozheng.monitor.views.common import empty_page, selection
from baozheng.org.permissions import require
from baozheng.org.roles import Cap
from baozheng.reporting.models import Release
from baozheng.reporting.releases import versions

FORMATS = ("xlsx", "docx", "pdf", "json")
CONTENT_TYPES = {"xlsx": XLSX, "docx": DOCX, "pdf": pdf.PDF}


@require(Cap.VIEW)
def bulletin_page(request: HttpRequest) -> HttpResponse:
    chosen = selection(request)
    if chosen is None:
        return empty_page(request, "通报")
    release = _release(request, chosen)
    report = load_report(
        chosen.period, chosen.parent, request.user, release.data if release else None
    )
    sections = []
    for ind in report.indicators:
        parent_row = report.parent_row(ind)
        rows = ([parent_row] if parent_row else []) + report.child_rows(ind)
        sections.append({"indicator": ind, "lines": [bulletin_line(row) for row in rows]})
    return render(
        request,
        "monitor/bulletin.html",
        {
            **chosen.picker(request.user),
            "sections": sections,
            "formats": FORMATS,
            "counts": report.status_counts(),
            "pdf_available": pdf.available(),
            "release": release,
            "versions": versions(chosen.period, chosen.parent) if release else [],
        },
    )


def _release(request: HttpRequest, chosen) -> Release | None:
    """The stored release shown: `?version=N`, else the latest version, else None; its
    documents are read only when downloaded."""
    found = (
        Release.objects.filter(
            year=chosen.period.year, month=chosen.period.month, parent=chosen.parent
        )
        .defer("xlsx", "docx")
        .order_by("-version")
    )
    text = request.GET.get("version", "")
    if text:
        if not text.isdigit():
            raise Http404("版本号应为整数")
        found = found.filter(version=int(text))
        if not found.exists():
            raise Http404("没有该版本")
    return found.first()


@require(Cap.VIEW)
def bulletin_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The parent is in the user's scope (checked by `selection`), and so is every row
    below it: scope is a subtree. A released period serves its stored snapshot; otherwise
    JSON is written at once, and an Excel, Word or PDF file is served from the
    per-version cache or built by a background job whose page shows its progress and
    then links back here."""
    if fmt not in FORMATS:
        raise Http404("不支持的格式")
    chosen = selection(request)
    if chosen is None:
        raise Http404("尚无已审核的数据")
    name = f"{chosen.parent.name}{chosen.period.label}经济运行通报"
    release = _release(request, chosen)
    if release is not None:
        return _released(request, release, name, fmt)
    if fmt == "json":
        path = bulletin_file(chosen.period, chosen.parent, fmt)
        return download(path.read_bytes(), f"{name}.json", "application/json; charset=utf-8")
    if fmt == "pdf" and not pdf.available():
        return HttpResponse(pdf.UNAVAILABLE, status=503, content_type="text/plain; charset=utf-8")
    head, overrides, draft = None, {}, ""
    if fmt != "xlsx":
        try:
            overrides = overrides_from(request)
            head = letterhead_of(
                "stats_bulletin", chosen.period.year, chosen.period.month, overrides
            )
        except BadOverride as exc:
            return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
        # Staff may look at a period the office has not released: the document says so.
        draft = "未发布" if chosen.released.is_unreleased(chosen.period) else ""
    found = cached_file(chosen.period, chosen.parent, fmt, head=head, draft=draft)
    if found is None:
        job = start_document(
            request.user, chosen.period, chosen.parent, fmt, overrides, draft, head
        )
        return redirect("job", pk=job.pk)
    return download(found.read_bytes(), f"{name}.{fmt}", CONTENT_TYPES[fmt])


def _released(request: HttpRequest, release: Release, name: str, fmt: str) -> HttpResponse:
    """A stored release: its rows at once; its documents once the snapshot job built them."""
    name += f"（第{release.version}版）"
    if fmt == "json":
        body = json.dumps(release.data, ensure_ascii=False, indent=1).encode()
        return download(body, f"{name}.json", "application/json; charset=utf-8")
    if not release.built:
        return render(request, "reporting/snapshot_pending.html", {"release": release}, status=202)
    if fmt == "xlsx":
        return download(bytes(release.xlsx), f"{name}.xlsx", XLSX)
    if fmt == "docx":
        return download(bytes(release.docx), f"{name}.docx", DOCX)
    try:
        return download(pdf.docx_to_pdf(bytes(release.docx)), f"{name}.pdf", pdf.PDF)
    except pdf.PdfUnavailable as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
