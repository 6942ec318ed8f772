"""Accountability records (追责): the list with figures per unit and its xlsx, a new
record (dispatch office), a record's page and its decision document, and a unit's
supervision file."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from baozheng.lib.office import new_workbook
from baozheng.lib.once import once
from baozheng.org.models import Unit
from baozheng.org.permissions import can, check, require
from baozheng.org.roles import Cap
from baozheng.tasks import notice
from baozheng.tasks.access import one_visible, visible_tasks
from baozheng.tasks.accountability import KINDS, figures_by_unit, visible_records
from baozheng.tasks.forms import AccountabilityForm
from baozheng.tasks.models import OPEN_STATUSES, Accountability, AccountabilityKind
from baozheng.tasks.services import today
from baozheng.tasks.views.common import export_download, export_sheet, rows_with_lights

EXPORT_HEADERS = [
    "决定日期",
    "追责方式",
    "被追责单位",
    "被追责人员",
    "追责依据",
    "涉及督办事项",
    "决定机关/领导",
    "文号",
]


def _record(request: HttpRequest, pk: int):
    return one_visible(visible_records(request.user), pk, "追责记录")


def _export(records: QuerySet[Accountability], figures: list[dict]) -> HttpResponse:
    """The records with their basis whole and the tasks they rest on (the page cuts the
    one and leaves out the other), and the page's figures per unit on a second sheet."""
    rows = [
        [
            r.decided_on,
            r.get_kind_display(),
            r.unit.name,
            r.person,
            r.basis,
            "、".join(f"{t.code} {t.title}" for t in r.tasks.all()),
            r.decided_by,
            r.document_number,
        ]
        for r in records
    ]
    wb = new_workbook()
    export_sheet(wb, "追责记录", EXPORT_HEADERS, rows)
    export_sheet(
        wb,
        "追责记录按单位统计",
        ["单位", *(AccountabilityKind(k).label for k in KINDS), "合计"],
        [[f["unit__name"], *(f[k] for k in KINDS), f["total"]] for f in figures],
        sheet_name="按单位统计",
    )
    return export_download(wb, "追责记录")


@require(Cap.VIEW)
def record_list(request: HttpRequest) -> HttpResponse:
    records = visible_records(request.user)
    figures = figures_by_unit(records)
    if request.GET.get("export") == "xlsx":
        return _export(records, figures)
    return render(
        request,
        "tasks/accountability_list.html",
        {"records": records, "figures": figures, "can_create": can(request.user, Cap.DISPATCH)},
    )


@require(Cap.DISPATCH)
@once
def record_new(request: HttpRequest) -> HttpResponse:
    overdue = (
        visible_tasks(request.user)
        .filter(status__in=OPEN_STATUSES, deadline__lt=today())
        .select_related("lead_unit")
    )
    form = AccountabilityForm(
        request.POST or None, request.FILES or None, user=request.user, tasks=overdue
    )
    if request.method == "POST" and form.is_valid():
        record = form.save(commit=False)
        record.recorded_by = request.user
        record.save()
        form.save_m2m()
        messages.success(request, "追责记录已登记")
        return redirect("tasks-accountability", pk=record.pk)
    return render(
        request,
        "tasks/meeting_form.html",
        {"form": form, "title": "登记追责记录", "multipart": True},
        status=400 if form.errors else 200,
    )


@require(Cap.VIEW)
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    return render(request, "tasks/accountability_detail.html", {"record": record})


@require(Cap.VIEW)
def record_document(request: HttpRequest, pk: int) -> FileResponse:
    record = _record(request, pk)
    if not record.document:
        raise Http404("该追责记录没有上传决定文书")
    return FileResponse(record.document.open("rb"), as_attachment=True)


@require(Cap.VIEW)
def unit_file(request: HttpRequest, code: str) -> HttpResponse:
    """A unit's supervision file (督办档案): its open tasks, this month's notice line and
    the accountability records concerning it."""
    unit = get_object_or_404(Unit, code=code)
    check(request.user, Cap.VIEW, unit)
    tasks = visible_tasks(request.user).filter(lead_unit=unit)
    records = visible_records(request.user).filter(unit__path__startswith=unit.path)
    on = today()
    month = notice.build(tasks, *notice.month_span(on.year, on.month))
    return render(
        request,
        "tasks/unit_file.html",
        {
            "unit": unit,
            "rows": rows_with_lights(tasks.exclude(status="closed"), on),
            "records": records,
            "line": month.lines[0] if month.lines else None,
            "headers": notice.HEADERS[1:],
            "notice": month,
        },
    )
