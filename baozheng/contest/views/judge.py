"""The judge's phone pages, reached through the signed link in their QR code.

The link is the credential (see `tokens`), so these views need no login. They are exempt
from CSRF checks for the same reason: CSRF protects credentials a browser attaches by
itself (cookies), and nothing here relies on a cookie — a forged request would need the
judge's unguessable link.
"""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from functools import wraps

from asgiref.sync import sync_to_async
from django import db
from django.conf import settings
from django.contrib import messages
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from baozheng.contest import scoring
from baozheng.contest.models import Contestant, CorrectionStatus, PanelSeat, ScoreSheet
from baozheng.contest.tokens import make_token, read_submission_link, read_token
from baozheng.org.permissions import require
from baozheng.org.roles import Cap


def score_session(request: HttpRequest, token: str) -> HttpResponse:
    judge, session = read_token(token)
    seated = PanelSeat.objects.filter(session=session, judge=judge, active=True).exists()
    contestants = list(session.contestants.select_related("topic").order_by("appearance", "number"))
    done = set(
        ScoreSheet.objects.filter(judge=judge, session=session).values_list(
            "contestant_id", flat=True
        )
    )
    _confirm_saved(request, judge, contestants)
    return render(
        request,
        "contest/score_session.html",
        {
            "judge": judge,
            "session": session,
            "token": token,
            "seated": seated,
            "rows": [(c, c.pk in done) for c in contestants],
            "done": len(done),
        },
    )


def _confirm_saved(request: HttpRequest, judge, contestants: list[Contestant]) -> None:
    """The confirmation of the sheet just submitted (`?saved=<contestant>`, `&again=1` for a retry)."""
    saved = next((c for c in contestants if str(c.pk) == request.GET.get("saved")), None)
    sheet = (
        ScoreSheet.objects.filter(judge=judge, contestant=saved).prefetch_related("lines").first()
        if saved
        else None
    )
    if sheet is None:
        return
    if request.GET.get("again"):
        messages.success(request, f"{saved.number} 号选手的评分此前已提交，未重复保存")
    else:
        messages.success(
            request, f"{saved.number} 号选手的评分已提交并锁定（总分 {sheet.total()}）"
        )


def _sheet_context(token, judge, session, contestant, posted=None, **extra) -> dict:
    sheet = (
        ScoreSheet.objects.filter(judge=judge, contestant=contestant)
        .prefetch_related("lines")
        .first()
    )
    items = scoring.rubric_items(session)
    stored = sheet.points() if sheet else {}
    return {
        "token": token,
        "judge": judge,
        "session": session,
        "contestant": contestant,
        "sheet": sheet,
        "items": [
            (item, stored.get(item.pk, (posted or {}).get(f"item-{item.pk}", ""))) for item in items
        ],
        "max_total": sum((i.max_points for i in items), 0),
        "pending": sheet.corrections.filter(status=CorrectionStatus.PENDING).first()
        if sheet
        else None,
        "key": uuid.uuid4().hex,
        **extra,
    }


# Scoring runs in a small thread pool of its own: under ASGI every request would otherwise get
# its own thread and database connection, and 200 judges submitting in the same second would
# exhaust PostgreSQL's connection limit (and pay for a new authenticated connection each
# time). The pool bounds a worker process to CONTEST_SCORING_THREADS connections (default 8)
# and keeps them open between jobs — a small connection pool; a connection that saw an
# error is checked and replaced before the next job.
SCORING_POOL = ThreadPoolExecutor(
    max_workers=int(getattr(settings, "CONTEST_SCORING_THREADS", 8)),
    thread_name_prefix="contest-scoring",
)


def _in_pool(view):
    def job(*args, **kwargs):
        for connection in db.connections.all(initialized_only=True):
            if connection.errors_occurred and not connection.is_usable():
                connection.close()
        return view(*args, **kwargs)

    run = sync_to_async(job, thread_sensitive=False, executor=SCORING_POOL)

    @wraps(view)
    async def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if isinstance(request, ASGIRequest):
            return await run(request, *args, **kwargs)
        return await sync_to_async(view)(request, *args, **kwargs)

    return wrapped


@csrf_exempt
@_in_pool
def score_sheet(request: HttpRequest, token: str, contestant_id: int) -> HttpResponse:
    if request.method != "POST":
        judge, session = read_token(token)
        contestant = get_object_or_404(Contestant, pk=contestant_id, session=session)
        return render(
            request, "contest/score_sheet.html", _sheet_context(token, judge, session, contestant)
        )
    link = read_submission_link(token, contestant_id)
    try:
        points = scoring.parse_points(scoring.link_rubric(link), request.POST)
        _sheet, created = scoring.submit(link, points, request.POST.get("idempotency_key", ""))
    except scoring.ScoringError as exc:
        judge, session = read_token(token)  # the page again needs the full objects
        contestant = get_object_or_404(Contestant, pk=contestant_id, session=session)
        context = _sheet_context(
            token,
            judge,
            session,
            contestant,
            errors=exc.messages,
            posted=request.POST,
            key=request.POST.get("idempotency_key") or uuid.uuid4().hex,
        )
        return render(request, "contest/score_sheet.html", context, status=exc.status)
    # The confirmation travels in the redirect's query, not as a message: a message would cost
    # every submission a signed cookie (or a session write) at the busiest moment.
    saved = f"?saved={link.contestant_id}" + ("" if created else "&again=1")
    return redirect(reverse("contest-score-session", kwargs={"token": token}) + saved)


@csrf_exempt
def request_correction(request: HttpRequest, token: str, contestant_id: int) -> HttpResponse:
    judge, session = read_token(token)
    contestant = get_object_or_404(Contestant, pk=contestant_id, session=session)
    sheet = get_object_or_404(ScoreSheet, judge=judge, contestant=contestant)
    if request.method != "POST":
        return redirect("contest-score-sheet", token=token, contestant_id=contestant.pk)
    try:
        points = scoring.parse_points(scoring.rubric_items(session), request.POST)
        scoring.request_correction(sheet, points, request.POST.get("reason", ""))
    except scoring.ScoringError as exc:
        context = _sheet_context(token, judge, session, contestant, correction_errors=exc.messages)
        return render(request, "contest/score_sheet.html", context, status=exc.status)
    messages.success(request, "更正申请已提交，待赛点负责人审批")
    return redirect("contest-score-sheet", token=token, contestant_id=contestant.pk)


@require(Cap.SCORE)
def my_sessions(request: HttpRequest) -> HttpResponse:
    """A judge with an account sees the scoring links of their own seats (the same as the QR codes)."""
    seats = (
        PanelSeat.objects.filter(judge__user=request.user, active=True)
        .select_related("judge", "session__venue", "session__room", "session__division__stage")
        .order_by("session__date", "session__starts")
    )
    rows = [
        (seat, reverse("contest-score-session", args=[make_token(seat.judge, seat.session)]))
        for seat in seats
    ]
    return render(request, "contest/my_sessions.html", {"rows": rows})
