"""Ranking and prize quotas (一/二/三等奖) within one subject × school stage — pure Python.

Ranking (tie-breaks, in order):
1. final score (rounded to 0.01, as published), higher first;
2. frontline teachers' group mean (unrounded), higher first — the source article gives frontline
   teachers the decisive voice (70 %);
3. teaching researchers' group mean (unrounded), higher first;
4. still equal: the contestants share the rank (并列, "1, 2, 2, 4") and the listing shows
   them by contestant number.

Quotas are cumulative percentages of the ranked contestants, rounded half-up:
first prizes go to rank ≤ round(n × p1 %), second to rank ≤ round(n × (p1 + p2) %), third
to rank ≤ round(n × (p1 + p2 + p3) %). Contestants tied on a boundary share the better
prize, so a quota can be exceeded by a tie but a tie is never split. Contestants without a
score are not ranked and receive no prize.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from operator import itemgetter

PRIZE_LABELS = {1: "一等奖", 2: "二等奖", 3: "三等奖"}
DEFAULT_QUOTAS = (Decimal(10), Decimal(20), Decimal(30))


@dataclass(frozen=True)
class Entry:
    key: str  # contestant number
    final: Decimal | None
    frontline: Decimal = Decimal(0)
    researcher: Decimal = Decimal(0)


@dataclass(slots=True)
class Placing:
    key: str
    rank: int
    prize: int | None  # 1, 2, 3 or None
    final: Decimal

    @property
    def prize_label(self) -> str:
        return PRIZE_LABELS.get(self.prize, "") if self.prize else ""


def rank(entries: Iterable[Entry]) -> list[tuple[int, Entry]]:
    """(rank, entry) best first; equal merit shares a rank and is listed by number."""
    scored = [((e.final, e.frontline, e.researcher), e) for e in entries if e.final is not None]
    scored.sort(key=itemgetter(0), reverse=True)
    ranked: list[tuple[int, Entry]] = []
    previous = None
    current = 0
    for position, (merit, entry) in enumerate(scored, start=1):
        if merit != previous:
            current, previous = position, merit
        ranked.append((current, entry))
    ranked.sort(key=lambda pair: (pair[0], pair[1].key))
    return ranked


def cutoffs(n: int, quotas: Sequence[Decimal]) -> list[int]:
    """Cumulative last rank for each prize level."""
    out, running = [], Decimal(0)
    for pct in quotas:
        running += pct
        out.append(int((Decimal(n) * running / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)))
    return out


def award(
    entries: Iterable[Entry], quotas: Sequence[Decimal] = DEFAULT_QUOTAS, base: int | None = None
) -> list[Placing]:
    """Ranks and prizes. `base` is the number the quotas are taken of: by default the ranked
    contestants; a contest may count contestants absent from the exam (缺考) in it too."""
    ranked = rank(entries)
    limits = cutoffs(len(ranked) if base is None else base, quotas)
    placings = []
    level = 0  # index into limits; ranks only grow, so the level only moves forward
    for position, entry in ranked:
        while level < len(limits) and position > limits[level]:
            level += 1
        prize = level + 1 if level < len(limits) else None
        assert entry.final is not None  # rank() leaves out entries without a final score
        placings.append(Placing(entry.key, position, prize, entry.final))
    return placings
