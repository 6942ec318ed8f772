"""Release versions (发布版本): one version's documents and its differences (更正), with
links to every other version of the same period and parent."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from baozheng.analysis.periods import Period
from baozheng.lib.office import DOCX, XLSX, download
from baozheng.monitor.context import unit_in_scope
from baozheng.org.models import Unit
from baozheng.org.permissions import require
from baozheng.org.roles import Cap
from baozheng.reporting.models import Release
from baozheng.reporting.releases import versions
from baozheng.stats.models import Indicator


def _release(request: HttpRequest, period: str, parent: str, version: int) -> Release:
    unit = unit_in_scope(request.user, parent)
    try:
        when = Period.parse(period)
    except ValueError as error:
        raise Http404(str(error)) from error
    return get_object_or_404(
        Release.objects.select_related("parent", "released_by"),
        year=when.year,
        month=when.month,
        parent=unit,
        version=version,
    )


@require(Cap.VIEW)
def release_page(request: HttpRequest, period: str, parent: str, version: int) -> HttpResponse:
    release = _release(request, period, parent, version)
    names = dict(Indicator.objects.values_list("code", "name"))
    units = dict(Unit.objects.values_list("code", "name"))
    changes = [
        {
            **d,
            "indicator_name": names.get(d["indicator"], d["indicator"]),
            "unit_name": units.get(d["unit"], d["unit"]),
        }
        for d in release.differences
    ]
    when = Period(release.year, release.month)
    return render(
        request,
        "reporting/release.html",
        {
            "release": release,
            "period": when,
            "changes": changes,
            "versions": versions(when, release.parent),
        },
    )


@require(Cap.VIEW)
def release_download(
    request: HttpRequest, period: str, parent: str, version: int, fmt: str
) -> HttpResponse:
    release = _release(request, period, parent, version)
    when = Period(release.year, release.month)
    name = f"{release.parent.name}{when.label}经济运行通报（第{release.version}版）"
    if fmt in ("xlsx", "docx") and not release.built:
        return render(request, "reporting/snapshot_pending.html", {"release": release}, status=202)
    if fmt == "xlsx":
        return download(bytes(release.xlsx), f"{name}.xlsx", XLSX)
    if fmt == "docx":
        return download(bytes(release.docx), f"{name}.docx", DOCX)
    raise Http404("不支持的格式")
