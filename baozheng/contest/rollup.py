"""Contest results rolled up to school, central school and county — pure Python, no Django.

The source article ties each teacher's result to the evaluation of their school, township central
school (中心校) and county; the composite assessment reads these figures through
`baozheng.contest.figures.contest_rollup` (documented in docs/contest.md).

Per unit:
- participants: contestants from the unit's schools (any stage of the contest);
- participation rate (%) = participants / teachers × 100, None when teachers are unknown;
- mean score = mean of the scored participants' final scores, None when nobody is scored;
- prizes per hundred teachers = prizes / teachers × 100, None when teachers are unknown.
Rates are Decimal rounded half-up to one decimal; the mean to two decimals.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from baozheng.contest.formula import half_up

LEVELS = ("school", "central_school", "county")
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class ContestantRecord:
    school: str
    central_school: str  # "" for schools not under a central school
    county: str
    final: Decimal | None
    prize: int | None


@dataclass(frozen=True)
class RollupRow:
    unit: str
    teachers: int
    participants: int
    scored: int
    prizes: int
    participation_rate: Decimal | None
    mean_score: Decimal | None
    prizes_per_hundred: Decimal | None


def roll_up(
    records: Iterable[ContestantRecord],
    teachers_by_school: Mapping[str, int],
    parents: Mapping[str, tuple[str, str]],
    level: str,
) -> list[RollupRow]:
    """`parents` maps a school to (central school, county); teachers sum over schools."""
    if level not in LEVELS:
        raise ValueError(f"未知的汇总层级“{level}”")

    def unit_of(school: str, central: str, county: str) -> str:
        return {"school": school, "central_school": central, "county": county}[level]

    teachers: dict[str, int] = {}
    for school, count in teachers_by_school.items():
        central, county = parents.get(school, ("", ""))
        unit = unit_of(school, central, county)
        if unit:
            teachers[unit] = teachers.get(unit, 0) + count
    participants: dict[str, int] = {}
    finals: dict[str, list[Decimal]] = {}
    prizes: dict[str, int] = {}
    for r in records:
        unit = unit_of(r.school, r.central_school, r.county)
        if not unit:
            continue
        participants[unit] = participants.get(unit, 0) + 1
        if r.final is not None:
            finals.setdefault(unit, []).append(r.final)
        if r.prize:
            prizes[unit] = prizes.get(unit, 0) + 1
    rows = []
    for unit in sorted(set(teachers) | set(participants)):
        staff = teachers.get(unit, 0)
        joined = participants.get(unit, 0)
        scores = finals.get(unit, [])
        won = prizes.get(unit, 0)
        rows.append(
            RollupRow(
                unit=unit,
                teachers=staff,
                participants=joined,
                scored=len(scores),
                prizes=won,
                participation_rate=half_up(Decimal(joined) * 100 / staff, TENTH) if staff else None,
                mean_score=half_up(sum(scores, Decimal(0)) / len(scores)) if scores else None,
                prizes_per_hundred=half_up(Decimal(won) * 100 / staff, TENTH) if staff else None,
            )
        )
    return rows
