"""Double entry of paper score sheets by staff, and the venue head's list of mismatches."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from baozheng.contest import paper, scoring
from baozheng.contest.access import staff_session
from baozheng.contest.models import Contestant, Judge
from baozheng.contest.scoring import ScoringError
from baozheng.lib.bounds import id_param
from baozheng.org.permissions import require
from baozheng.org.roles import Cap


@require(Cap.CONTEST)
def paper_entry(request: HttpRequest, session_id: int) -> HttpResponse:
    session = staff_session(request, session_id)
    judges = Judge.objects.filter(seats__session=session, seats__active=True).order_by("name")
    contestants = session.contestants.order_by("appearance", "number")
    if request.method == "POST":
        judge = get_object_or_404(judges, pk=id_param(request.POST.get("judge")))
        contestant = get_object_or_404(contestants, pk=id_param(request.POST.get("contestant")))
        try:
            outcome = paper.enter(session, judge, contestant, request.POST, request.user)
        except ScoringError as exc:
            for text in exc.messages:
                messages.error(request, text)
        else:
            if outcome.stored:
                messages.success(request, "两次录入一致，评分表已生效")
            elif outcome.mismatch:
                messages.warning(request, "两次录入不一致，评分表未生效，已列给赛点负责人处理")
            else:
                messages.success(request, "第一次录入已保存，须由另一位工作人员第二次录入")
        return redirect("contest-paper-entry", session_id=session.pk)
    return render(
        request,
        "contest/paper_entry.html",
        {
            "session": session,
            "contest": session.venue.zone.contest,
            "judges": judges,
            "contestants": contestants,
            "items": scoring.rubric_items(session),
            "mismatches": [
                pair
                for pair in paper.mismatches(session.venue_id)
                if pair[0].session_id == session.pk
            ],
            "is_head": scoring.is_venue_head(request.user, session.venue),
        },
    )


@require(Cap.CONTEST)
@require_POST
def paper_discard(request: HttpRequest, session_id: int) -> HttpResponse:
    session = staff_session(request, session_id)
    contestant = get_object_or_404(
        Contestant, pk=id_param(request.POST.get("contestant")), session=session
    )
    try:
        paper.discard(
            session, id_param(request.POST.get("judge")) or 0, contestant.pk, request.user
        )
    except ScoringError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已作废两次录入，请重新双人录入")
    return redirect("contest-paper-entry", session_id=session.pk)
