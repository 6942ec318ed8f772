"""Publishing, running, applying and verifying draws recorded in the database.

The randomness and the verification are the pure `baozheng.contest.draw`; this module only
gathers candidates from the contest, stores the record and writes the result back
(appearance order, topics, borrowed classes). A draw's candidates are frozen when its
commitment is published: later changes to a session cannot alter what the draw ran on.

Draws are final. A session has at most one valid draw of each kind; publishing a second one
is refused. A re-draw (`redraw`) is a separate act approved by the venue head with a reason:
the earlier draw is voided (已作废) and stays on record, and a new commitment is published
before anything runs. If the session already has score sheets the re-draw is refused unless
the same approval voids those sheets too (they are kept, as data, on the voided draw), so
nothing scored under the old draw is silently reordered.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from baozheng.contest import draw as protocol
from baozheng.contest.models import (
    Contest,
    Contestant,
    Correction,
    Division,
    Draw,
    DrawKind,
    ScoreSheet,
    Session,
    TeachingClass,
    Topic,
)
from baozheng.contest.scoring import bump_venue, is_frozen, is_venue_head
from baozheng.lib import bulk
from baozheng.lib.bounds import refuse_overlong
from baozheng.org import audit_diff
from baozheng.org.models import Unit, UnitKind


def central_school_code(unit: Unit) -> str:
    """The 中心校 a school belongs to (or the unit itself if it is one); "" otherwise."""
    parent = unit.parent
    return _central(unit.kind, unit.code, parent and parent.kind, parent and parent.code)


def _central(kind: str, code: str, parent_kind: str | None, parent_code: str | None) -> str:
    if kind == UnitKind.CENTRAL_SCHOOL:
        return code
    return parent_code or "" if parent_kind == UnitKind.CENTRAL_SCHOOL else ""


def _eligible(session: Session) -> QuerySet[TeachingClass]:
    division = session.division
    classes = TeachingClass.objects.filter(
        venue_id=session.venue_id, school_stage=division.school_stage
    )
    if division.grade_min is not None:
        classes = classes.filter(grade__gte=division.grade_min)
    if division.grade_max is not None:
        classes = classes.filter(grade__lte=division.grade_max)
    return classes


def eligible_classes(session: Session) -> list[TeachingClass]:
    """The venue's classes of the session's school stage (and the division's grade band
    when it is set). Classes registered without a stage are never eligible."""
    return list(_eligible(session).select_related("school__parent"))


# A contestant's or class's code and school as a borrowed-class draw's candidate needs them.
_PLACED = ("school__code", "school__kind", "school__parent__kind", "school__parent__code")


def _candidates(kind: str, rows: QuerySet, key: str) -> list[list[str]]:
    return [
        [kind, code, school, _central(school_kind, school, parent_kind, parent)]
        for code, school, school_kind, parent_kind, parent in rows.values_list(key, *_PLACED)
    ]


def grade_band(session: Session) -> str:
    d = session.division
    if d.grade_min is None and d.grade_max is None:
        return ""
    return f"（{d.grade_min or 1}–{d.grade_max or '…'}年级）"


def _present(session: Session) -> QuerySet[Contestant]:
    return session.contestants.filter(absent_reason="").order_by("appearance", "number")


def session_candidates(kind: str, session: Session) -> tuple[list[Any], dict[str, Any]]:
    """Each kind reads what its candidates are made of: an order draw the numbers, a
    topic draw the count, a borrowed-class draw the contestants' and the classes' codes
    with their schools' (values: three instances each were read for them)."""
    if kind == DrawKind.ORDER:
        numbers = list(_present(session).values_list("number", flat=True))
        if not numbers:
            raise protocol.DrawError("本场次还没有选手")
        return numbers, {}
    if kind == DrawKind.TOPIC:
        count = _present(session).count()
        if not count:
            raise protocol.DrawError("本场次还没有选手")
        division = session.division
        topics = Topic.objects.filter(
            contest_id=division.contest_id,
            subject=division.subject,
            school_stage=division.school_stage,
        )
        return list(topics.values_list("code", flat=True)), {"count": count}
    # A borrowed-class draw: the contestants and the classes with their schools, as values.
    contestants = _candidates("contestant", _present(session), "number")
    if not contestants:
        raise protocol.DrawError("本场次还没有选手")
    if kind == DrawKind.BORROWED_CLASS:
        classes = _candidates("class", _eligible(session), "code")
        if len(classes) < len(contestants):
            stage = session.division.get_school_stage_display()
            raise protocol.DrawError(
                f"本场次为{stage}组别{grade_band(session)}，赛点登记的{stage}班级只有 "
                f"{len(classes)} 个，少于选手 {len(contestants)} 人，不能抽签；"
                "请先在“借班班级”页面登记足够的班级"
            )
        return contestants + classes, {}
    raise protocol.DrawError("该类型的抽签不按场次进行")


