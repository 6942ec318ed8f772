"""JSON API of the contest, mounted at /api/v1/contest/: read-only, public like the pages it
mirrors. A venue's live standings rank and score only complete panels (the others are
评分中 with sheets in/expected) and show contestant numbers, and names and schools only after
the venue head released them; a contest's results appear once the public notice (公示) is
published (prize winners, as the notice lists them) and come from the frozen snapshot after
freezing. Scores are computed by `standings` exactly as on the pages."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.errors import HttpError

from baozheng.contest import formula, publication
from baozheng.contest.models import Contest, ResultSnapshot, Venue
from baozheng.contest.standings import Standing, contest_standings, venue_board, venue_divisions

router = Router(tags=["大比武"])


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _board_row(s: Standing, names: bool) -> dict:
    return {
        "rank": s.rank,
        "number": s.contestant.number,
        "name": s.contestant.name if names else None,
        "school": s.contestant.school.name if names else None,
        "frontline": _text(s.frontline_display) if s.complete else None,
        "researcher": _text(s.researcher_display) if s.complete else None,
        "final": _text(s.final) if s.complete else None,
        "sheets": s.sheets,
        "expected": s.expected,
        "complete": s.complete,
        "state": s.state,
    }


@router.get(
    "/venues/{venue_id}/standings",
    auth=None,
    summary="赛点实时成绩（姓名在赛点负责人公布后才显示）",
)
def venue_standings(request: HttpRequest, venue_id: int) -> dict:
    venue = get_object_or_404(Venue.objects.select_related("zone__contest"), pk=venue_id)
    return {
        "venue": venue.pk,
        "name": venue.name,
        "contest": venue.zone.contest.code,
        "version": venue.version,
        "names_released": venue.names_released,
        "formula_version": formula.VERSION,
        "divisions": [
            {
                "id": d.pk,
                "division": str(d),
                "rows": [_board_row(s, venue.names_released) for s in venue_board(venue, d)],
            }
            for d in venue_divisions(venue)
        ],
    }


@router.get(
    "/contests/{contest_id}/results",
    auth=None,
    summary="赛事已公布的获奖名单（公示起；定档后取自定档快照）",
)
def published_results(request: HttpRequest, contest_id: int) -> dict:
    contest = get_object_or_404(Contest, pk=contest_id)
    snapshot = ResultSnapshot.objects.filter(contest=contest).first()
    if snapshot is not None:
        return {
            "contest": contest.code,
            "frozen": True,
            "formula_version": snapshot.formula_version,
            "digest": snapshot.digest,
            "divisions": [
                {"division": d["division"], "rows": [r for r in d["rows"] if r["prize"]]}
                for d in snapshot.data["divisions"]
            ],
        }
    notice = publication.current_notice(contest)
    if notice is None:
        raise HttpError(404, "成绩尚未公布")
    return {
        "contest": contest.code,
        "frozen": False,
        "formula_version": formula.VERSION,
        "notice": {
            "starts": notice.starts.isoformat(),
            "ends": notice.ends.isoformat(),
            "scope": notice.scope_label,
        },
        "divisions": [
            {
                "division": str(d),
                "rows": [
                    {
                        "number": s.contestant.number,
                        "name": s.contestant.name,
                        "school": s.contestant.school.name,
                        "final": _text(s.final),
                        "rank": s.rank,
                        "prize": s.prize_label,
                    }
                    for s in rows
                    if s.prize
                ],
            }
            for d, rows in contest_standings(contest).items()
        ],
    }
