"""Public pages (no login): live leaderboards for the projector, draws anyone can check,
and the public notice (公示) where written objections are received.

Leaderboards show contestant numbers, not names, until the venue head releases names.
"""

from __future__ import annotations

import json
from datetime import timedelta

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib import messages
from django.core.handlers.asgi import ASGIRequest
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone

from baozheng.contest import draw_service, exports, formula, publication, scoring
from baozheng.contest.board import board_events, board_events_blocking
from baozheng.contest.models import Contest, Contestant, Division, Draw, Notice, Objection, Venue
from baozheng.contest.standings import contest_standings, venue_board, venue_divisions
from baozheng.lib.office import DOCX, download
from baozheng.tasks.public import client_address


def public_index(request: HttpRequest) -> HttpResponse:
    contests = Contest.objects.prefetch_related("zones__venues")
    return render(
        request,
        "contest/public_index.html",
        {
            "contests": contests,
            "notices": Notice.objects.select_related("contest").order_by("-starts")[:10],
            "draws": Draw.objects.order_by("-published_at")[:30],
        },
    )


def _board_target(venue_id: int, division_id: str | None) -> tuple[Venue, Division]:
    venue = get_object_or_404(Venue.objects.select_related("zone__contest"), pk=venue_id)
    divisions = venue_divisions(venue)
    if not divisions:
        raise Http404("该赛点没有比赛场次")
    chosen = next((d for d in divisions if str(d.pk) == (division_id or "")), divisions[0])
    return venue, chosen


def board_rows_html(venue_id: int, division_id: int) -> str:
    venue = Venue.objects.get(pk=venue_id)
    division = Division.objects.select_related("contest", "stage").get(pk=division_id)
    return render_to_string(
        "contest/_board_rows.html",
        {
            "rows": venue_board(venue, division),
            "names": venue.names_released,
            "updated": timezone.localtime(),
        },
    )


def board(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue, division = _board_target(venue_id, request.GET.get("division"))
    return render(
        request,
        "contest/board.html",
        {
            "venue": venue,
            "division": division,
            "divisions": venue_divisions(venue),
            "rows_html": board_rows_html(venue.pk, division.pk),
            "formula_version": formula.VERSION,
            "contest": venue.zone.contest,
        },
    )


async def board_stream(request: HttpRequest, venue_id: int) -> StreamingHttpResponse:
    """`text/event-stream` of the board (see `baozheng.contest.board`)."""
    venue, division = await sync_to_async(_board_target)(venue_id, request.GET.get("division"))
    if not isinstance(request, ASGIRequest):
        events = board_events_blocking(venue.pk, lambda: board_rows_html(venue.pk, division.pk))
    else:
        render_rows = sync_to_async(board_rows_html)

        async def render() -> str:
            return await render_rows(venue.pk, division.pk)

        events = board_events(venue.pk, render)
    response = StreamingHttpResponse(events, content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response


def board_scores(request: HttpRequest, venue_id: int) -> JsonResponse:
    """The venue's current finals per division, as the board shows them (numbers, no names):
    a contestant whose panel is incomplete has no score and no rank, only sheets in/expected."""
    venue = get_object_or_404(Venue, pk=venue_id)
    data = {}
    for division in venue_divisions(venue):
        data[str(division.pk)] = [
            {
                "number": s.contestant.number,
                "final": str(s.final) if s.complete and s.final is not None else None,
                "sheets": s.sheets,
                "expected": s.expected,
                "state": s.state,
                "rank": s.rank,
            }
            for s in venue_board(venue, division)
        ]
    return JsonResponse({"venue": venue.pk, "version": venue.version, "divisions": data})


def draw_public(request: HttpRequest, pk: int) -> HttpResponse:
    draw = get_object_or_404(
        Draw.objects.select_related(
            "contest__unit", "session__venue", "township", "supersedes", "approved_by"
        ),
        pk=pk,
    )
    context = {
        "draw": draw,
        "hashed_json": draw_service.hashed_json(draw),
        "result_json": json.dumps(draw.result, ensure_ascii=False) if draw.has_run else "",
        "superseded_by": Draw.objects.filter(supersedes=draw).first(),
        "is_head": draw.session is not None
        and scoring.is_venue_head(request.user, draw.session.venue),
        "sheets": draw.session.sheets.count() if draw.session is not None else 0,
    }
    return render(request, "contest/draw_public.html", context)


def objections_limited(request: HttpRequest) -> bool:
    """At most CONTEST_OBJECTIONS_PER_HOUR objections per address per hour (the public
    enterprise form's rule): one address once stored 60 objections in 0.6 s."""
    since = timezone.now() - timedelta(hours=1)
    recent = Objection.objects.filter(
        submitted_from=client_address(request), received_at__gte=since
    )
    return recent.count() >= settings.CONTEST_OBJECTIONS_PER_HOUR


def notice_public(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(
        Notice.objects.select_related("contest__unit", "stage", "published_by").prefetch_related(
            "divisions__stage"
        ),
        pk=pk,
    )
    contest = notice.contest
    if request.method == "POST" and objections_limited(request):
        messages.error(request, "同一地址提交过于频繁，请一小时后再试")
        return redirect("contest-notice-public", pk=notice.pk)
    if request.method == "POST":
        contestant = Contestant.objects.filter(
            contest=contest, number=request.POST.get("number", "").strip()
        ).first()
        try:
            publication.file_objection(
                notice,
                request.POST.get("author", ""),
                request.POST.get("contact", ""),
                request.POST.get("text", ""),
                timezone.localdate(),
                contestant,
                submitted_from=client_address(request),
            )
        except publication.PublicationError as exc:
            # The form again with what was typed: a refused objection loses none of its text.
            messages.error(request, str(exc))
        else:
            messages.success(request, "书面异议已收到，处理结果将按联系方式告知")
            return redirect("contest-notice-public", pk=notice.pk)
    prize_rows = [
        (division, [s for s in rows if s.prize])
        for division, rows in contest_standings(contest).items()
        if notice.covers(division)
    ]
    return render(
        request,
        "contest/notice_public.html",
        {
            "notice": notice,
            "contest": contest,
            "prize_rows": prize_rows,
            "open": notice.starts <= timezone.localdate() <= notice.ends,
            "formula_version": formula.VERSION,
        },
    )


def notice_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The notice as a Word 公示 — public like the notice page."""
    notice = get_object_or_404(
        Notice.objects.select_related("contest__unit", "stage").prefetch_related(
            "divisions__stage"
        ),
        pk=pk,
    )
    return download(
        exports.notice_docx(notice), f"{notice.contest.name}{notice.scope_label}公示.docx", DOCX
    )


def draw_record(request: HttpRequest, pk: int) -> JsonResponse:
    """What an outsider needs to verify a finished draw (docs/contest.md has the recipe):
    the exact hashed text, the commitment, the witnesses' entropy, the stream key and the result."""
    draw = get_object_or_404(Draw, pk=pk)
    if not draw.has_run:
        raise Http404("该抽签尚未进行")
    return JsonResponse(
        {
            "id": draw.pk,
            "kind": draw.kind,
            "status": draw.status_label,
            "hashed": draw_service.hashed_json(draw),
            "commitment": draw.commitment,
            "entropy": draw.entropy,
            "stream_key": draw.stream_key,
            "result": draw.result,
        },
        json_dumps_params={"ensure_ascii": False},
    )
