"""Publishing, running, applying and verifying draws recorded in the database.

The randomness and the verification are the pure `baozheng.contest.draw`; this module only
gathers candidates from the contest, stores the record and writes the result back
(appearance order, topics, borrowed classes). A draw's candidates are frozen when its
commitment is published: later changes to a session cannot alter what the draw ran on.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from baozheng.contest import draw as protocol
from baozheng.contest.models import (
    Contest,
    Contestant,
    Draw,
    DrawKind,
    Session,
    TeachingClass,
    Topic,
)
from baozheng.org.models import Unit


def session_contestants(session: Session) -> list[Contestant]:
    return list(session.contestants.select_related("school").order_by("appearance", "number"))


def session_candidates(kind: str, session: Session) -> tuple[list[Any], dict[str, Any]]:
    contestants = session_contestants(session)
    if not contestants:
        raise protocol.DrawError("本场次还没有选手")
    if kind == DrawKind.ORDER:
        return [c.number for c in contestants], {}
    if kind == DrawKind.TOPIC:
        division = session.division
        topics = Topic.objects.filter(
            contest_id=division.contest_id,
            subject=division.subject,
            school_stage=division.school_stage,
        )
        return [t.code for t in topics], {"count": len(contestants)}
    if kind == DrawKind.BORROWED_CLASS:
        classes = TeachingClass.objects.filter(venue_id=session.venue_id).select_related("school")
        rows = [["contestant", c.number, c.school.code] for c in contestants]
        rows += [["class", k.code, k.school.code] for k in classes]
        return rows, {}
    raise protocol.DrawError("该类型的抽签不按场次进行")


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
) -> Draw:
    """Record the candidates and publish the commitment; the secret stays unrevealed.
    A fixed `secret` is for the reproducible demo only; real draws get a fresh random one."""
    secret = secret or protocol.new_secret()
    ordered = protocol.sort_candidates(candidates)
    protocol.run(
        kind, protocol.derive_seed(secret, ""), ordered, params
    )  # fail now, not at the draw
    return Draw.objects.create(
        contest=contest,
        kind=kind,
        title=title,
        session=session,
        township=township,
        division=session.division if session else None,
        params=params,
        candidates=ordered,
        commitment=protocol.commitment(secret, kind, ordered, params),
        secret=secret,
        published_by=user,
    )


@transaction.atomic
def run(draw: Draw, entropy: str, witnesses: str, user) -> Draw:
    draw = Draw.objects.select_for_update().get(pk=draw.pk)
    if draw.has_run:
        raise protocol.DrawError("该抽签已经进行，不能重抽")
    if not witnesses.strip():
        raise protocol.DrawError("请填写见证人")
    draw.entropy = entropy.strip()[:200]
    draw.seed = protocol.derive_seed(draw.secret, draw.entropy)
    draw.result = protocol.run(draw.kind, draw.seed, draw.candidates, draw.params)
    draw.witnesses = witnesses.strip()[:300]
    draw.ran_at = timezone.now()
    draw.ran_by = user
    draw.save()
    apply(draw)
    return draw


def apply(draw: Draw) -> None:
    """Write a session draw's result onto its contestants."""
    if draw.session_id is None:
        return
    by_number = {c.number: c for c in draw.session.contestants.all()}
    if draw.kind == DrawKind.ORDER:
        for position, number in enumerate(draw.result, start=1):
            if number in by_number:
                by_number[number].appearance = position
        Contestant.objects.bulk_update(by_number.values(), ["appearance"])
    elif draw.kind == DrawKind.TOPIC:
        topics = {
            t.code: t
            for t in Topic.objects.filter(contest_id=draw.contest_id, code__in=draw.result)
        }
        ordered = sorted(by_number.values(), key=lambda c: (c.appearance or 999, c.number))
        for contestant, code in zip(ordered, draw.result, strict=False):
            contestant.topic = topics.get(code)
        Contestant.objects.bulk_update(ordered, ["topic"])
    elif draw.kind == DrawKind.BORROWED_CLASS:
        classes = {k.code: k for k in TeachingClass.objects.filter(venue_id=draw.session.venue_id)}
        for number, code in draw.result.items():
            if number in by_number:
                by_number[number].borrowed_class = classes.get(code)
        Contestant.objects.bulk_update(by_number.values(), ["borrowed_class"])


def verify(draw: Draw) -> protocol.Verification:
    if not draw.has_run:
        raise protocol.DrawError("该抽签尚未进行，只能核对承诺值")
    return protocol.verify(
        kind=draw.kind,
        secret=draw.secret,
        entropy=draw.entropy,
        seed=draw.seed,
        candidates=draw.candidates,
        params=draw.params,
        published_commitment=draw.commitment,
        recorded_result=draw.result,
    )
