"""Pages for contest staff (Cap.CONTEST within the contest's organising unit): the contest,
imports, judges and panels, sessions with their QR codes, venues and corrections."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from baozheng.contest import assignment, scoring
from baozheng.contest.access import staff_contest, staff_session, staff_venue
from baozheng.contest.importer import import_contestants
from baozheng.contest.models import (
    Contest,
    Contestant,
    Correction,
    CorrectionStatus,
    Judge,
    PanelSeat,
    Venue,
)
from baozheng.contest.tokens import make_token, qr_svg
from baozheng.lib.bounds import id_param, overlong
from baozheng.lib.tabular import ImportFileError
from baozheng.lib.web import link_problem
from baozheng.org.permissions import check, require, scoped
from baozheng.org.roles import Cap


@require(Cap.CONTEST)
def index(request: HttpRequest) -> HttpResponse:
    contests = scoped(Contest.objects.all(), request.user).annotate(n=Count("contestants"))
    return render(request, "contest/index.html", {"contests": contests})


@require(Cap.CONTEST)
def detail(request: HttpRequest, contest_id: int) -> HttpResponse:
    contest = staff_contest(request, contest_id)
    venues = (
        Venue.objects.filter(zone__contest=contest)
        .select_related("zone", "head")
        .annotate(
            sessions_n=Count("sessions", distinct=True),
            contestants_n=Count("sessions__contestants", distinct=True),
        )
    )
    divisions = contest.divisions.select_related("stage", "rubric").annotate(n=Count("contestants"))
    return render(
        request,
        "contest/detail.html",
        {
            "contest": contest,
            "venues": venues,
            "divisions": divisions,
            "rubrics": contest.rubrics.prefetch_related("items"),
            "counts": {
                "contestants": contest.contestants.count(),
                "judges": contest.judges.count(),
                "draws": contest.draws.count(),
                "topics": contest.topics.count(),
            },
        },
    )


@require(Cap.CONTEST)
def import_page(request: HttpRequest, contest_id: int) -> HttpResponse:
    contest = staff_contest(request, contest_id)
    report = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, "请选择要导入的文件")
        else:
            try:
                report = import_contestants(
                    contest,
                    upload.read(),
                    upload.name,
                    dry_run=bool(request.POST.get("dry_run")),
                    user=request.user,
                )
            except ImportFileError as exc:
                messages.error(request, str(exc))
    return render(request, "contest/import.html", {"contest": contest, "report": report})


@require(Cap.CONTEST)
def judges(request: HttpRequest, contest_id: int) -> HttpResponse:
    contest = staff_contest(request, contest_id)
    if request.method == "POST":
        created, shortfalls = assignment.auto_assign(contest)
        messages.success(request, f"已按回避规则分配 {created} 个评委席位")
        for text in shortfalls[:20]:
            messages.warning(request, text)
        return redirect("contest-judges", contest_id=contest.pk)
    rows = (
        Judge.objects.filter(contest=contest)
        .select_related("unit")
        .annotate(
            seats_n=Count("seats", filter=Q(seats__active=True)),
            sheets_n=Count("sheets", distinct=True),
        )
    )
    overrides = (
        PanelSeat.objects.filter(session__venue__zone__contest=contest, source="manual")
        .select_related("judge", "session__venue", "changed_by")
        .order_by("-changed_at")
    )
    return render(
        request, "contest/judges.html", {"contest": contest, "judges": rows, "overrides": overrides}
    )


@require(Cap.CONTEST)
def session_page(request: HttpRequest, session_id: int) -> HttpResponse:
    session = staff_session(request, session_id)
    contestants = (
        session.contestants.select_related("school", "topic", "borrowed_class__school")
        .annotate(sheets_n=Count("sheets"))
        .order_by("appearance", "number")
    )
    seats = session.seats.select_related("judge__unit", "changed_by").order_by(
        "-active", "judge__group", "judge__name"
    )
    contest = session.venue.zone.contest
    return render(
        request,
        "contest/session.html",
        {
            "session": session,
            "contest": contest,
            "contestants": contestants,
            "seats": seats,
            "judges": Judge.objects.filter(contest=contest).order_by("group", "name"),
            "draws": session.draws.select_related("approved_by"),
            "absences": session.absences.select_related("judge", "recorded_by"),
            "is_head": scoring.is_venue_head(request.user, session.venue),
            "unplaced": Contestant.objects.filter(
                division_id=session.division_id, session__isnull=True
            ).select_related("school"),
        },
    )


@require(Cap.CONTEST)
@require_POST
def panel_override(request: HttpRequest, session_id: int) -> HttpResponse:
    session = staff_session(request, session_id)
    judge = get_object_or_404(
        Judge, pk=id_param(request.POST.get("judge")), contest=session.venue.zone.contest
    )
    try:
        warning = assignment.override(
            session,
            judge,
            request.POST.get("action") == "add",
            request.POST.get("reason", ""),
            request.user,
        )
    except assignment.AssignmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已记录对评委 {judge.name} 的人工调整")
        if warning:
            messages.warning(
                request, f"注意：{judge.name} 与本场选手存在回避关系（{warning}），调整理由已记录"
            )
    return redirect("contest-session", session_id=session.pk)


@require(Cap.CONTEST)
@require_POST
def set_video(request: HttpRequest, contestant_id: int) -> HttpResponse:
    contestant = get_object_or_404(
        Contestant.objects.select_related("contest__unit"), pk=contestant_id
    )
    check(request.user, Cap.CONTEST, contestant.contest.unit)
    video = request.POST.get("video", "").strip()
    problem = overlong(video, Contestant, "video", "课堂录像链接") or link_problem(video)
    if problem:
        messages.error(request, problem)
    else:
        contestant.video = video
        contestant.save(update_fields=["video"])
        messages.success(request, f"已保存 {contestant.number} 的课堂录像")
    return (
        redirect("contest-session", session_id=contestant.session_id)
        if contestant.session_id
        else redirect("contest-detail", contest_id=contestant.contest_id)
    )


@require(Cap.CONTEST)
def session_qr(request: HttpRequest, session_id: int) -> HttpResponse:
    """One QR code per judge of the session, to print and hand out (每位评委一张)."""
    session = staff_session(request, session_id)
    cards = []
    for seat in (
        session.seats.filter(active=True)
        .select_related("judge")
        .order_by("judge__group", "judge__name")
    ):
        url = request.build_absolute_uri(
            reverse("contest-score-session", args=[make_token(seat.judge, session)])
        )
        cards.append({"judge": seat.judge, "url": url, "svg": qr_svg(url)})
    return render(request, "contest/session_qr.html", {"session": session, "cards": cards})


@require(Cap.CONTEST)
def venue_page(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = staff_venue(request, venue_id)
    corrections = Correction.objects.filter(sheet__session__venue=venue).select_related(
        "sheet__judge", "sheet__contestant", "decided_by"
    )
    return render(
        request,
        "contest/venue.html",
        {
            "venue": venue,
            "contest": venue.zone.contest,
            "sessions": venue.sessions.select_related("room", "division__stage").annotate(
                n=Count("contestants")
            ),
            "pending": [c for c in corrections if c.status == CorrectionStatus.PENDING],
            "decided": [c for c in corrections if c.status != CorrectionStatus.PENDING][:50],
            "is_head": scoring.is_venue_head(request.user, venue),
        },
    )


@require(Cap.CONTEST)
@require_POST
def release_names(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = staff_venue(request, venue_id)
    if not scoring.is_venue_head(request.user, venue):
        messages.error(request, "只有本赛点负责人可以公布选手姓名")
    else:
        venue.names_released = request.POST.get("release") == "1"
        venue.save(update_fields=["names_released"])
        scoring.bump_venue(venue.pk)
        messages.success(
            request, "已公布选手姓名" if venue.names_released else "已改为只显示参赛编号"
        )
    return redirect("contest-venue", venue_id=venue.pk)


@require(Cap.CONTEST)
@require_POST
def decide_correction(request: HttpRequest, pk: int) -> HttpResponse:
    correction = get_object_or_404(
        Correction.objects.select_related("sheet__session__venue__zone__contest__unit"), pk=pk
    )
    venue = correction.sheet.session.venue
    check(request.user, Cap.CONTEST, venue.zone.contest.unit)
    try:
        scoring.decide_correction(
            correction,
            request.user,
            request.POST.get("decision") == "approve",
            request.POST.get("note", ""),
        )
    except scoring.ScoringError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"更正申请{correction.get_status_display()}")
    return redirect("contest-venue", venue_id=venue.pk)
