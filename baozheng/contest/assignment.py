"""Judge panels: automatic assignment with conflict rules, and recorded manual overrides.

The decision is the pure `conflicts.assign`; this module feeds it from the database.
Sessions that already have sheets keep their panel (re-assigning mid-session would orphan
sheets). Manual seats are kept and count toward the panel; a judge removed by hand from a
session is never put back by the system.
"""

from __future__ import annotations

from django.db import transaction

from baozheng.contest import conflicts
from baozheng.contest.models import AssignmentSource, Contest, Judge, PanelSeat, Session
from baozheng.lib.bounds import refuse_overlong
from baozheng.org.models import Unit, UnitKind

COUNTY_KINDS = {UnitKind.COUNTY, UnitKind.DISTRICT, UnitKind.COUNTY_CITY, UnitKind.ZONE}


class AssignmentError(ValueError):
    pass


def affiliations(units: list[Unit]) -> dict[int, conflicts.Affiliation]:
    """School, central school and county codes of each unit, read from its path."""
    codes = {code for u in units for code in u.path.strip("/").split("/")}
    kinds = dict(Unit.objects.filter(code__in=codes).values_list("code", "kind"))
    out = {}
    for unit in units:
        lineage = unit.path.strip("/").split("/")
        out[unit.pk] = conflicts.Affiliation(
            school=unit.code if unit.kind == UnitKind.SCHOOL else "",
            central_school=next(
                (c for c in lineage if kinds.get(c) == UnitKind.CENTRAL_SCHOOL), ""
            ),
            county=next((c for c in lineage if kinds.get(c) in COUNTY_KINDS), ""),
        )
    return out


def judge_conflict(judge: Judge, session: Session) -> str:
    contestants = list(session.contestants.select_related("school"))
    found = affiliations([judge.unit, *[c.school for c in contestants]])
    return conflicts.session_conflict(
        found[judge.unit_id],
        [found[c.school_id] for c in contestants],
        session.venue.zone.contest.conflict_rules(),
    )


@transaction.atomic
def auto_assign(contest: Contest) -> tuple[int, list[str]]:
    """Fill every panel that has no sheets yet. Returns (seats created, shortfalls).
    The contest's row lock makes a second run (or a seat changed by hand) at the same
    moment wait and then start from this one's seats, instead of seating the same judge
    twice (a 500)."""
    Contest.objects.select_for_update().filter(pk=contest.pk).first()
    sessions = list(
        Session.objects.filter(venue__zone__contest=contest, sheets__isnull=True)
        .distinct()
        .select_related("division")
        .prefetch_related("contestants__school")
    )
    judges = list(Judge.objects.filter(contest=contest).select_related("unit"))
    PanelSeat.objects.filter(session__in=sessions, source=AssignmentSource.AUTO).delete()
    manual = list(PanelSeat.objects.filter(session__in=sessions).select_related("judge", "session"))
    units = [j.unit for j in judges] + [c.school for s in sessions for c in s.contestants.all()]
    found = affiliations(units)
    slot_of = {s.pk: s.slot for s in sessions}
    needs = []
    for session in sessions:
        seated = [m for m in manual if m.session_id == session.pk and m.active]
        need = {
            conflicts.FRONTLINE: contest.panel_frontline,
            conflicts.RESEARCHER: contest.panel_researcher,
        }
        for seat in seated:
            need[seat.judge.group] = max(0, need.get(seat.judge.group, 0) - 1)
        needs.append(
            conflicts.SessionNeed(
                key=str(session.pk),
                subject=session.division.subject,
                slot=session.slot,
                contestants=[found[c.school_id] for c in session.contestants.all()],
                need=need,
                excluded=frozenset(
                    str(m.judge_id) for m in manual if m.session_id == session.pk and not m.active
                ),
            )
        )
    infos = [
        conflicts.JudgeInfo(str(j.pk), j.group, j.subject_set(), found[j.unit_id]) for j in judges
    ]
    taken = [(str(m.judge_id), slot_of[m.session_id]) for m in manual if m.active]
    chosen, shortfalls = conflicts.assign(needs, infos, contest.conflict_rules(), taken)
    PanelSeat.objects.bulk_create(
        [
            PanelSeat(
                session_id=int(a.session), judge_id=int(a.judge), source=AssignmentSource.AUTO
            )
            for a in chosen
        ]
    )
    return len(chosen), shortfalls


@transaction.atomic
def override(session: Session, judge: Judge, add: bool, reason: str, user) -> str:
    """Seat or unseat a judge by hand. Returns the conflict warning for a seated judge, if any."""
    reason = reason.strip()
    if not reason:
        raise AssignmentError("人工调整必须填写理由")
    refuse_overlong(AssignmentError, PanelSeat, reason=(reason, "调整理由"))
    if judge.contest_id != session.venue.zone.contest_id:
        raise AssignmentError("评委不属于本赛事")
    Contest.objects.select_for_update().filter(pk=judge.contest_id).first()  # see auto_assign
    if not add and session.sheets.filter(judge=judge).exists():
        raise AssignmentError("该评委已在本场次提交评分，不能撤下")
    PanelSeat.objects.update_or_create(
        session=session,
        judge=judge,
        defaults={
            "source": AssignmentSource.MANUAL,
            "active": add,
            "reason": reason,
            "changed_by": user,
        },
    )
    return judge_conflict(judge, session) if add else ""
