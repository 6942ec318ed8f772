"""What makes a panel complete: the venue head's records of absent judges and of
contestants absent from the exam (缺考).

A contestant is ranked only when every seated judge's sheet is in, or the venue head has
recorded why a judge is absent (`standings` reads these records). Both records are the
venue head's: they change who is ranked, so they carry a reason, the recorder and the time,
and every change goes to the audit log.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Model

from baozheng.contest.models import Contestant, JudgeAbsence, ScoreSheet, Session
from baozheng.contest.scoring import ScoringError, bump_venue, is_frozen, is_venue_head
from baozheng.lib.bounds import refuse_overlong


def _check(user, session: Session, reason: str, limit: tuple[type[Model], str, str]) -> str:
    """The stripped reason; `limit` is (model, field, label) of the column that keeps it."""
    if not is_venue_head(user, session.venue):
        raise ScoringError("只有本赛点负责人可以记录缺席或缺考")
    if is_frozen(session.venue.zone.contest):
        raise ScoringError("成绩已定档，不能再修改")
    reason = reason.strip()
    if not reason:
        raise ScoringError("请填写原因")
    model, name, label = limit
    refuse_overlong(ScoringError, model, **{name: (reason, label)})
    return reason


@transaction.atomic
def record_judge_absence(session: Session, judge_id: int, reason: str, user) -> JudgeAbsence:
    reason = _check(user, session, reason, (JudgeAbsence, "reason", "缺席原因"))
    if not session.seats.filter(judge_id=judge_id, active=True).exists():
        raise ScoringError("该评委不在本场次评委席位中")
    try:
        with transaction.atomic():  # two heads recording at once: one row, the other told
            absence = JudgeAbsence.objects.create(
                session=session, judge_id=judge_id, reason=reason, recorded_by=user
            )
    except IntegrityError:
        raise ScoringError("已记录该评委缺席") from None
    bump_venue(session.venue_id)
    return absence


@transaction.atomic
def record_contestant_absent(contestant: Contestant, reason: str, user) -> Contestant:
    if contestant.session is None:
        raise ScoringError("该选手尚未安排场次")
    reason = _check(user, contestant.session, reason, (Contestant, "absent_reason", "缺考原因"))
    if ScoreSheet.objects.filter(contestant=contestant).exists():
        raise ScoringError("该选手已有评分表，不能记为缺考")
    contestant.absent_reason = reason
    contestant.absent_recorded_by = user
    contestant.save(update_fields=["absent_reason", "absent_recorded_by"])
    bump_venue(contestant.session.venue_id)
    return contestant
