"""Storing judges' sheets and deciding corrections: the rules of on-site scoring.

- A sheet is complete (every rubric item), in range and on the item's step, or refused.
- A stored sheet is locked: the same judge cannot score the same contestant again.
- A retry with the same idempotency key returns the stored sheet instead of a second one;
  the unique constraints make this hold even for two requests racing in parallel.
- A correction needs a reason and the venue head's approval; old and new points are kept
  and the line changes go through the audit log.
- Every change bumps the venue's version and, on PostgreSQL, sends NOTIFY so that the live
  leaderboards of every server process refresh at once (`baozheng.contest.board`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.db.models.signals import post_save
from django.utils import timezone

from baozheng.contest.models import (
    Contest,
    Contestant,
    Correction,
    CorrectionStatus,
    Judge,
    PanelSeat,
    RubricItem,
    ScoreLine,
    ScoreSheet,
    Session,
    Venue,
)
from baozheng.lib.bounds import refuse_overlong
from baozheng.lib.pg import hot_cursor

NOTIFY_CHANNEL = "contest_board"


class ScoringError(Exception):
    """A refusal shown to the judge or the venue head (Chinese); `status` is the HTTP code."""

    status = 400

    def __init__(self, message: str | list[str]) -> None:
        self.messages = [message] if isinstance(message, str) else message
        super().__init__("；".join(self.messages))


class SheetLocked(ScoringError):
    status = 409


@dataclass(frozen=True)
class SubmissionLink:
    """Everything storing one sheet needs, read once per submission: who scores whom in which
    session, whether the judge still sits on the panel and whether results are frozen.

    Built from a judge's link by `tokens.read_submission_link` (one plain query: on PostgreSQL
    it also brings the rubric, so `rubric_items` is set; elsewhere it is None and the rubric
    is read by `rubric_id`), or from model instances by `link_for` (paper entry, tests)."""

    judge_id: int
    judge_name: str
    session_id: int
    venue_id: int
    rubric_id: int
    contestant_id: int
    contestant_number: str
    seat_active: bool
    frozen: bool
    rubric_items: tuple[RubricItem, ...] | None = None


def link_for(judge: Judge, session: Session, contestant: Contestant) -> SubmissionLink:
    """The link of model instances: checks the contestant is in the session, and reads the
    judge's seat (a query) and whether results are frozen (free when the snapshot was
    select_related)."""
    if contestant.session_id != session.pk:
        raise ScoringError("该选手不在本场次")
    return SubmissionLink(
        judge_id=judge.pk,
        judge_name=judge.name,
        session_id=session.pk,
        venue_id=session.venue_id,
        rubric_id=session.division.rubric_id,
        contestant_id=contestant.pk,
        contestant_number=contestant.number,
        seat_active=PanelSeat.objects.filter(session=session, judge=judge, active=True).exists(),
        frozen=is_frozen(session.venue.zone.contest),
    )


def is_frozen(contest: Contest) -> bool:
    """Results frozen (a snapshot exists); free when the snapshot was select_related."""
    try:
        return contest.snapshot is not None
    except ObjectDoesNotExist:
        return False


def _rubric(rubric_id: int) -> list[RubricItem]:
    # A plain query: read for every submitted sheet, where the ORM's query building cost as
    # much as the query itself.
    return list(
        RubricItem.objects.raw(
            f'SELECT * FROM {RubricItem._meta.db_table} WHERE rubric_id = %s ORDER BY "order", id',
            [rubric_id],
        )
    )


def rubric_items(session: Session) -> list[RubricItem]:
    """The session's rubric in order."""
    return _rubric(session.division.rubric_id)


def link_rubric(link: SubmissionLink) -> Sequence[RubricItem]:
    """The rubric of a submission link: brought along on PostgreSQL, otherwise read."""
    return link.rubric_items if link.rubric_items is not None else _rubric(link.rubric_id)


def parse_points(items: Sequence[RubricItem], raw: Mapping[str, str]) -> dict[int, Decimal]:
    """Points per item from form fields named `item-<id>`; every problem reported at once."""
    points: dict[int, Decimal] = {}
    errors = []
    for item in items:
        text = (raw.get(f"item-{item.pk}") or "").strip()
        if not text:
            errors.append(f"请填写“{item.name}”的分数")
            continue
        try:
            value = Decimal(text)
        except InvalidOperation:
            errors.append(f"“{item.name}”的分数“{text}”不是数字")
            continue
        problem = item.check_points(value) if value.is_finite() else f"“{item.name}”的分数无效"
        if problem:
            errors.append(problem)
        else:
            points[item.pk] = value
    if errors:
        raise ScoringError(errors)
    return points


