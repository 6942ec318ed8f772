"""Vocabulary of a bulletin row: its keys, status values and reason codes.

Every null figure in a row is explained by exactly one code (docs/rules.md §3,
"Reasons"); both the engine and the reference implementation import these
names so that a typo cannot make them disagree.
"""

from __future__ import annotations

NO_DATA = "no_data"
GROWTH_ONLY = "growth_only"
NO_LAST_YEAR = "no_last_year"
ZERO_BASE = "zero_base"
NEGATIVE_BASE = "negative_base"
NOT_ADDITIVE = "not_additive"
NOT_CUMULATIVE = "not_cumulative"
INCOMPLETE_CHILDREN = "incomplete_children"
IS_PARENT = "is_parent"
NO_PREVIOUS_RELEASE = "no_previous_release"
NO_TARGET = "no_target"
GROWTH_TARGET = "growth_target"
YEAR_OVER = "year_over"
NO_REMAINING_BASE = "no_remaining_base"
TARGET_REACHED = "target_reached"
NOT_RANKED = "not_ranked"
NO_PARENT_GROWTH = "no_parent_growth"
RATE_INDICATOR = "rate_indicator"
NOT_RATE = "not_rate"

REASON_CODES = (
    NO_DATA,
    GROWTH_ONLY,
    NO_LAST_YEAR,
    ZERO_BASE,
    NEGATIVE_BASE,
    NOT_ADDITIVE,
    NOT_CUMULATIVE,
    INCOMPLETE_CHILDREN,
    IS_PARENT,
    NO_PREVIOUS_RELEASE,
    NO_TARGET,
    GROWTH_TARGET,
    YEAR_OVER,
    NO_REMAINING_BASE,
    TARGET_REACHED,
    NOT_RANKED,
    NO_PARENT_GROWTH,
    RATE_INDICATOR,
    NOT_RATE,
)

STATUSES = ("exceeds", "on_track", "at_risk", "off_track", "no_target", "no_data")
# Values of `rank_status` (docs/rules.md §3 "Rank target"); null without a rank target.
RANK_STATUSES = ("exceeds", "on_track", "at_risk", "off_track", "no_data")

# Keys of a bulletin row, in display order.  `status` is never null and
# `reasons` is the explanation itself; every other key may be null and is
# then explained in `reasons`.
ROW_KEYS = (
    "indicator",
    "unit",
    "peer_group",
    "value",
    "value_last_year",
    "growth",
    "growth_source",
    "change_pp",
    "month_value",
    "month_growth",
    "vs_parent_pp",
    "pull_pp",
    "contribution_pct",
    "target_basis",
    "target_period",
    "target_floor",
    "target_stretch",
    "target_top",
    "completion_pct",
    "expected_pct",
    "expected_source",
    "required_growth_floor",
    "required_growth_stretch",
    "required_approximate",
    "rank",
    "rank_tied",
    "rank_of",
    "rank_change",
    "target_rank_floor",
    "target_rank_stretch",
    "target_rank_top",
    "rank_status",
    "status",
    "reasons",
)
EXPLAINED_KEYS = tuple(k for k in ROW_KEYS if k not in ("indicator", "unit", "status", "reasons"))
