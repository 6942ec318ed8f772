"""Scoring links for judges: one signed, unguessable token per judge and session.

The token is `django.core.signing` over (judge id, session id, the judge's `token_key`),
so it cannot be forged without the server's secret key, and rotating a judge's key revokes
every link they hold. The link itself is the credential: judges need no account and no
shared password; the QR code printed for each judge carries it to their phone.
"""

from __future__ import annotations

import segno
from django.core import signing
from django.http import Http404

from baozheng.contest.models import Judge, PanelSeat, Session

SALT = "baozheng.contest.score"


def make_token(judge: Judge, session: Session) -> str:
    return signing.dumps([judge.pk, session.pk, judge.token_key[:12]], salt=SALT, compress=False)


SESSION_RELATED = ("venue__zone__contest__snapshot", "division__rubric", "room")


def read_token(token: str) -> tuple[Judge, Session]:
    """The judge and session of a link. One query in the usual case (the judge's seat);
    `session.seat_active` tells whether the judge still sits on the panel."""
    try:
        judge_id, session_id, key = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        raise Http404("评分链接无效") from None
    seat = (PanelSeat.objects.filter(judge_id=judge_id, session_id=session_id)
            .select_related("judge", *(f"session__{r}" for r in SESSION_RELATED)).first())
    if seat is not None:
        judge, session = seat.judge, seat.session
        session.seat_active = seat.active
    else:
        judge = Judge.objects.filter(pk=judge_id).first()
        session = Session.objects.filter(pk=session_id).select_related(*SESSION_RELATED).first()
        if session is not None:
            session.seat_active = False
    if judge is None or session is None or judge.token_key[:12] != key:
        raise Http404("评分链接已失效，请向赛点负责人索取新的二维码")
    return judge, session


def qr_svg(url: str) -> str:
    """An inline SVG QR code (no image files, no external service)."""
    return segno.make(url, error="m").svg_inline(scale=4, border=2)
