"""Conflicts of interest (回避) and automatic judge assignment — pure Python, no Django.

A judge is recused from a session when any contestant in it shares, as configured per
contest: the judge's school (same school), the township central school (中心校), or the
county. Affiliations are unit codes; an empty code never matches (a city researcher has no
county, a county-run school no central school).

Assignment is deterministic: sessions in key order, each needing a number of judges per
group; candidates are the judges of that group and subject who are free in the session's
time slot and not recused, preferring the fewest assignments so far, then the judge key.
Shortfalls are reported, never filled by a recused judge. Judges removed from a session
by hand (`excluded`) are not put back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from baozheng.contest.formula import FRONTLINE, GROUP_LABELS, RESEARCHER

__all__ = [
    "FRONTLINE",
    "RESEARCHER",
    "Affiliation",
    "ConflictRules",
    "JudgeInfo",
    "SessionNeed",
    "assign",
    "conflict",
]


@dataclass(frozen=True)
class Affiliation:
    school: str = ""
    central_school: str = ""
    county: str = ""


@dataclass(frozen=True)
class ConflictRules:
    same_school: bool = True
    same_central_school: bool = True
    same_county: bool = True


@dataclass(frozen=True)
class JudgeInfo:
    key: str
    group: str
    subjects: frozenset[str]
    affiliation: Affiliation


@dataclass(frozen=True)
class SessionNeed:
    key: str
    subject: str
    slot: str  # sessions with the same slot run at the same time
    contestants: Sequence[Affiliation]
    need: Mapping[str, int] = field(default_factory=dict)
    excluded: frozenset[str] = frozenset()  # judges removed from this session by hand


@dataclass(frozen=True)
class Assignment:
    session: str
    judge: str


def conflict(judge: Affiliation, contestant: Affiliation, rules: ConflictRules) -> str:
    """The reason for recusal in Chinese, or "" when there is none."""
    if rules.same_school and judge.school and judge.school == contestant.school:
        return "同校回避"
    if (
        rules.same_central_school
        and judge.central_school
        and judge.central_school == contestant.central_school
    ):
        return "同一中心校回避"
    if rules.same_county and judge.county and judge.county == contestant.county:
        return "同县（市、区）回避"
    return ""


def session_conflict(
    judge: Affiliation, contestants: Iterable[Affiliation], rules: ConflictRules
) -> str:
    for contestant in contestants:
        reason = conflict(judge, contestant, rules)
        if reason:
            return reason
    return ""


def assign(
    sessions: Sequence[SessionNeed],
    judges: Sequence[JudgeInfo],
    rules: ConflictRules,
    taken: Iterable[tuple[str, str]] = (),
) -> tuple[list[Assignment], list[str]]:
    """`taken` are (judge, slot) pairs already seated by hand."""
    busy: set[tuple[str, str]] = set(taken)  # (judge, slot)
    load: dict[str, int] = {j.key: 0 for j in judges}
    for judge_key, _slot in busy:
        load[judge_key] = load.get(judge_key, 0) + 1
    assignments: list[Assignment] = []
    shortfalls: list[str] = []
    for session in sorted(sessions, key=lambda s: s.key):
        for group, count in sorted(session.need.items()):
            eligible = [
                j
                for j in judges
                if j.group == group
                and session.subject in j.subjects
                and (j.key, session.slot) not in busy
                and j.key not in session.excluded
                and not session_conflict(j.affiliation, session.contestants, rules)
            ]
            eligible.sort(key=lambda j: (load[j.key], j.key))
            chosen = eligible[:count]
            for judge in chosen:
                load[judge.key] += 1
                busy.add((judge.key, session.slot))
                assignments.append(Assignment(session.key, judge.key))
            if len(chosen) < count:
                shortfalls.append(
                    f"场次 {session.key}：{GROUP_LABELS.get(group, group)}评委需要 {count} 人，可用 {len(chosen)} 人"
                )
    return assignments, shortfalls
