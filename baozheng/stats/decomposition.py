"""Loading targets for the decomposition check (the rule itself is pure:
`baozheng.analysis.decomposition`)."""

from __future__ import annotations

from dataclasses import dataclass

from baozheng.analysis.decomposition import Decomposition, check
from baozheng.org.models import Unit
from baozheng.stats.models import Direction, Indicator, Kind, Observation, Target


@dataclass(frozen=True)
class TargetLine:
    indicator: Indicator
    target: Target
    children: list[Target]
    result: Decomposition


def decomposition_lines(parent: Unit, year: int) -> list[TargetLine]:
    """One line per target of `parent` in `year`: the year's, phase and rank targets.

    A phase target is checked against the children's phase targets of the same period,
    weighting growth targets with last year's value at that period; rates and rank
    targets say 无法核对."""
    group = parent.peer_groups.filter(partitions=True).first()
    members = list(group.members.all()) if group else []
    parent_targets = list(
        Target.objects.filter(unit=parent, year=year)
        .select_related("indicator", "responsible_unit")
        .order_by("indicator__order", "indicator__code", "basis", "month")
    )
    child_targets: dict[tuple, Target] = {
        (t.indicator_id, t.unit_id, t.month, t.is_rank): t
        for t in Target.objects.filter(unit__in=members, year=year).select_related("unit")
    }
    # Only the figures the weights need: last year's values of the targets' indicators.
    last_year = {
        (indicator_id, unit_id, month): float(value)
        for indicator_id, unit_id, month, value in Observation.objects.filter(
            year=year - 1,
            unit__in=[*members, parent],
            indicator__in={t.indicator_id for t in parent_targets},
            has_approved=True,
            value__isnull=False,
        ).values_list("indicator_id", "unit_id", "month", "value")
    }
    lines = []
    for target in sorted(
        parent_targets,
        key=lambda t: (t.indicator.order, t.indicator.code, t.month or 13, t.is_rank),
    ):
        indicator = target.indicator
        month = target.month or 12
        kids = {
            u.code: child_targets.get((indicator.pk, u.pk, target.month, target.is_rank))
            for u in members
        }
        result = check(
            basis=target.basis,
            growth_only=indicator.growth_only,
            additive=indicator.additive,
            down=indicator.direction == Direction.DOWN,
            parent=_tiers(target),
            children={code: (_tiers(t) if t else None) for code, t in kids.items()},
            last_year={u.code: last_year.get((indicator.pk, u.pk, month)) for u in members},
            parent_last_year=last_year.get((indicator.pk, parent.pk, month)),
            rate=indicator.kind == Kind.RATE,
        )
        lines.append(TargetLine(indicator, target, [t for t in kids.values() if t], result))
    return lines


def _tiers(target: Target) -> dict:
    return {
        "floor": float(target.floor),
        "stretch": None if target.stretch is None else float(target.stretch),
        "basis": target.basis,
    }
