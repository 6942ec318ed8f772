"""Which rows a bulletin has and who is ranked with whom.

This is bookkeeping over a few dozen units, done in plain Python and shared by
the engine and the reference implementation; the figures themselves are
computed separately by each.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from baozheng.analysis.model import PeerGroup, Unit


@dataclass(frozen=True)
class Scope:
    """The units around one parent P.

    `child_rows` are (group, unit) pairs in display order; `members` maps every
    group that matters (P's children's groups and P's own group under its
    parent) to its members among the units passed; `partition` lists the
    members of the group that partitions P (None when P has no such group).
    """

    parent: str
    grandparent: str | None
    parent_group: str | None
    child_rows: tuple[tuple[str, str], ...]
    members: dict[str, tuple[str, ...]]
    partition: tuple[str, ...] | None

    @property
    def units(self) -> tuple[str, ...]:
        """Every unit whose figures the bulletin reads, P first."""
        seen = dict.fromkeys([self.parent])
        if self.grandparent is not None:
            seen.setdefault(self.grandparent)
        for unit_codes in self.members.values():
            seen.update(dict.fromkeys(unit_codes))
        seen.update(dict.fromkeys(self.partition or ()))
        return tuple(seen)


def _members(group: PeerGroup, units: Sequence[Unit]) -> tuple[str, ...]:
    return tuple(
        sorted(u.code for u in units if u.parent == group.parent and group.code in u.groups)
    )


def resolve_scope(parent: str, units: Sequence[Unit], groups: Sequence[PeerGroup]) -> Scope:
    """Work out rows, ranking groups and the partition for parent `parent`."""
    by_code = {u.code: u for u in units}
    if parent not in by_code:
        raise ValueError(f"parent unit {parent!r} is not among the units passed")
    group_by_code = {g.code: g for g in groups}
    members: dict[str, tuple[str, ...]] = {}
    child_rows: list[tuple[str, str]] = []
    for group in sorted(groups, key=lambda g: g.code):
        if group.parent != parent:
            continue
        members[group.code] = _members(group, units)
        child_rows.extend((group.code, unit) for unit in members[group.code])

    me = by_code[parent]
    grandparent = me.parent if me.parent in by_code else None
    parent_group = None
    if grandparent is not None:
        mine = [group_by_code[c] for c in me.groups if c in group_by_code]
        mine = [g for g in mine if g.parent == grandparent]
        # A unit is ranked in one group under its parent (docs/rules.md §3); should
        # the data say otherwise, prefer the partitioning group, then by code.
        mine.sort(key=lambda g: (not g.partitions, g.code))
        if mine:
            parent_group = mine[0].code
            members[parent_group] = _members(mine[0], units)

    partitioning = sorted(
        (g for g in groups if g.parent == parent and g.partitions), key=lambda g: g.code
    )
    partition = members[partitioning[0].code] if partitioning else None
    if partition == ():
        partition = None
    return Scope(parent, grandparent, parent_group, tuple(child_rows), members, partition)
