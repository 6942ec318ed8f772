"""From results to record: the public notice (公示), written objections, the frozen snapshot.

The notice runs `contest.notice_workdays` working days (default five, from the product's
calendar: statutory holidays and make-up days count correctly) starting the day it is
published. Results can be frozen only after the notice has ended and every objection has
been handled; the snapshot then holds every contestant's score, rank and prize with the
formula version, and nothing about the contest's scores can change any more.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date

from django.db import transaction
from django.utils import timezone

from baozheng.contest import formula
from baozheng.contest.models import Contest, Notice, Objection, ObjectionStatus, ResultSnapshot
from baozheng.contest.standings import contest_standings
from baozheng.workcal.calendar import add_workdays


class PublicationError(ValueError):
    pass


def notice_end(contest: Contest, start: date) -> date:
    """The last day of the notice: `notice_workdays` working days counting the first one."""
    first = add_workdays(start, 0)
    return add_workdays(first, max(contest.notice_workdays, 1) - 1)


def publish_notice(contest: Contest, start: date, user) -> Notice:
    if hasattr(contest, "snapshot"):
        raise PublicationError("成绩已定档")
    return Notice.objects.create(
        contest=contest, starts=start, ends=notice_end(contest, start), published_by=user
    )


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
    return Objection.objects.create(
        notice=notice,
        author=author.strip()[:40],
        contact=contact.strip()[:60],
        text=text.strip()[:2000],
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


def snapshot_data(contest: Contest) -> dict:
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
                    }
                    for s in rows
                ],
            }
        )
    return {"contest": contest.code, "formula_version": formula.VERSION, "divisions": divisions}


@transaction.atomic
def freeze(contest: Contest, user, today: date) -> ResultSnapshot:
    contest = Contest.objects.select_for_update().get(pk=contest.pk)
    if ResultSnapshot.objects.filter(contest=contest).exists():
        raise PublicationError("成绩已定档")
    notice = current_notice(contest)
    if notice is None:
        raise PublicationError("尚未发布公示，不能定档")
    if today <= notice.ends:
        raise PublicationError(f"公示期至 {notice.ends} 结束，结束后才能定档")
    if notice.objections.filter(status=ObjectionStatus.PENDING).exists():
        raise PublicationError("还有未处理的异议，处理完毕后才能定档")
    data = snapshot_data(contest)
    digest = hashlib.sha256(
        json.dumps(data, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    return ResultSnapshot.objects.create(
        contest=contest, formula_version=formula.VERSION, data=data, digest=digest, created_by=user
    )
