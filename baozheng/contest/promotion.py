"""Promotion between stages (县推 → 市赛 and so on): staff preview, then confirm, moving the
top N (or top x %) per county or zone and division of one stage into the next.

Only contestants with a rank (a complete panel) can be promoted, and only once the earlier
stage's results are public: a notice covering that stage has ended with every objection
answered. Ties at the cut are kept together (as with prize quotas). A promoted contestant is
a new entry in the later stage's division of the same subject and school stage, numbered
`<stage order>-<earlier number>`, linked to the earlier entry and carrying its result as
text; promoting again changes nothing. Each new entry goes to the audit log, and the
promotion as a whole is one event on the contest.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from auditlog.models import LogEntry
from django.db import transaction
from django.utils import timezone

from baozheng.contest.models import (
    Contest,
    Contestant,
    Division,
    Objection,
    ObjectionStatus,
    Stage,
)
from baozheng.contest.standings import Standing, contest_standings
from baozheng.org.models import Unit, UnitKind

COUNTY_KINDS = (UnitKind.COUNTY, UnitKind.DISTRICT, UnitKind.COUNTY_CITY, UnitKind.ZONE)
GROUPINGS = {"county": "县（市、区）", "zone": "赛区"}


class PromotionError(ValueError):
    pass


@dataclass
class Pick:
    group: str
    division: Division
    standing: Standing

    @property
    def result_text(self) -> str:
        s = self.standing
        prize = f" {s.prize_label}" if s.prize_label else ""
        return f"{self.division} 第 {s.rank} 名 {s.final}{prize}"


def quota(ranked: int, mode: str, value: Decimal) -> int:
    if mode == "top":
        return int(value)
    return int((Decimal(ranked) * value / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def cut(rows: list[Standing], mode: str, value: Decimal) -> list[Standing]:
    """The top of one group by division rank, contestants sharing the rank at the cut kept
    together."""
    ranks = sorted(rows, key=lambda s: (s.rank, s.contestant.number))
    limit = min(quota(len(ranks), mode, value), len(ranks))
    if limit <= 0:
        return []
    last = ranks[limit - 1].rank
    return [s for s in ranks if s.rank <= last]


def counties_of(contestants: list[Contestant]) -> dict[int, str]:
    codes = {c for s in contestants for c in s.school.path.strip("/").split("/")}
    names = dict(
        Unit.objects.filter(code__in=codes, kind__in=COUNTY_KINDS).values_list("code", "name")
    )
    out = {}
    for c in contestants:
        found = [names[x] for x in c.school.path.strip("/").split("/") if x in names]
        out[c.pk] = found[0] if found else "（未知县区）"
    return out


def check_public(contest: Contest, stage: Stage) -> None:
    """Every division of `stage` with contestants is covered by an ended notice (for the
    whole contest, the stage or the division), and no notice covering one has a pending
    objection. A stage without contestants has nothing to promote and nothing to check."""
    today = timezone.localdate()
    notices = list(contest.notices.select_related("stage").prefetch_related("divisions__stage"))
    divisions = list(
        Division.objects.filter(stage=stage, contestants__isnull=False)
        .distinct()
        .select_related("stage")
    )
    ended = [n for n in notices if n.ends < today]
    if not all(any(n.covers(d) for n in ended) for d in divisions):
        raise PromotionError(f"{stage}的成绩尚未公示期满，不能晋级")
    relevant = [n for n in notices if any(n.covers(d) for d in divisions)]
    if Objection.objects.filter(notice__in=relevant, status=ObjectionStatus.PENDING).exists():
        raise PromotionError(f"{stage}的公示还有未处理的异议，不能晋级")


def preview(
    contest: Contest, source: Stage, target: Stage, mode: str, value: Decimal, grouping: str
) -> list[Pick]:
    if source.contest_id != contest.pk or target.contest_id != contest.pk:
        raise PromotionError("比赛阶段须属于本赛事")
    if source.pk == target.pk:
        raise PromotionError("晋级须从一个阶段到另一个阶段")
    if mode not in ("top", "percent") or value <= 0 or (mode == "percent" and value > 100):
        raise PromotionError("请填写晋级名额：前 N 名（正整数）或前 x%（0–100）")
    if grouping not in GROUPINGS:
        raise PromotionError("请选择按县（市、区）或按赛区")
    check_public(contest, source)
    picks = []
    for division, rows in contest_standings(contest).items():
        if division.stage_id != source.pk:
            continue
        ranked = [s for s in rows if s.rank is not None]
        counties = counties_of([s.contestant for s in ranked]) if grouping == "county" else {}
        groups: dict[str, list[Standing]] = defaultdict(list)
        for s in ranked:
            if grouping == "county":
                key = counties[s.contestant.pk]
            else:
                session = s.contestant.session
                key = session.venue.zone.name if session else "（未安排场次）"
            groups[key].append(s)
        for key in sorted(groups):
            picks += [Pick(key, division, s) for s in cut(groups[key], mode, value)]
    return picks


@transaction.atomic
def confirm(contest: Contest, target: Stage, picks: list[Pick], user) -> int:
    # Two staff confirming at once: the second waits for the first and then finds every
    # pick already promoted (without the lock both created the same numbers: a 500).
    Contest.objects.select_for_update().filter(pk=contest.pk).first()
    existing = set(
        Contestant.objects.filter(
            contest=contest, division__stage=target, promoted_from__isnull=False
        ).values_list("promoted_from_id", flat=True)
    )
    created = 0
    for pick in picks:
        earlier = pick.standing.contestant
        if earlier.pk in existing:
            continue
        division, _ = Division.objects.get_or_create(
            contest=contest,
            stage=target,
            subject=pick.division.subject,
            school_stage=pick.division.school_stage,
            defaults={"rubric": pick.division.rubric},
        )
        Contestant.objects.create(
            contest=contest,
            division=division,
            number=f"{target.order}-{earlier.number}"[:20],
            name=earlier.name,
            school=earlier.school,
            nomination=earlier.nomination,
            promoted_from=earlier,
            earlier_result=pick.result_text[:200],
        )
        created += 1
    if created:
        LogEntry.objects.log_create(
            contest,
            action=LogEntry.Action.UPDATE,
            actor=user,
            force_log=True,
            changes={"晋级": [str(picks[0].division.stage), f"{target}：新增 {created} 人"]},
        )
    return created
