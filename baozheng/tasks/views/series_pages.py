"""Meeting series on their cadence (周研判, 旬会商, 月调度): the list with the next and the
missed meetings (page and xlsx), a new series, scheduling the next meeting; and a meeting's attendance
and its pre-read (page, print and Word)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from baozheng.lib.office import DOCX, download
from baozheng.lib.once import once
from baozheng.org.permissions import can, require
from baozheng.org.roles import Cap
from baozheng.tasks import meetings, preread
from baozheng.tasks.forms import SeriesForm, TaskForm
from baozheng.tasks.models import MeetingSeries, Presence
from baozheng.tasks.services import LifecycleError, today
from baozheng.tasks.views.common import export_list
from baozheng.tasks.views.meeting_pages import _meeting, detail_context

EXPORT_HEADERS = [
    "会议名称",
    "类型",
    "主持人",
    "固定参会单位",
    "起始日期",
    "状态",
    "上次召开",
    "下次会议",
    "排期",
    "未按期召开",
]


def _export(rows: list[dict]) -> HttpResponse:
    """The schedule with the standing units named (the page counts them) and the state of
    each series and its next meeting in words."""
    data = [
        [
            r["series"].title,
            r["series"].get_kind_display(),
            r["series"].chair,
            "、".join(u.name for u in r["series"].standing_units.all()),
            r["series"].started_on,
            "按期召开" if r["series"].active else "已停用",
            r["last"].held_on if r["last"] else None,
            r["planned"].held_on if r["planned"] else r["next_on"],
            "已排期" if r["planned"] else ("未排期" if r["next_on"] else ""),
            "、".join(span.label for span in r["missed"]),
        ]
        for r in rows
    ]
    return export_list("例行会议排期", EXPORT_HEADERS, data)


@require(Cap.DISPATCH)
def series_list(request: HttpRequest) -> HttpResponse:
    on = today()
    missed = meetings.missed_meetings(on)
    rows = [
        {
            "series": s,
            "last": meetings.last_held(s),
            "planned": meetings.planned(s),
            "next_on": meetings.next_date(s, on) if s.active else None,
            "missed": [m.span for m in missed if m.series.pk == s.pk],
        }
        for s in MeetingSeries.objects.prefetch_related("standing_units")
    ]
    if request.GET.get("export") == "xlsx":
        return _export(rows)
    return render(request, "tasks/series_list.html", {"rows": rows, "today": on})


@require(Cap.DISPATCH)
@once
def series_new(request: HttpRequest) -> HttpResponse:
    form = SeriesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "会议序列已建立")
        return redirect("tasks-series")
    return render(request, "tasks/meeting_form.html", {"form": form, "title": "建立例行会议"})


@require(Cap.DISPATCH)
@require_POST
def series_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    series = get_object_or_404(MeetingSeries, pk=pk)
    meeting = meetings.schedule_next(series, today(), request.user)
    messages.success(request, f"已排期：{meeting.held_on:%Y年%m月%d日} {meeting.title}")
    return redirect("tasks-meeting", pk=meeting.pk)


@require(Cap.DISPATCH)
@require_POST
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """Record who came and mark the meeting held; the series' next meeting is planned."""
    meeting = _meeting(request, pk)
    lines = [
        meetings.AttendanceLine(
            unit.pk,
            request.POST.get(f"presence_{unit.pk}", Presence.PRESENT),
            request.POST.get(f"attendee_{unit.pk}", ""),
            request.POST.get(f"reason_{unit.pk}", ""),
        )
        for unit in meeting.attending_units.all()
    ]
    try:
        following = meetings.record_held(
            meeting, lines, request.POST.get("minutes", ""), today(), request.user
        )
    except LifecycleError as error:
        messages.error(request, str(error))
        context = detail_context(
            request,
            meeting,
            TaskForm(user=request.user),
            posted=lines,
            minutes=request.POST.get("minutes", ""),
        )
        return render(request, "tasks/meeting_detail.html", context, status=400)
    messages.success(request, "出席情况已登记，会议已召开")
    if following is not None:
        messages.info(request, f"下次会议已排期：{following.held_on:%Y年%m月%d日}")
    return redirect("tasks-meeting", pk=meeting.pk)


@require(Cap.VIEW)
def meeting_preread(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    on = preread.reading_day(meeting, today())
    sections = preread.build(request.user, meeting, on)
    if request.GET.get("format") == "docx":
        return download(
            preread.to_docx(meeting, sections, on), f"{meeting.title}会前材料.docx", DOCX
        )
    return render(
        request,
        "tasks/meeting_preread.html",
        {
            "meeting": meeting,
            "sections": sections,
            "on": on,
            "can_decide": can(request.user, Cap.DISPATCH),
        },
    )