def bump_venue(venue_id: int) -> None:
    """Tell live leaderboards that this venue changed (inside the caller's transaction)."""
    if connection.vendor == "postgresql":  # one round trip: bump and notify together
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Venue._meta.db_table} SET version = version + 1 WHERE id = %s "
                "RETURNING pg_notify(%s, %s)",
                [venue_id, NOTIFY_CHANNEL, str(venue_id)],
            )
    else:
        Venue.objects.filter(pk=venue_id).update(version=F("version") + 1)


def check_can_score(link: SubmissionLink) -> None:
    if not link.seat_active:
        raise ScoringError("您不是本场次的评委")
    if link.frozen:
        raise ScoringError("成绩已定档，不能再评分")


def submit_sheet(
    judge: Judge, session: Session, contestant: Contestant, points: Mapping[int, Decimal], key: str
) -> tuple[ScoreSheet, bool]:
    """`submit` for model instances (paper entry, tests)."""
    return submit(link_for(judge, session, contestant), points, key)


def submit(
    link: SubmissionLink, points: Mapping[int, Decimal], key: str
) -> tuple[ScoreSheet, bool]:
    """Store a sheet once. Returns (sheet, created); a retry with the same key is (sheet, False)."""
    key = key.strip()
    if not key or len(key) > 64:
        raise ScoringError("提交编号无效，请刷新页面后重试")
    check_can_score(link)
    # The unique constraints decide: the usual case is one transaction and no look-up.
    sheet = _store(link, points, key)
    if sheet is not None:
        return sheet, True
    # A retry, or a parallel request, stored this sheet first; nothing of ours was written.
    existing = ScoreSheet.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return _same_sheet(existing, link), False
    raise SheetLocked("该选手的评分表已提交并锁定；如需更正，请提交更正申请")


def _store_sql() -> str:
    """PostgreSQL: sheet, lines and the venue bump (with its NOTIFY, as `bump_venue`) in one
    statement; a unique constraint already holding the sheet makes it write nothing."""
    return (
        f"WITH sheet AS (INSERT INTO {ScoreSheet._meta.db_table} "
        f"(session_id, judge_id, contestant_id, idempotency_key, submitted_at) VALUES (%s, %s, %s, %s, %s) "
        f"ON CONFLICT DO NOTHING RETURNING id), "
        f"line AS (INSERT INTO {ScoreLine._meta.db_table} (sheet_id, item_id, points) "
        f"SELECT sheet.id, x.item, x.points FROM sheet, unnest(%s::bigint[], %s::numeric[]) AS x(item, points)), "
        f"bump AS (UPDATE {Venue._meta.db_table} SET version = version + 1 "
        f"WHERE id = %s AND EXISTS (SELECT 1 FROM sheet) RETURNING pg_notify(%s, %s)) "
        f"SELECT id, (SELECT count(*) FROM bump) FROM sheet"
    )


def _new_sheet(link: SubmissionLink, key: str, submitted_at=None) -> ScoreSheet:
    """The sheet as stored; its judge and contestant carry the name and number the audit
    entry shows (`ScoreSheet.__str__`), so writing it costs no look-up."""
    sheet = ScoreSheet(
        session_id=link.session_id,
        judge=Judge(pk=link.judge_id, name=link.judge_name),
        contestant=Contestant(
            pk=link.contestant_id, session_id=link.session_id, number=link.contestant_number
        ),
        idempotency_key=key,
    )
    if submitted_at is not None:
        sheet.submitted_at = submitted_at
    return sheet


