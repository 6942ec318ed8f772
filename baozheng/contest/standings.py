"""Scores, ranks and prizes computed from the raw sheets (never from a stored total).

Reads score lines from the database, hands them to the pure formula (`formula.score`) and
the pure ranking (`prizes.award`), and returns rows for pages, exports and the snapshot.

Only complete panels are ranked: a contestant gets a rank (and so a prize) once every judge
seated on their session has submitted a sheet, or the venue head has recorded why a judge
is absent (`JudgeAbsence`), in which case the panel is the sheets present. Until then the
contestant is 评分中 — on the board, the API, results, exports and the snapshot alike.
Contestants recorded absent (缺考) are never ranked; whether they count in the prize-quota
base is the contest's `absent_in_quota_base` setting.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from baozheng.contest import formula, prizes
from baozheng.contest.models import (
    Contest,
    Contestant,
    Division,
    JudgeAbsence,
    PanelSeat,
    ScoreLine,
    Venue,
)


@dataclass
class Standing:
    contestant: Contestant
    score: formula.Score
    sheets: int
    expected: int
    rank: int | None = None
    prize: int | None = None

    @property
    def prize_label(self) -> str:
        return prizes.PRIZE_LABELS.get(self.prize, "") if self.prize else ""

    @property
    def complete(self) -> bool:
        return not self.contestant.absent and self.expected > 0 and self.sheets >= self.expected

    @property
    def state(self) -> str:
        """缺考, 评分中, or "" for a complete panel."""
        if self.contestant.absent:
            return "缺考"
        return "" if self.complete else "评分中"

    @property
    def final(self) -> Decimal | None:
        return self.score.final

    def group_display(self, group: str) -> Decimal | None:
        found = self.score.groups.get(group)
        return formula.half_up(found.mean) if found else None

    @property
    def frontline_display(self) -> Decimal | None:
        return self.group_display(formula.FRONTLINE)

    @property
    def researcher_display(self) -> Decimal | None:
        return self.group_display(formula.RESEARCHER)


def sheet_totals(contestant_ids: list[int]) -> dict[int, list[tuple[int, str, Decimal]]]:
    """(judge, judge group, sheet total) per contestant, summed from the score lines."""
    rows = (
        ScoreLine.objects.filter(sheet__contestant_id__in=contestant_ids)
        .values("sheet_id", "sheet__contestant_id", "sheet__judge_id", "sheet__judge__group")
        .annotate(total=Sum("points"))
    )
    out: dict[int, list[tuple[int, str, Decimal]]] = defaultdict(list)
    for row in rows:
        out[row["sheet__contestant_id"]].append(
            (row["sheet__judge_id"], row["sheet__judge__group"], row["total"])
        )
    return out


def seated_judges(session_ids: set[int]) -> dict[int, set[int]]:
    """Judges seated on each session."""
    out: dict[int, set[int]] = defaultdict(set)
    rows = PanelSeat.objects.filter(session_id__in=session_ids, active=True).values_list(
        "session_id", "judge_id"
    )
    for session_id, judge_id in rows:
        out[session_id].add(judge_id)
    return out


def absent_judges(session_ids: set[int]) -> dict[int, set[int]]:
    out: dict[int, set[int]] = defaultdict(set)
    rows = JudgeAbsence.objects.filter(session_id__in=session_ids).values_list(
        "session_id", "judge_id"
    )
    for session_id, judge_id in rows:
        out[session_id].add(judge_id)
    return out


def expected_sheets(seated: set[int], absent: set[int], scored_by: set[int]) -> int:
    """The panel for one contestant: seated judges, less those recorded absent who did not
    score this contestant (a judge who left mid-session still counts where they scored)."""
    return len(seated - (absent - scored_by))


@dataclass(frozen=True)
class Panels:
    """The sheet totals and the panels (judges seated, judges absent) of a set of
    contestants, read in three queries whatever the number of divisions they span."""

    totals: dict[int, list[tuple[int, str, Decimal]]]
    seated: dict[int, set[int]]
    absent: dict[int, set[int]]


def read_panels(contestants: list[Contestant]) -> Panels:
    session_ids = {c.session_id for c in contestants if c.session_id}
    return Panels(
        sheet_totals([c.pk for c in contestants]),
        seated_judges(session_ids),
        absent_judges(session_ids),
    )


def standings(
    contestants: list[Contestant],
    contest: Contest,
    award_prizes: bool,
    panels: Panels | None = None,
) -> list[Standing]:
    """Ranks one division's contestants; `panels` when the caller read them for several
    divisions at once."""
    read = panels or read_panels(contestants)
    rules = contest.rules()
    rows = {}
    for c in contestants:
        sheets = read.totals.get(c.pk, [])
        rows[c.number] = Standing(
            c,
            formula.score([(group, total) for _, group, total in sheets], rules),
            len(sheets),
            expected_sheets(
                read.seated.get(c.session_id, set()),
                read.absent.get(c.session_id, set()),
                {judge for judge, _, _ in sheets},
            ),
        )
    entries = [
        prizes.Entry(
            n,
            s.score.final,
            s.score.group_mean(formula.FRONTLINE),
            s.score.group_mean(formula.RESEARCHER),
        )
        for n, s in rows.items()
        if s.complete
    ]
    absent_n = sum(1 for s in rows.values() if s.contestant.absent)
    base = len(entries) + (absent_n if contest.absent_in_quota_base else 0)
    placings = (
        prizes.award(entries, contest.quotas(), base=base)
        if award_prizes
        else [
            prizes.Placing(e.key, rank, None, e.final)
            for rank, e in prizes.rank(entries)  # type: ignore[arg-type]
        ]
    )
    ordered = []
    for placing in placings:
        row = rows.pop(placing.key)
        row.rank, row.prize = placing.rank, placing.prize
        ordered.append(row)
    ordered.extend(
        sorted(rows.values(), key=lambda s: (s.contestant.appearance or 999, s.contestant.number))
    )
    return ordered


def division_standings(division: Division) -> list[Standing]:
    contestants = list(
        Contestant.objects.filter(division=division).select_related("school", "session__venue")
    )
    return standings(contestants, division.contest, award_prizes=True)


def venue_divisions(venue: Venue) -> list[Division]:
    return list(Division.objects.filter(sessions__venue=venue).distinct().select_related("stage"))


def venue_board(venue: Venue, division: Division) -> list[Standing]:
    """The on-the-spot ranking (当场公布) of one division at one venue; prizes come later."""
    contestants = list(
        Contestant.objects.filter(session__venue=venue, division=division).select_related(
            "school", "session"
        )
    )
    return standings(contestants, division.contest, award_prizes=False)


def contest_standings(contest: Contest) -> dict[Division, list[Standing]]:
    """Every division with contestants, in the divisions' order: the contestants and their
    panels are read once for the whole contest (5 queries, not 5 per division)."""
    divisions = list(Division.objects.filter(contest=contest).select_related("stage", "contest"))
    contestants = list(
        Contestant.objects.filter(division__in=divisions).select_related("school", "session__venue")
    )
    by_division: dict[int, list[Contestant]] = defaultdict(list)
    for c in contestants:
        by_division[c.division_id].append(c)
    panels = read_panels(contestants)
    return {
        d: standings(by_division[d.pk], d.contest, award_prizes=True, panels=panels)
        for d in divisions
        if by_division[d.pk]
    }