def placement_candidates(division: Division) -> tuple[list[str], dict[str, Any]]:
    """Contestants of a division not yet in a session (and not 缺考), and its sessions."""
    sessions = sorted(Session.objects.filter(division=division).values_list("pk", flat=True))
    if not sessions:
        raise protocol.DrawError(f"组别“{division}”还没有场次，请先在赛点设置中添加场次")
    numbers = sorted(
        Contestant.objects.filter(
            division=division, session__isnull=True, absent_reason=""
        ).values_list("number", flat=True)
    )
    if not numbers:
        raise protocol.DrawError(f"组别“{division}”没有待安排场次的选手")
    pending = Draw.objects.filter(
        kind=DrawKind.PLACEMENT, division=division, ran_at__isnull=True, voided_at__isnull=True
    ).first()
    if pending is not None:
        raise protocol.DrawError(f"该组别已有待进行的场次安排抽签（编号 {pending.pk}）")
    return numbers, {"sessions": sessions}


def sampling_candidates(roster_text: str, count: int) -> tuple[list[str], dict[str, Any]]:
    """A township's teacher roster, one teacher per line ("编号 姓名"), for 乡抽 sampling."""
    roster = sorted({line.strip() for line in roster_text.splitlines() if line.strip()})
    if not roster:
        raise protocol.DrawError("请填写候选教师名单（每行一人）")
    return roster, {"count": count}


@transaction.atomic
def publish(
    contest: Contest,
    kind: str,
    title: str,
    candidates: list[Any],
    params: dict[str, Any],
    user,
    session: Session | None = None,
    township: Unit | None = None,
    secret: str | None = None,
    division: Division | None = None,
) -> Draw:
    """Record the candidates and publish the commitment; the secret stays unrevealed.
    A fixed `secret` is for the reproducible demo only; real draws get a fresh random one.
    The contest's row lock makes a second publication at the same moment wait and then
    see the first: a session has one valid draw of a kind, never two."""
    Contest.objects.select_for_update().filter(pk=contest.pk).first()
    if session is not None:
        existing = valid_draw(session, kind)
        if existing is not None:
            raise protocol.DrawError(
                f"本场次已有{DrawKind(kind).label}抽签（{existing.status_label}，编号 {existing.pk}），"
                "抽签结果为最终结果；确需重新抽签的，须由赛点负责人填写理由批准"
            )
    extra = {"division": division} if division is not None else {}
    return _create(
        contest, kind, title, candidates, params, user, session, township, secret, **extra
    )


def valid_draw(session: Session, kind: str) -> Draw | None:
    return (
        Draw.objects.filter(session=session, kind=kind, voided_at__isnull=True)
        .order_by("-pk")
        .first()
    )


