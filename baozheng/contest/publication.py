"""From results to record: the public notice (公示), written objections, the frozen snapshot.

A notice covers a named scope (one stage, one or more divisions, or the whole contest),
starts today or later and runs `contest.notice_workdays` working days (default five, from the
product's calendar: statutory holidays and make-up days count correctly). It may be published
only when every contestant in its scope has a complete panel or is recorded absent (缺考), and
only one notice at a time may run for overlapping scopes (a division overlaps its stage and the
whole contest; two sets of divisions overlap when they share one). Results can be frozen only
when every division with contestants is covered by a notice that has ended (for the whole
contest, its stage or the division itself), every objection on every notice has been answered
and every panel is complete; the snapshot then holds every contestant's score, rank and prize
with the formula version, and nothing about the contest's scores can change any more. Every
refusal says why in Chinese and changes nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection
from datetime import date

from django.db import transaction
from django.utils import timezone

from baozheng.contest import formula
from baozheng.contest.models import (
    Contest,
    Division,
    Notice,
    Objection,
    ObjectionStatus,
    ResultSnapshot,
    Stage,
)
from baozheng.contest.models.results import division_order
from baozheng.contest.standings import Standing, contest_standings
from baozheng.lib.bounds import refuse_overlong
from baozheng.workcal.calendar import add_workdays


class PublicationError(ValueError):
    pass


def notice_end(contest: Contest, start: date) -> date:
    """The last day of the notice: `notice_workdays` working days counting the first one."""
    first = add_workdays(start, 0)
    return add_workdays(first, max(contest.notice_workdays, 1) - 1)


def in_scope(division: Division, stage: Stage | None, divisions: Collection[Division] = ()) -> bool:
    """Whether `division` lies in the scope named by `stage` or `divisions` (neither: all)."""
    if stage is not None:
        return division.stage_id == stage.pk
    return not divisions or any(d.pk == division.pk for d in divisions)


def incomplete(
    standings: dict[Division, list[Standing]],
    stage: Stage | None,
    divisions: Collection[Division] = (),
) -> str:
    """ "" when every contestant in scope is complete or absent; else a Chinese summary of
    the sheets in and expected per venue, e.g. "甲区第一赛点 已交 54/96 张评分表"."""
    venues: dict[str, list[int]] = {}
    for division, rows in standings.items():
        if not in_scope(division, stage, divisions):
            continue
        for s in rows:
            if s.complete or s.contestant.absent:
                continue
            venue = s.contestant.session.venue.name if s.contestant.session else "未安排场次"
            tally = venues.setdefault(venue, [0, 0, 0])
            tally[0] += 1
            tally[1] += s.sheets
            tally[2] += s.expected
    if not venues:
        return ""
    parts = [
        f"{venue} {n} 名选手评分未完成（已交 {got}/{expected} 张评分表）"
        for venue, (n, got, expected) in sorted(venues.items())
    ]
    return "；".join(parts)


def overlaps(notice: Notice, stage: Stage | None, divisions: Collection[Division]) -> bool:
    """Whether `notice` shares a division with the scope named by `stage` or `divisions`."""
    theirs = notice.scope_divisions
    if (notice.stage_id is None and not theirs) or (stage is None and not divisions):
        return True  # the whole contest overlaps everything
    if notice.stage_id is not None and stage is not None:
        return notice.stage_id == stage.pk
    if notice.stage_id is not None:
        return any(d.stage_id == notice.stage_id for d in divisions)
    if stage is not None:
        return any(d.stage_id == stage.pk for d in theirs)
    return bool({d.pk for d in theirs} & {d.pk for d in divisions})


def overlapping(
    contest: Contest, stage: Stage | None, divisions: Collection[Division] = ()
) -> list[Notice]:
    """The contest's notices whose scope overlaps the one named, earliest first."""
    notices = (
        contest.notices.select_related("stage")
        .prefetch_related("divisions__stage")
        .order_by("starts", "pk")
    )
    return [n for n in notices if overlaps(n, stage, divisions)]


def scope_label(stage: Stage | None, divisions: Collection[Division]) -> str:
    if stage is not None:
        return str(stage)
    if divisions:
        return "组别：" + "、".join(str(d) for d in sorted(divisions, key=division_order))
    return "全部阶段"


@transaction.atomic
def publish_notice(
    contest: Contest,
    start: date,
    user,
    today: date,
    stage: Stage | None,
    objection_channel: str,
    issuer: str = "",
    divisions: Collection[Division] = (),
) -> Notice:
    """Publish a notice for `stage`, or for `divisions`, or (neither) the whole contest."""
    contest = Contest.objects.select_for_update().get(pk=contest.pk)
    if ResultSnapshot.objects.filter(contest=contest).exists():
        raise PublicationError("成绩已定档，不能再发布公示")
    if start < today:
        raise PublicationError(f"公示开始日期不能早于今天（{today}）")
    if stage is not None and stage.contest_id != contest.pk:
        raise PublicationError("公示范围须是本赛事的比赛阶段")
    if stage is not None and divisions:
        raise PublicationError("公示范围只能选择一个比赛阶段或若干组别，不能同时选择阶段和组别")
    if any(d.contest_id != contest.pk for d in divisions):
        raise PublicationError("公示范围须是本赛事的组别")
    if not objection_channel.strip():
        raise PublicationError("请填写异议受理方式（受理地点、电话或邮箱）")
    refuse_overlong(
        PublicationError,
        Notice,
        issuer=(issuer.strip(), "发布单位"),
        objection_channel=(objection_channel.strip(), "异议受理方式"),
    )
    scope = scope_label(stage, divisions)
    running = next((n for n in overlapping(contest, stage, divisions) if n.ends >= today), None)
    if running is not None:
        raise PublicationError(
            f"{running.scope_label}的公示（{running.starts} 至 {running.ends}）尚未结束，"
            f"同一范围同一时间只能有一个公示，不能再发布{scope}的公示"
        )
    gaps = incomplete(contest_standings(contest), stage, divisions)
    if gaps:
        raise PublicationError(
            f"{scope}还有选手评分未完成，全部评完或记录缺考后才能发布公示：{gaps}"
        )
    notice = Notice.objects.create(
        contest=contest,
        stage=stage,
        issuer=issuer.strip() or contest.unit.name,
        objection_channel=objection_channel.strip(),
        starts=start,
        ends=notice_end(contest, start),
        published_by=user,
    )
    if divisions:
        notice.divisions.set(divisions)
    return notice


