"""Loading targets for the decomposition check (the rule itself is pure:
`baozheng.analysis.decomposition`)."""

from __future__ import annotations

from dataclasses import dataclass

from baozheng.analysis.decomposition import Decomposition, check
from baozheng.org.models import Unit
from baozheng.stats.models import Basis, Direction, Indicator, Observation, Target


@dataclass(frozen=True)
class TargetLine:
    indicator: Indicator
    target: Target
    children: list[Target]
    result: Decomposition


def decomposition_lines(parent: Unit, year: int) -> list[TargetLine]:
    """One line per indicator with a target for `parent` in `year`."""
    group = parent.peer_groups.filter(partitions=True).first()
    members = list(group.members.all()) if group else []
    parent_targets = Target.objects.filter(unit=parent, year=year).select_related("indicator")
    child_targets: dict[tuple[int, int], Target] = {
        (t.indicator_id, t.unit_id): t
        for t in Target.objects.filter(unit__in=members, year=year).select_related("unit")
    }
    last_year = {
        (o.indicator_id, o.unit_id): float(o.value)
        for o in Observation.objects.filter(
            year=year - 1,
            month=12,
            unit__in=[*members, parent],
            has_approved=True,
            value__isnull=False,
        )
    }
    lines = []
    for target in parent_targets.order_by("indicator__order", "indicator__code"):
        indicator = target.indicator
        kids = {u.code: child_targets.get((indicator.pk, u.pk)) for u in members}
        result = (
            check(
                basis=target.basis,
                growth_only=indicator.growth_only,
                additive=indicator.additive,
                down=indicator.direction == Direction.DOWN,
                parent=_tiers(target),
                children={code: (_tiers(t) if t else None) for code, t in kids.items()},
                last_year={u.code: last_year.get((indicator.pk, u.pk)) for u in members},
                parent_last_year=last_year.get((indicator.pk, parent.pk)),
            )
            if target.basis in (Basis.LEVEL, Basis.GROWTH)
            else None
        )
        lines.append(TargetLine(indicator, target, [t for t in kids.values() if t], result))
    return lines


def _tiers(target: Target) -> dict:
    return {"floor": float(target.floor), "stretch": float(target.stretch), "basis": target.basis}
