"""Paper score sheets entered twice (纸质评分表双人录入).

Where a judge scores on paper, two different staff type the sheet in. The first entry is
held; the second is compared with it item by item. When they agree the sheet is stored
exactly as a phone submission would be (`scoring.submit_sheet`, so locking, audit and the
live board behave the same); when they disagree nothing is stored and the pair is listed
for the venue head, who may discard both entries so that the sheet is entered afresh.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from baozheng.contest import scoring
from baozheng.contest.models import Contestant, Judge, PaperEntry, ScoreSheet, Session
from baozheng.contest.scoring import ScoringError


@dataclass
class Outcome:
    stored: bool  # both entries agreed and the sheet now counts
    mismatch: bool  # the second entry disagreed with the first


def _as_text(points: Mapping[int, Decimal]) -> dict[str, str]:
    return {str(k): str(v) for k, v in sorted(points.items())}


@transaction.atomic
def enter(
    session: Session, judge: Judge, contestant: Contestant, raw: Mapping[str, str], user
) -> Outcome:
    scoring.check_can_score(scoring.link_for(judge, session, contestant))
    points = scoring.parse_points(scoring.rubric_items(session), raw)
    # Two staff keying the same sheet at once: the contestant's row lock makes the second
    # wait and then see the first's entry, so the two are compared (without it both saw
    # none, both stored a first entry, and the sheet never counted).
    Contestant.objects.select_for_update().filter(pk=contestant.pk).first()
    if ScoreSheet.objects.filter(judge=judge, contestant=contestant).exists():
        raise ScoringError("该评委对该选手的评分表已生效，如需更正请提交更正申请")
    entries = list(
        PaperEntry.objects.select_for_update().filter(judge=judge, contestant=contestant)
    )
    if any(e.entered_by_id == user.pk for e in entries):
        raise ScoringError("您已录入过这张评分表，须由另一位工作人员第二次录入")
    if len(entries) >= 2:
        raise ScoringError("这张评分表两次录入不一致，等待赛点负责人处理")
    PaperEntry.objects.create(
        session=session,
        judge=judge,
        contestant=contestant,
        points=_as_text(points),
        entered_by=user,
    )
    if not entries:
        return Outcome(stored=False, mismatch=False)
    if entries[0].points != _as_text(points):
        return Outcome(stored=False, mismatch=True)
    scoring.submit_sheet(judge, session, contestant, points, f"paper-{judge.pk}-{contestant.pk}")
    return Outcome(stored=True, mismatch=False)


def mismatches(venue_id: int) -> list[tuple[PaperEntry, PaperEntry]]:
    """Disagreeing entry pairs at a venue that have not become a sheet."""
    entries = PaperEntry.objects.filter(session__venue_id=venue_id).select_related(
        "judge", "contestant", "entered_by"
    )
    pairs: dict[tuple[int, int], list[PaperEntry]] = {}
    for e in entries:
        pairs.setdefault((e.judge_id, e.contestant_id), []).append(e)
    stored = set(
        ScoreSheet.objects.filter(session__venue_id=venue_id).values_list(
            "judge_id", "contestant_id"
        )
    )
    return [
        (pair[0], pair[1])
        for key, pair in pairs.items()
        if len(pair) == 2 and key not in stored and pair[0].points != pair[1].points
    ]


@transaction.atomic
def discard(session: Session, judge_id: int, contestant_id: int, user) -> int:
    """The venue head discards a disagreeing pair so that two staff enter the sheet again."""
    if not scoring.is_venue_head(user, session.venue):
        raise ScoringError("只有本赛点负责人可以处理录入不一致")
    entries = PaperEntry.objects.filter(
        session=session, judge_id=judge_id, contestant_id=contestant_id
    )
    if ScoreSheet.objects.filter(judge_id=judge_id, contestant_id=contestant_id).exists():
        raise ScoringError("评分表已生效，不能作废录入")
    count = 0
    for entry in entries:
        entry.delete()  # audited one by one
        count += 1
    return count