def current_notice(contest: Contest) -> Notice | None:
    return contest.notices.order_by("-starts", "-pk").first()


def file_objection(
    notice: Notice,
    author: str,
    contact: str,
    text: str,
    today: date,
    contestant=None,
    submitted_from: str = "",
) -> Objection:
    if not notice.starts <= today <= notice.ends:
        raise PublicationError(f"公示期为 {notice.starts} 至 {notice.ends}，期外不受理异议")
    if not (author.strip() and contact.strip() and text.strip()):
        raise PublicationError("书面异议须署真实姓名、留联系方式并写明理由")
    refuse_overlong(
        PublicationError,
        Objection,
        author=(author.strip(), "署名"),
        contact=(contact.strip(), "联系方式"),
        text=(text.strip(), "异议内容"),
    )
    return Objection.objects.create(
        notice=notice,
        author=author.strip(),
        contact=contact.strip(),
        text=text.strip(),
        contestant=contestant,
        submitted_from=submitted_from[:45],
    )


def handle_objection(objection: Objection, status: str, handling: str, user) -> Objection:
    if status not in (ObjectionStatus.UPHELD, ObjectionStatus.REJECTED):
        raise PublicationError("请选择处理结果")
    if not handling.strip():
        raise PublicationError("请填写处理意见")
    objection.status, objection.handling = status, handling.strip()
    objection.handled_by, objection.handled_at = user, timezone.now()
    objection.save()
    return objection


def uncovered(standings: dict[Division, list[Standing]], notices: list[Notice]) -> str:
    """ "" when every division with contestants is covered by some notice; else the uncovered
    ones in Chinese: a stage by name when none of its divisions is covered, else the divisions."""
    missing = sorted(
        (d for d in standings if not any(n.covers(d) for n in notices)), key=division_order
    )
    parts = []
    for stage in sorted({d.stage for d in missing}, key=lambda s: (s.order, s.pk)):
        mine = [d for d in standings if d.stage_id == stage.pk]
        gone = [d for d in missing if d.stage_id == stage.pk]
        parts += [str(stage)] if len(gone) == len(mine) else [str(d) for d in gone]
    return "、".join(parts)


def snapshot_data(contest: Contest) -> dict:
    """Every contestant's result. `quota_base_counts_absent` records the quota setting."""
    divisions = []
    for division, rows in contest_standings(contest).items():
        divisions.append(
            {
                "division": str(division),
                "rows": [
                    {
                        "number": s.contestant.number,
                        "name": s.contestant.name,
                        "school": s.contestant.school.name,
                        "final": str(s.final) if s.final is not None else None,
                        "rank": s.rank,
                        "prize": s.prize_label,
                        "sheets": s.sheets,
                        "absent": s.contestant.absent,
                    }
                    for s in rows
                ],
            }
        )
    return {
        "contest": contest.code,
        "formula_version": formula.VERSION,
        "quota_base_counts_absent": contest.absent_in_quota_base,
        "divisions": divisions,
    }


@transaction.atomic
def freeze(contest: Contest, user, today: date) -> ResultSnapshot:
    contest = Contest.objects.select_for_update().get(pk=contest.pk)
    if ResultSnapshot.objects.filter(contest=contest).exists():
        raise PublicationError("成绩已定档")
    notices = list(contest.notices.select_related("stage").prefetch_related("divisions__stage"))
    if not notices:
        raise PublicationError("尚未发布公示，不能定档")
    for notice in notices:
        if today <= notice.ends:
            raise PublicationError(
                f"{notice.scope_label}的公示期至 {notice.ends} 结束，结束后才能定档"
            )
    pending = Objection.objects.filter(
        notice__contest=contest, status=ObjectionStatus.PENDING
    ).count()
    if pending:
        raise PublicationError(f"还有 {pending} 条未处理的异议，处理完毕后才能定档")
    standings = contest_standings(contest)
    missing = uncovered(standings, notices)
    if missing:
        raise PublicationError(f"{missing}尚未公示，不能定档")
    gaps = incomplete(standings, None)
    if gaps:
        raise PublicationError(f"还有选手评分未完成，不能定档：{gaps}")
    data = snapshot_data(contest)
    digest = hashlib.sha256(
        json.dumps(data, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    return ResultSnapshot.objects.create(
        contest=contest, formula_version=formula.VERSION, data=data, digest=digest, created_by=user
    )
