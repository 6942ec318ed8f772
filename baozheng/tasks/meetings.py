"""Meeting series on their cadence: scheduling the next meeting, recording attendance,
and finding the meetings that were missed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction

from baozheng.lib import saved
from baozheng.lib.bounds import overlong
from baozheng.tasks import cadence
from baozheng.tasks.models import (
    Attendance,
    Meeting,
    MeetingSeries,
    MeetingState,
    Presence,
)
from baozheng.tasks.services import LifecycleError

# How far back the dispatch home page looks for missed meetings.
MISSED_LOOKBACK_DAYS = 92


def last_held(series: MeetingSeries) -> Meeting | None:
    return series.meetings.filter(state=MeetingState.HELD).order_by("-held_on", "-pk").first()


def planned(series: MeetingSeries) -> Meeting | None:
    return series.meetings.filter(state=MeetingState.PLANNED).order_by("held_on", "pk").first()


def next_date(series: MeetingSeries, today: date) -> date:
    held = last_held(series)
    return cadence.next_meeting_date(series.kind, held.held_on if held else None, today)


@transaction.atomic
def schedule_next(series: MeetingSeries, today: date, user: Any) -> Meeting:
    """The series' planned meeting, created on its next date with the standing attendees
    when none is planned yet. The series' row lock makes a second call at the same moment
    (排期 on the page while a held meeting schedules the next) wait and find this one."""
    MeetingSeries.objects.select_for_update().filter(pk=series.pk).first()
    existing = planned(series)
    if existing is not None:
        return existing
    on = next_date(series, today)
    meeting = Meeting.objects.create(
        series=series,
        state=MeetingState.PLANNED,
        kind=series.kind,
        title=_planned_title(series, on),
        held_on=on,
        chair=series.chair,
        created_by=user,
        is_demo=series.is_demo,
    )
    saved.add_to_new(meeting.attending_units, series.standing_units.all())  # new: no read
    return meeting


def _planned_title(series: MeetingSeries, on: date) -> str:
    """2023年3月中旬会商, 2023年第12周周研判, 2023年3月月调度."""
    label = cadence.span_of(series.kind, on).label
    if series.kind == cadence.TEN_DAY:
        return f"{label}会商"
    return f"{label}{series.get_kind_display()}"


@dataclass(frozen=True)
class AttendanceLine:
    unit_id: int
    presence: str
    attendee: str = ""
    reason: str = ""


@transaction.atomic
def record_held(
    meeting: Meeting, lines: list[AttendanceLine], minutes: str, today: date, user: Any
) -> Meeting | None:
    """Mark the meeting held with who came, and plan the series' next meeting. Returns
    the next meeting of the series (None for a meeting outside a series)."""
    if meeting.held_on > today:
        raise LifecycleError("会议日期尚未到，不能登记为已召开")
    units = dict(meeting.attending_units.values_list("pk", "name"))
    for line in lines:
        if line.unit_id not in units:
            raise LifecycleError("只能登记本次会议参会单位的出席情况")
        if line.presence not in Presence.values:
            raise LifecycleError("出席情况只能是“出席”“请假”或“缺席”")
        if line.presence == Presence.EXCUSED and not line.reason.strip():
            raise LifecycleError("请假须填写请假事由")
        for text, name, label in (
            (line.attendee, "attendee", "参会人"),
            (line.reason if line.presence == Presence.EXCUSED else "", "reason", "请假事由"),
        ):
            if message := overlong(text.strip(), Attendance, name, label):
                raise LifecycleError(f"{units[line.unit_id]}：{message}")
    for line in lines:
        Attendance.objects.update_or_create(
            meeting=meeting,
            unit_id=line.unit_id,
            defaults={
                "presence": line.presence,
                "attendee": line.attendee.strip(),
                "reason": line.reason.strip() if line.presence == Presence.EXCUSED else "",
            },
        )
    meeting.state = MeetingState.HELD
    if minutes.strip():
        meeting.minutes = minutes.strip()
    meeting.save()
    if meeting.series is None or not meeting.series.active:
        return None
    return schedule_next(meeting.series, today + timedelta(days=1), user)


@dataclass(frozen=True)
class Missed:
    series: MeetingSeries
    span: cadence.Span


def missed_meetings(today: date) -> list[Missed]:
    """Periods of the last three months in which an active series held no meeting."""
    since = today - timedelta(days=MISSED_LOOKBACK_DAYS)
    found = []
    for series in MeetingSeries.objects.filter(active=True, kind__in=cadence.CADENCED):
        held = series.meetings.filter(state=MeetingState.HELD, held_on__gte=since).values_list(
            "held_on", flat=True
        )
        start = max(series.started_on, since)
        spans = cadence.missed_spans(series.kind, start, held, today)
        found += [Missed(series, s) for s in spans if s.start >= series.started_on]
    return sorted(found, key=lambda m: m.span.start, reverse=True)


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The last held meeting before this one: of the same series, else of the same kind."""
    earlier = Meeting.objects.filter(state=MeetingState.HELD, held_on__lt=meeting.held_on)
    if meeting.series_id:
        earlier = earlier.filter(series_id=meeting.series_id)
    else:
        earlier = earlier.filter(kind=meeting.kind)
    return earlier.exclude(pk=meeting.pk).order_by("-held_on", "-pk").first()
