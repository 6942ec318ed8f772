"""Staff acts that change what counts: re-draws (approved by the venue head), judge
absences, contestants absent from the exam (缺考) and placing contestants into sessions. Each refuses with a Chinese reason and
changes nothing when the rules are not met."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from baozheng.contest import draw_service, panels
from baozheng.contest.access import staff_session
from baozheng.contest.draw import DrawError
from baozheng.contest.models import Contestant, Draw
from baozheng.contest.scoring import ScoringError
from baozheng.lib.bounds import id_param, ids_param
from baozheng.org.permissions import check, require
from baozheng.org.roles import Cap


@require(Cap.CONTEST)
@require_POST
def redraw(request: HttpRequest, pk: int) -> HttpResponse:
    old = get_object_or_404(Draw.objects.select_related("contest__unit"), pk=pk)
    check(request.user, Cap.CONTEST, old.contest.unit)
    try:
        new = draw_service.redraw(
            old,
            request.POST.get("reason", ""),
            request.POST.get("void_scores") == "1",
            request.user,
        )
    except DrawError as exc:
        messages.error(request, str(exc))
        return redirect("contest-draw-public", pk=old.pk)
    messages.success(request, f"原抽签已作废；新的承诺值已公布：{new.commitment[:16]}…，请现场抽签")
    return redirect("contest-draw-public", pk=new.pk)


@require(Cap.CONTEST)
@require_POST
def judge_absence(request: HttpRequest, session_id: int) -> HttpResponse:
    session = staff_session(request, session_id)
    judge_id = id_param(request.POST.get("judge"))
    try:
        if judge_id is None:
            raise ScoringError("请选择评委")
        absence = panels.record_judge_absence(
            session, judge_id, request.POST.get("reason", ""), request.user
        )
    except ScoringError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已记录评委 {absence.judge.name} 缺席；本场以已交评分表为准")
    return redirect("contest-session", session_id=session.pk)


@require(Cap.CONTEST)
@require_POST
def contestant_absent(request: HttpRequest, contestant_id: int) -> HttpResponse:
    contestant = get_object_or_404(
        Contestant.objects.select_related("contest__unit", "session__venue__zone__contest"),
        pk=contestant_id,
    )
    check(request.user, Cap.CONTEST, contestant.contest.unit)
    try:
        panels.record_contestant_absent(contestant, request.POST.get("reason", ""), request.user)
    except ScoringError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已记录 {contestant.number} 号缺考")
    if contestant.session_id:
        return redirect("contest-session", session_id=contestant.session_id)
    return redirect("contest-detail", contest_id=contestant.contest_id)


@require(Cap.CONTEST)
@require_POST
def place_contestants(request: HttpRequest, session_id: int) -> HttpResponse:
    """Put unplaced contestants of the session's division into this session (audited)."""
    session = staff_session(request, session_id)
    chosen = Contestant.objects.filter(
        pk__in=ids_param(request.POST.getlist("contestants")),
        division_id=session.division_id,
        session__isnull=True,
    )
    placed = 0
    for contestant in chosen:
        contestant.session = session
        contestant.save(update_fields=["session"])
        placed += 1
    if placed:
        messages.success(request, f"已安排 {placed} 名选手到本场次")
    else:
        messages.error(request, "请选择本组别尚未安排场次的选手")
    return redirect("contest-session", session_id=session.pk)
