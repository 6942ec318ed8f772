"""Scores, ranks and prizes computed from the raw sheets (never from a stored total).

Reads score lines from the database, hands them to the pure formula (`formula.score`) and
the pure ranking (`prizes.award`), and returns rows for pages, exports and the snapshot.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum

from baozheng.contest import formula, prizes
from baozheng.contest.models import Contest, Contestant, Division, PanelSeat, ScoreLine, Venue


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
        return self.expected > 0 and self.sheets >= self.expected

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


def sheet_totals(contestant_ids: list[int]) -> dict[int, list[tuple[str, Decimal]]]:
    """(judge group, sheet total) per contestant, summed from the score lines."""
    rows = (
        ScoreLine.objects.filter(sheet__contestant_id__in=contestant_ids)
        .values("sheet_id", "sheet__contestant_id", "sheet__judge__group")
        .annotate(total=Sum("points"))
    )
    out: dict[int, list[tuple[str, Decimal]]] = defaultdict(list)
    for row in rows:
        out[row["sheet__contestant_id"]].append((row["sheet__judge__group"], row["total"]))
    return out


def expected_sheets(session_ids: set[int]) -> dict[int, int]:
    rows = (
        PanelSeat.objects.filter(session_id__in=session_ids, active=True)
        .values("session_id")
        .annotate(n=Count("pk"))
    )
    return {r["session_id"]: r["n"] for r in rows}


def standings(
    contestants: list[Contestant], contest: Contest, award_prizes: bool
) -> list[Standing]:
    totals = sheet_totals([c.pk for c in contestants])
    expected = expected_sheets({c.session_id for c in contestants if c.session_id})
    rules = contest.rules()
    rows = {
        c.number: Standing(
            c,
            formula.score(totals.get(c.pk, []), rules),
            len(totals.get(c.pk, [])),
            expected.get(c.session_id, 0),
        )
        for c in contestants
    }
    entries = [
        prizes.Entry(
            n,
            s.score.final,
            s.score.group_mean(formula.FRONTLINE),
            s.score.group_mean(formula.RESEARCHER),
        )
        for n, s in rows.items()
    ]
    placings = (
        prizes.award(entries, contest.quotas())
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
    divisions = Division.objects.filter(contest=contest).select_related("stage", "contest")
    return {d: division_standings(d) for d in divisions if d.contestants.exists()}
