"""The monthly supervision notice (督查通报) as a page, a Word document and an xlsx, over
the tasks the reader may see."""

from __future__ import annotations

import re

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from baozheng.lib.office import DOCX, download, new_workbook
from baozheng.org.permissions import require
from baozheng.org.roles import Cap
from baozheng.tasks import notice
from baozheng.tasks.access import visible_tasks
from baozheng.tasks.services import today
from baozheng.tasks.views.common import export_download, export_sheet


def _month(text: str | None) -> tuple[int, int]:
    if not text:
        on = today()
        return on.year, on.month
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", text.strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise Http404("月份应为 2023-03 的形式")
    return int(match[1]), int(match[2])


def _export(built: notice.Notice) -> HttpResponse:
    """The page's table with the units' full names and its summary under it, and the
    overdue tasks one per row (the page lists them on one line per unit)."""
    wb = new_workbook()
    export_sheet(
        wb,
        built.title,
        notice.HEADERS,
        [[x.full_name, *x.values()] for x in built.lines],
        sheet_name="办理情况",
        notes=[notice.summary(built)],
    )
    if built.behind:
        export_sheet(
            wb,
            "超期未办结事项",
            ["牵头单位", "督办事项"],
            [[x.full_name, title] for x in built.behind for title in x.overdue_titles],
        )
    return export_download(wb, built.title)


@require(Cap.VIEW)
def notice_page(request: HttpRequest) -> HttpResponse:
    year, month = _month(request.GET.get("month"))
    start, end = notice.month_span(year, month)
    built = notice.build(visible_tasks(request.user), start, end)
    if request.GET.get("format") == "docx":
        return download(notice.to_docx(built), f"{built.title}.docx", DOCX)
    if request.GET.get("export") == "xlsx":
        return _export(built)
    return render(
        request,
        "tasks/notice.html",
        {
            "notice": built,
            "summary": notice.summary(built),
            "headers": notice.HEADERS,
            "month": f"{year}-{month:02d}",
        },
    )
