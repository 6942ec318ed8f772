"""Meeting pages: the list, a meeting's record with its pre-read, and its decisions, each
of which becomes a tracked task in one step."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from baozheng.lib.once import once
from baozheng.org.permissions import can, require
from baozheng.org.roles import Cap
from baozheng.tasks import preread
from baozheng.tasks.access import one_visible, visible_meetings, visible_tasks
from baozheng.tasks.forms import MeetingForm, TaskForm
from baozheng.tasks.models import (
    CADENCE,
    Meeting,
    MeetingKind,
    MeetingState,
    Presence,
    SourceKind,
)
from baozheng.tasks.services import today
from baozheng.tasks.views.common import export_list, open_from_form, rows_with_lights


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    return one_visible(visible_meetings(request.user), pk, "会议")


@require(Cap.VIEW)
def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = visible_meetings(request.user).annotate(
        units=Count("attending_units", distinct=True)
    )
    kind = request.GET.get("kind", "")
    if kind in MeetingKind.values:
        meetings = meetings.filter(kind=kind)
    decisions = dict(
        visible_tasks(request.user)
        .filter(source_kind=SourceKind.MEETING)
        .values_list("source_id")
        .annotate(n=Count("pk"))
        .values_list("source_id", "n")
    )
    rows = [(m, decisions.get(m.pk, 0)) for m in meetings]
    if request.GET.get("export") == "xlsx":
        return export_list(
            "调度会议",
            ["会议日期", "类型", "会议名称", "主持人", "参会单位数", "议定事项数"],
            [[m.held_on, m.get_kind_display(), m.title, m.chair, m.units, n] for m, n in rows],
        )
    return render(
        request,
        "tasks/meeting_list.html",
        {
            "rows": rows,
            "kinds": [(k.value, k.label, CADENCE[k]) for k in MeetingKind],
            "kind": kind,
            "can_create": can(request.user, Cap.DISPATCH),
            "today": today(),
        },
    )


@require(Cap.DISPATCH)
@once
def meeting_new(request: HttpRequest) -> HttpResponse:
    form = MeetingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        meeting = form.save(commit=False)
        meeting.created_by = request.user
        if meeting.held_on > today():
            meeting.state = MeetingState.PLANNED
        meeting.save()
        form.save_m2m()
        messages.success(request, "会议已登记")
        return redirect("tasks-meeting", pk=meeting.pk)
    return render(request, "tasks/meeting_form.html", {"form": form, "title": "登记调度会"})


@require(Cap.DISPATCH)
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    form = MeetingForm(request.POST or None, instance=meeting, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "会议记录已保存")
        return redirect("tasks-meeting", pk=meeting.pk)
    return render(
        request, "tasks/meeting_form.html", {"form": form, "title": f"编辑：{meeting.title}"}
    )


@require(Cap.VIEW)
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    return render(
        request,
        "tasks/meeting_detail.html",
        detail_context(request, meeting, TaskForm(user=request.user)),
    )


def detail_context(
    request: HttpRequest,
    meeting: Meeting,
    form: TaskForm,
    posted: list | None = None,
    minutes: str | None = None,
) -> dict:
    """The meeting page; `posted` attendance lines and `minutes` refill the attendance
    form with what was typed when recording it was refused, so nothing typed is lost."""
    decisions = visible_tasks(request.user).filter(
        source_kind=SourceKind.MEETING, source_id=meeting.pk
    )
    on = preread.reading_day(meeting, today())
    if posted is None:
        posted = list(meeting.attendance.all())
    attendance = {a.unit_id: a for a in posted}
    units = list(meeting.attending_units.all())
    return {
        "meeting": meeting,
        "attendance": [(u, attendance.get(u.pk)) for u in units],
        "presences": Presence.choices,
        "minutes": meeting.minutes if minutes is None else minutes,
        "can_hold": can(request.user, Cap.DISPATCH)
        and meeting.state == MeetingState.PLANNED
        and meeting.held_on <= today(),
        "decisions": rows_with_lights(decisions, today()),
        "form": form,
        "can_decide": can(request.user, Cap.DISPATCH),
        "preread": preread.build(request.user, meeting, on),
        "preread_on": on,
        "units": units,
    }


@require(Cap.DISPATCH)
@require_POST
@once
def meeting_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """A decision recorded at the meeting becomes a tracked task at once."""
    meeting = _meeting(request, pk)
    form = TaskForm(request.POST, user=request.user)
    if form.is_valid():
        task = open_from_form(form, request.user, SourceKind.MEETING, meeting.pk, str(meeting))
        if task:
            messages.success(request, f"议定事项已立项督办：{task.code}")
            return redirect("tasks-meeting", pk=meeting.pk)
    return render(
        request, "tasks/meeting_detail.html", detail_context(request, meeting, form), status=400
    )
