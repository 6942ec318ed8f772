"""The figures other parts of the product read: the contest rolled up to units.

`contest_rollup(contest, level)` is the entry point the composite assessment (§9) uses;
its signature and meaning are documented in docs/contest.md and kept stable.
"""

from __future__ import annotations

from baozheng.contest import rollup
from baozheng.contest.assignment import affiliations
from baozheng.contest.models import Contest, SchoolTeachers
from baozheng.contest.standings import contest_standings
from baozheng.org.models import Unit, UnitKind


def contest_rollup(contest: Contest, level: str) -> list[rollup.RollupRow]:
    """Participation rate, mean score and prizes per hundred teachers for every school,
    central school or county ("school" / "central_school" / "county") with teachers or
    contestants; `RollupRow.unit` is the unit's code."""
    standings = [s for rows in contest_standings(contest).values() for s in rows]
    teachers = dict(SchoolTeachers.objects.values_list("school__code", "teachers"))
    schools = list(
        Unit.objects.filter(
            kind=UnitKind.SCHOOL,
            code__in=set(teachers) | {s.contestant.school.code for s in standings},
        )
    )
    found = affiliations(schools)
    parents = {u.code: (found[u.pk].central_school, found[u.pk].county) for u in schools}
    records = [
        rollup.ContestantRecord(
            s.contestant.school.code, *parents[s.contestant.school.code], s.final, s.prize
        )
        for s in standings
    ]
    return rollup.roll_up(records, teachers, parents, level)


def unit_names(rows: list[rollup.RollupRow]) -> dict[str, str]:
    return dict(Unit.objects.filter(code__in=[r.unit for r in rows]).values_list("code", "name"))