def _create(
    contest: Contest,
    kind: str,
    title: str,
    candidates: list[Any],
    params: dict[str, Any],
    user,
    session: Session | None,
    township: Unit | None,
    secret: str | None,
    **extra: Any,
) -> Draw:
    secret = secret or protocol.new_secret()
    ordered = protocol.sort_candidates(candidates)
    protocol.run(
        kind, protocol.derive_stream_key(secret, ""), ordered, params
    )  # fail now, not at the draw
    return Draw.objects.create(
        contest=contest,
        kind=kind,
        title=title,
        session=session,
        township=township,
        division=extra.pop("division", session.division if session else None),
        params=params,
        candidates=ordered,
        commitment=protocol.commitment(secret, kind, ordered, params),
        secret=secret,
        published_by=user,
        **extra,
    )


def _sheet_record(sheet: ScoreSheet) -> dict[str, Any]:
    return {
        "judge": sheet.judge.name,
        "contestant": sheet.contestant.number,
        "submitted_at": sheet.submitted_at.isoformat(),
        "points": {line.item.name: str(line.points) for line in sheet.lines.all()},
    }


@transaction.atomic
def redraw(old: Draw, reason: str, void_scores: bool, user, secret: str | None = None) -> Draw:
    """Void `old` and publish a new commitment for the same session and kind.

    Only the venue head may approve it (the act of approving is this call); a reason is
    required; with score sheets in the session it is refused unless `void_scores`, in which
    case the sheets (and their corrections) are removed and kept as data on the voided draw.
    """
    old = (
        Draw.objects.select_for_update(of=("self",))
        .select_related("session__venue__zone__contest")
        .get(pk=old.pk)
    )
    session = old.session
    if session is None:
        raise protocol.DrawError("只有场次抽签可以重新抽签")
    if old.voided:
        raise protocol.DrawError("该抽签已作废")
    if not is_venue_head(user, session.venue):
        raise protocol.DrawError("重新抽签须由本赛点负责人批准")
    reason = reason.strip()
    if not reason:
        raise protocol.DrawError("请填写重新抽签的理由")
    refuse_overlong(protocol.DrawError, Draw, redraw_reason=(reason, "重新抽签理由"))
    if is_frozen(session.venue.zone.contest):
        raise protocol.DrawError("成绩已定档，不能重新抽签")
    sheets = list(
        ScoreSheet.objects.filter(session=session)
        .select_related("judge", "contestant")
        .prefetch_related("lines__item")
        .order_by("contestant__number", "judge__name")
    )
    if sheets and not void_scores:
        raise protocol.DrawError(
            f"本场次已有 {len(sheets)} 张评分表，重新抽签会改变已评分的安排；"
            "确需重抽，须同时批准作废这些评分表"
        )
    candidates, params = session_candidates(old.kind, session)
    if sheets:
        old.voided_scores = [_sheet_record(sheet) for sheet in sheets]
        Correction.objects.filter(sheet__in=sheets).delete()
        for sheet in sheets:
            sheet.delete()  # audited one by one; lines go with the sheet
        bump_venue(session.venue_id)
    old.voided_at = timezone.now()
    old.void_reason = reason
    old.save()
    return _create(
        old.contest,
        old.kind,
        f"{old.title}（重新抽签）",
        candidates,
        params,
        user,
        session,
        None,
        secret,
        supersedes=old,
        redraw_reason=reason,
        approved_by=user,
    )


@transaction.atomic
def run(draw: Draw, entropy: str, witnesses: str, user) -> Draw:
    # The session read with the locked row (only the draw's row locked): applying the
    # result needs it, a query each draw otherwise.
    draw = Draw.objects.select_for_update(of=("self",)).select_related("session").get(pk=draw.pk)
    if draw.voided:
        raise protocol.DrawError("该抽签已作废，不能进行")
    if draw.has_run:
        raise protocol.DrawError("该抽签已经进行，结果为最终结果，不能重抽")
    if not witnesses.strip():
        raise protocol.DrawError("请填写见证人")
    refuse_overlong(
        protocol.DrawError,
        Draw,
        entropy=(entropy.strip(), "见证人随机数"),
        witnesses=(witnesses.strip(), "见证人"),
    )
    read = audit_diff.as_read(draw)
    draw.entropy = entropy.strip()
    draw.stream_key = protocol.derive_stream_key(draw.secret, draw.entropy)
    draw.result = protocol.run(draw.kind, draw.stream_key, draw.candidates, draw.params)
    draw.witnesses = witnesses.strip()
    draw.ran_at = timezone.now()
    draw.ran_by = user
    with audit_diff.compared_with(read):
        draw.save()
    apply(draw)
    return draw


