"""The inputs of the analysis engine, as plain frozen dataclasses.

The Django side fills these from the database; the engine never sees a model
instance, so it can be tested with small stand-ins and run anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("amount", "growth", "count")
FREQUENCIES = ("monthly", "quarterly", "yearly")
DIRECTIONS = ("up", "down")
BASES = ("growth", "level")


@dataclass(frozen=True)
class Indicator:
    """An indicator as the engine needs it (DOMAIN §3).

    `kind` is "amount" (value with growth), "growth" (growth only) or "count";
    `cumulative` says the value is a flow summed from January (amounts and
    counts usually are; rates and stocks are not).
    """

    code: str
    kind: str = "amount"
    frequency: str = "monthly"
    merged_jan_feb: bool = True
    direction: str = "up"
    additive: bool = True
    cumulative: bool = True

    @property
    def growth_only(self) -> bool:
        return self.kind == "growth"

    @property
    def down(self) -> bool:
        return self.direction == "down"


@dataclass(frozen=True)
class Unit:
    """An organisation unit: its parent's code and the peer groups it belongs to."""

    code: str
    parent: str | None = None
    groups: tuple[str, ...] = ()


@dataclass(frozen=True)
class PeerGroup:
    """Children of `parent` ranked together (县市区, 功能区 …).

    `partitions` marks the group whose members add up to the parent; functional
    zones lie inside districts and must not be summed with them.
    """

    code: str
    parent: str
    partitions: bool = False


@dataclass(frozen=True)
class Target:
    """A year's target tiers: floor (保), stretch (争) and optional top (抢)."""

    indicator: str
    unit: str
    year: int
    basis: str
    floor: float
    stretch: float
    top: float | None = None


@dataclass(frozen=True)
class StatusRules:
    """Margins of the amber light (at_risk), in percentage points."""

    at_risk_growth_pp: float = 1.0
    at_risk_completion_pp: float = 5.0


DEFAULT_RULES = StatusRules()
