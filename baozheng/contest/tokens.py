"""Scoring links for judges: one signed, unguessable token per judge and session.

The token is `django.core.signing` over (judge id, session id, the judge's `token_key`),
so it cannot be forged without the server's secret key, and rotating a judge's key revokes
every link they hold. The link itself is the credential: judges need no account and no
shared password; the QR code printed for each judge carries it to their phone.
"""

from __future__ import annotations

from decimal import Decimal

import segno
from django.core import signing
from django.db import connection
from django.http import Http404

from baozheng.contest.models import (
    Contestant,
    Division,
    Judge,
    PanelSeat,
    ResultSnapshot,
    RubricItem,
    Session,
    Venue,
    Zone,
)
from baozheng.contest.scoring import SubmissionLink, is_frozen
from baozheng.lib.pg import hot_cursor

SALT = "baozheng.contest.score"


def make_token(judge: Judge, session: Session) -> str:
    return signing.dumps([judge.pk, session.pk, judge.token_key[:12]], salt=SALT, compress=False)


SESSION_RELATED = ("venue__zone__contest__snapshot", "division__rubric", "room")


def _unsign(token: str) -> tuple[int, int, str]:
    try:
        judge_id, session_id, key = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        raise Http404("评分链接无效") from None
    return judge_id, session_id, key


def _revoked() -> Http404:
    return Http404("评分链接已失效，请向赛点负责人索取新的二维码")


def read_token(token: str) -> tuple[Judge, Session]:
    """The judge and session of a link (full model instances, for the scoring pages). One
    query in the usual case (the judge's seat); a submitted sheet reads its link with
    `read_submission_link` instead."""
    judge_id, session_id, key = _unsign(token)
    seat = (
        PanelSeat.objects.filter(judge_id=judge_id, session_id=session_id)
        .select_related("judge", *(f"session__{r}" for r in SESSION_RELATED))
        .first()
    )
    if seat is not None:
        judge, session = seat.judge, seat.session
    else:
        judge = Judge.objects.filter(pk=judge_id).first()
        session = Session.objects.filter(pk=session_id).select_related(*SESSION_RELATED).first()
    if judge is None or session is None or judge.token_key[:12] != key:
        raise _revoked()
    return judge, session


def _submission_sql() -> str:
    t = {
        m.__name__: m._meta.db_table
        for m in (
            PanelSeat,
            Judge,
            Session,
            Division,
            Venue,
            Zone,
            Contestant,
            ResultSnapshot,
            RubricItem,
        )
    }
    # On PostgreSQL the rubric comes along (points as text: exact decimals), saving a round trip.
    rubric = (
        f"(SELECT json_agg(json_build_array(i.id, i.name, i.max_points::text, i.step::text) "
        f'ORDER BY i."order", i.id) FROM {t["RubricItem"]} i WHERE i.rubric_id = d.rubric_id)'
        if connection.vendor == "postgresql"
        else "NULL"
    )
    return (
        f"SELECT p.active, j.token_key, j.name, s.venue_id, s.division_id, d.rubric_id, "
        f"EXISTS (SELECT 1 FROM {t['ResultSnapshot']} r WHERE r.contest_id = z.contest_id), c.number, {rubric} "
        f"FROM {t['PanelSeat']} p JOIN {t['Judge']} j ON j.id = p.judge_id "
        f"JOIN {t['Session']} s ON s.id = p.session_id JOIN {t['Division']} d ON d.id = s.division_id "
        f"JOIN {t['Venue']} v ON v.id = s.venue_id JOIN {t['Zone']} z ON z.id = v.zone_id "
        f"LEFT JOIN {t['Contestant']} c ON c.id = %s AND c.session_id = s.id "
        f"WHERE p.judge_id = %s AND p.session_id = %s"
    )


def read_submission_link(token: str, contestant_id: int) -> SubmissionLink:
    """What a submitted sheet needs from its link, in one plain query: the checks of
    `read_token` plus the contestant, the rubric (PostgreSQL) and whether results are frozen.

    Submissions arrive by the hundred in the same second, and the related-object query of
    `read_token` costs several milliseconds of ORM and planner work each. A link without a
    seat takes the full path, which reports why it cannot score."""
    judge_id, session_id, key = _unsign(token)
    with hot_cursor() as cursor:
        cursor.execute(_submission_sql(), [contestant_id, judge_id, session_id])
        row = cursor.fetchone()
    if row is None:
        judge, session = read_token(token)
        contestant = Contestant.objects.filter(pk=contestant_id, session=session).first()
        if contestant is None:
            raise Http404("该选手不在本场次")
        return SubmissionLink(
            judge_id=judge.pk,
            judge_name=judge.name,
            session_id=session.pk,
            venue_id=session.venue_id,
            rubric_id=session.division.rubric_id,
            contestant_id=contestant.pk,
            contestant_number=contestant.number,
            seat_active=False,  # no seat at all on this session's panel
            frozen=is_frozen(session.venue.zone.contest),
        )
    active, token_key, name, venue_id, _division_id, rubric_id, frozen, number, rubric = row
    if token_key[:12] != key:
        raise _revoked()
    if number is None:
        raise Http404("该选手不在本场次")
    items = None
    if connection.vendor == "postgresql":
        items = tuple(
            RubricItem(
                pk=pk, rubric_id=rubric_id, name=item, max_points=Decimal(top), step=Decimal(step)
            )
            for pk, item, top, step in rubric or []
        )
    return SubmissionLink(
        judge_id=judge_id,
        judge_name=name,
        session_id=session_id,
        venue_id=venue_id,
        rubric_id=rubric_id,
        contestant_id=contestant_id,
        contestant_number=number,
        seat_active=bool(active),
        frozen=bool(frozen),
        rubric_items=items,
    )


def qr_svg(url: str) -> str:
    """An inline SVG QR code (no image files, no external service)."""
    return segno.make(url, error="m").svg_inline(scale=4, border=2)