def apply(draw: Draw) -> None:
    """Write a draw's result onto its contestants (a placement draw: their sessions). A
    session's places, topics or classes go in as rows of values (`bulk.update`): the
    ORM's bulk_update builds a CASE branch per contestant, 2.5 ms for ten."""
    if draw.kind == DrawKind.PLACEMENT:
        placed = list(
            Contestant.objects.filter(
                contest_id=draw.contest_id, number__in=draw.result, session__isnull=True
            )
        )
        for contestant in placed:
            contestant.session_id = draw.result[contestant.number]
            contestant.save(update_fields=["session"])  # audited one by one
        return
    if draw.session_id is None:
        return
    # The session's contestants as values (what a result changes, by number): a draw
    # applies to plain rows, not to model instances read for it.
    rows = Contestant.objects.filter(session_id=draw.session_id).values(
        "pk", "number", "appearance", "topic_id", "borrowed_class_id"
    )
    by_number = {row["number"]: row for row in rows}
    if draw.kind == DrawKind.ORDER:
        for position, number in enumerate(draw.result, start=1):
            if number in by_number:
                by_number[number]["appearance"] = position
        _write(by_number.values(), "appearance")
    elif draw.kind == DrawKind.TOPIC:
        topics = dict(
            Topic.objects.filter(contest_id=draw.contest_id, code__in=draw.result).values_list(
                "code", "pk"
            )
        )
        ordered = sorted(by_number.values(), key=lambda c: (c["appearance"] or 999, c["number"]))
        for contestant, code in zip(ordered, draw.result, strict=False):
            contestant["topic_id"] = topics.get(code)
        _write(ordered, "topic_id")
    elif draw.kind == DrawKind.BORROWED_CLASS:
        classes = dict(
            TeachingClass.objects.filter(venue_id=draw.session.venue_id).values_list("code", "pk")
        )
        for number, code in draw.result.items():
            if number in by_number:
                by_number[number]["borrowed_class_id"] = classes.get(code)
        _write(by_number.values(), "borrowed_class_id")


def _write(contestants: Iterable[dict[str, Any]], attname: str) -> None:
    bulk.update(Contestant, [attname], [(c[attname], c["pk"]) for c in contestants])


SECRET_PLACEHOLDER = "（秘密值，抽签时公开）"


def hashed_json(draw: Draw) -> str:
    """The exact text whose SHA-256 is the published commitment (UTF-8). Before the draw runs
    the secret is shown as a placeholder; afterwards the text is complete and hashing it
    reproduces the commitment."""
    secret = draw.secret if draw.has_run else SECRET_PLACEHOLDER
    payload = {
        "secret": secret,
        "kind": draw.kind,
        "candidates": protocol.sort_candidates(draw.candidates),
        "params": draw.params,
    }
    return protocol.canonical_json(payload).decode("utf-8")


def verify(draw: Draw) -> protocol.Verification:
    if not draw.has_run:
        raise protocol.DrawError("该抽签尚未进行，只能核对承诺值")
    return protocol.verify(
        kind=draw.kind,
        secret=draw.secret,
        entropy=draw.entropy,
        stream_key=draw.stream_key,
        candidates=draw.candidates,
        params=draw.params,
        published_commitment=draw.commitment,
        recorded_result=draw.result,
    )
