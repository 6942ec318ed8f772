"""The inputs of the analysis engine, as plain frozen dataclasses.

The Django side fills these from the database; the engine never sees a model
instance, so it can be tested with small stand-ins and run anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("amount", "growth", "count", "rate")
FREQUENCIES = ("monthly", "quarterly", "yearly")
DIRECTIONS = ("up", "down")
BASES = ("growth", "level", "rank")
VALUE_BASES = ("growth", "level")


@dataclass(frozen=True)
class Indicator:
    """An indicator as the engine needs it (docs/rules.md §3).

    `kind` is "amount" (value with growth), "growth" (growth only), "count" or
    "rate" (a level read as it stands: 城镇调查失业率); `cumulative` says the value
    is a flow summed from January (amounts and counts usually are; rates and
    stocks are not).  A rate is never summed nor cumulated (docs/rules.md §3), so its
    `additive` and `cumulative` flags are forced off whatever is passed.
    """

    code: str
    kind: str = "amount"
    frequency: str = "monthly"
    merged_jan_feb: bool = True
    direction: str = "up"
    additive: bool = True
    cumulative: bool = True

    def __post_init__(self) -> None:
        if self.kind == "rate":
            object.__setattr__(self, "additive", False)
            object.__setattr__(self, "cumulative", False)

    @property
    def growth_only(self) -> bool:
        return self.kind == "growth"

    @property
    def rate(self) -> bool:
        return self.kind == "rate"

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
    """Target tiers: floor (保), stretch (争, None for a one-tier target) and optional
    top (抢), as they are in force (docs/rules.md §3.10–§3).

    `basis` is "growth" or "level" (a value target) or "rank" (places among the
    unit's peers, lower is better).  `month` names the release period of a phase
    target (开门红 1-3月: 3); None is the year's target.  Rank targets are annual.
    """

    indicator: str
    unit: str
    year: int
    basis: str
    floor: float
    stretch: float | None
    top: float | None = None
    month: int | None = None


@dataclass(frozen=True)
class Margins:
    """Margins of the amber light (at_risk): growth in percentage points, level in
    points of completion, rate in the rate's own points (docs/rules.md §3 defaults)."""

    at_risk_growth_pp: float = 1.0
    at_risk_completion_pp: float = 5.0
    at_risk_rate_pp: float = 1.0


@dataclass(frozen=True)
class StatusRules(Margins):
    """The global margins, and per indicator code the margins that replace them."""

    per_indicator: tuple[tuple[str, Margins], ...] = ()

    def for_indicator(self, code: str) -> Margins:
        for indicator, margins in self.per_indicator:
            if indicator == code:
                return margins
        return self


DEFAULT_RULES = StatusRules()