def _store(link: SubmissionLink, points: Mapping[int, Decimal], key: str) -> ScoreSheet | None:
    """Write a new sheet with its lines and bump the venue, all or nothing; None when a
    unique constraint (same key, or same judge and contestant) already holds a sheet.

    Two paths, one outcome: the ORM everywhere but PostgreSQL, and on PostgreSQL one
    prepared statement (`_store_sql`, see docs/contest.md) that fires the same post_save
    receivers (the audit entry) by hand."""
    if connection.vendor != "postgresql":
        try:
            with transaction.atomic():
                sheet = _new_sheet(link, key)
                sheet.save()
                ScoreLine.objects.bulk_create(
                    [
                        ScoreLine(sheet=sheet, item_id=item_id, points=value)
                        for item_id, value in points.items()
                    ]
                )
                bump_venue(link.venue_id)
        except IntegrityError:
            return None
        return sheet
    # One round trip instead of five; the audit entry is written by the same post_save
    # receivers an ORM create would call, in the same transaction.
    submitted_at = timezone.now()
    with transaction.atomic():
        with hot_cursor() as cursor:
            cursor.execute(
                _store_sql(),
                [
                    link.session_id,
                    link.judge_id,
                    link.contestant_id,
                    key,
                    submitted_at,
                    list(points),
                    list(points.values()),
                    link.venue_id,
                    NOTIFY_CHANNEL,
                    str(link.venue_id),
                ],
            )
            row = cursor.fetchone()
        if row is None:
            return None
        sheet = _new_sheet(link, key, submitted_at)
        sheet.pk = row[0]
        sheet._state.adding, sheet._state.db = False, connection.alias
        post_save.send(
            sender=ScoreSheet,
            instance=sheet,
            created=True,
            update_fields=None,
            raw=False,
            using=connection.alias,
        )
    return sheet


def _same_sheet(sheet: ScoreSheet, link: SubmissionLink) -> ScoreSheet:
    if sheet.judge_id != link.judge_id or sheet.contestant_id != link.contestant_id:
        raise ScoringError("提交编号已被其他评分表使用，请刷新页面后重试")
    return sheet


@transaction.atomic
def request_correction(
    sheet: ScoreSheet, new_points: Mapping[int, Decimal], reason: str
) -> Correction:
    reason = reason.strip()
    if not reason:
        raise ScoringError("请填写更正理由")
    refuse_overlong(ScoringError, Correction, reason=(reason, "更正理由"))
    if is_frozen(sheet.session.venue.zone.contest):
        raise ScoringError("成绩已定档，不能再更正")
    # The sheet's row lock: two requests at once, the second sees the first's pending one.
    ScoreSheet.objects.select_for_update().filter(pk=sheet.pk).first()
    if sheet.corrections.filter(status=CorrectionStatus.PENDING).exists():
        raise ScoringError("该评分表已有待审批的更正申请")
    old = {str(k): str(v) for k, v in sheet.points().items()}
    new = {str(k): str(v) for k, v in new_points.items()}
    if old == new:
        raise ScoringError("更正后的分数与原分数相同")
    return Correction.objects.create(sheet=sheet, new_points=new, old_points=old, reason=reason)


def is_venue_head(user, venue: Venue) -> bool:
    from baozheng.org.permissions import can
    from baozheng.org.roles import Cap

    return venue.head_id == getattr(user, "pk", None) and can(
        user, Cap.CONTEST, venue.zone.contest.unit
    )


def decide_correction(correction: Correction, user, approve: bool, note: str = "") -> Correction:
    venue = correction.sheet.session.venue
    if not is_venue_head(user, venue):
        raise ScoringError("只有本赛点负责人可以审批更正申请")
    if correction.status != CorrectionStatus.PENDING:
        raise ScoringError("该更正申请已处理")
    refuse_overlong(ScoringError, Correction, decision_note=(note.strip(), "审批意见"))
    if approve and is_frozen(venue.zone.contest):
        raise ScoringError("成绩已定档，不能再更正")
    with transaction.atomic():
        # Read again under its lock: approved in one tab and rejected in another at the
        # same moment, the second finds it decided.
        status = Correction.objects.select_for_update().values_list("status", flat=True)
        if status.get(pk=correction.pk) != CorrectionStatus.PENDING:
            raise ScoringError("该更正申请已处理")
        if approve:
            for line in correction.sheet.lines.select_for_update():
                value = Decimal(correction.new_points[str(line.item_id)])
                if line.points != value:
                    line.points = value
                    line.save(update_fields=["points"])  # audited line by line
            bump_venue(venue.pk)
        correction.status = CorrectionStatus.APPROVED if approve else CorrectionStatus.REJECTED
        correction.decided_by = user
        correction.decided_at = timezone.now()
        correction.decision_note = note.strip()
        correction.save()
    return correction
