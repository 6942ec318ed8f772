"""The monthly bulletin (通报) page and its downloads (xlsx, docx, JSON), all produced by
the statistics core from the same rows; this module checks role and scope and serves them."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from baozheng.lib.office import DOCX, XLSX, download
from baozheng.monitor.exports import bulletin_file
from baozheng.monitor.report import load_report
from baozheng.monitor.views.common import empty_page, selection
from baozheng.org.permissions import require
from baozheng.org.roles import Cap

FORMATS = ("xlsx", "docx", "json")


@require(Cap.VIEW)
def bulletin_page(request: HttpRequest) -> HttpResponse:
    chosen = selection(request)
    if chosen is None:
        return empty_page(request, "通报")
    report = load_report(chosen.period, chosen.parent, request.user)
    sections = [
        {
            "indicator": ind,
            "rows": ([report.parent_row(ind)] if report.parent_row(ind) else [])
            + report.child_rows(ind),
        }
        for ind in report.indicators
    ]
    return render(
        request,
        "monitor/bulletin.html",
        {
            **chosen.picker(request.user),
            "sections": sections,
            "formats": FORMATS,
            "counts": report.status_counts(),
        },
    )


@require(Cap.VIEW)
def bulletin_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The parent is in the user's scope (checked by `selection`), and so is every row
    below it: scope is a subtree."""
    if fmt not in FORMATS:
        raise Http404("不支持的格式")
    chosen = selection(request)
    if chosen is None:
        raise Http404("尚无已审核的数据")
    path = bulletin_file(chosen.period, chosen.parent, fmt)
    name = f"{chosen.parent.name}{chosen.period.label}经济运行通报.{fmt}"
    content_type = {"json": "application/json; charset=utf-8", "xlsx": XLSX, "docx": DOCX}[fmt]
    return download(path.read_bytes(), name, content_type)
