"""The bulletin (通报) for one period and one parent unit, vectorised in polars.

One lazy query does everything for all indicators and units at once: read the
five points each row needs (now, last year, last year's total, the previous
release now and last year), derive the parent from its children where it has
no observation, compute every figure of DOMAIN §5 with its reason, rank
within peer groups, and lay out the rows.  Only the final conversion to dicts
is Python.  `reference.py` computes the same rows one by one and is the
oracle of the tests; read it for the rules in plain words.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from itertools import repeat

import polars as pl
import polars.selectors as cs

from baozheng.analysis import figures as fig
from baozheng.analysis import reasons as why
from baozheng.analysis.inputs import indicator_frame, read_points, target_frame
from baozheng.analysis.model import (
    DEFAULT_RULES,
    Indicator,
    PeerGroup,
    StatusRules,
    Target,
    Unit,
)
from baozheng.analysis.periods import Period, released_indicators
from baozheng.analysis.ranking import rank_columns
from baozheng.analysis.rounding import with_rounded_together
from baozheng.analysis.scope import Scope, resolve_scope

__all__ = ["bulletin_rows", "released_indicators"]

c = pl.col
_POINTS = ("V", "L", "L12", "Vp", "Lp")


def bulletin_rows(
    period: Period,
    parent: str,
    indicators: Sequence[Indicator],
    units: Sequence[Unit],
    groups: Sequence[PeerGroup],
    observations: pl.DataFrame,
    targets: Sequence[Target],
    rules: StatusRules = DEFAULT_RULES,
) -> list[dict]:
    """Every bulletin row for `parent` at `period` (see the module docstring)."""
    released = sorted(released_indicators(period, indicators), key=lambda i: i.code)
    if not released:
        return []
    scope = resolve_scope(parent, units, groups)
    partition = set(scope.partition or ())
    base = pl.concat(
        [
            indicator_frame(period, released, targets, scope.units),
            read_points(observations, period, released, scope.units),
            target_frame(period, targets, released, scope.units),
        ],
        how="horizontal",
    ).lazy()
    base = _with_parent_sums(base.with_columns(in_partition=c("unit").is_in(list(partition))), scope)
    # Eager from here on: the rows are read four times (parent, grandparent,
    # ranks, layout), and a plan sharing them costs more to optimise than the
    # few thousand rows cost to hold; the in-memory engine beats streaming on
    # frames this small.
    stages = _unit_stages(period.month / 12, period.time_progress, rules)
    unit_figures = _apply(base.collect(engine="in-memory"), stages)
    return _to_dicts(_rows(unit_figures, scope))


def _apply(frame: pl.DataFrame, stages: Sequence[fig.Stage]) -> pl.DataFrame:
    """`frame` through each stage in turn, without the "__" temporaries."""
    for stage in stages:
        frame = with_rounded_together(frame, stage) if isinstance(stage, dict) else frame.with_columns(stage)
    return frame.drop(cs.starts_with("__"))


_BLANK_GROWTH_ONLY = [pl.when(c("growth_only")).then(None).otherwise(c(p)).alias(p) for p in _POINTS]
_PARTITION_SUMS = [
    pl.when(c(p).null_count() == 0).then(c(p).sum()).alias(f"__sum_{p}") for p in _POINTS
]
_DERIVABLE = c("additive") & ~c("growth_only") & c("V").is_null() & c("G").is_null()
_DERIVED_POINTS = [
    pl.when(c("derived")).then(c(f"__sum_{p}")).otherwise(c(p)).alias(p) for p in _POINTS
] + [pl.when(c("derived")).then(None).otherwise(c(g)).alias(g) for g in ("G", "Gp")]


def _with_parent_sums(base: pl.LazyFrame, scope: Scope) -> pl.LazyFrame:
    """The parent's own observation wins; else its partition's sums (all or nothing)."""
    base = base.with_columns(_BLANK_GROWTH_ONLY)
    if not scope.partition:
        return base.with_columns(derived=pl.lit(False))
    sums = base.filter(c("in_partition")).group_by("indicator").agg(_PARTITION_SUMS)
    return (
        base.join(sums, on="indicator", how="left")
        .with_columns(derived=(c("unit") == scope.parent) & _DERIVABLE)
        .with_columns(_DERIVED_POINTS)
        .drop(cs.starts_with("__"))
    )


@lru_cache(maxsize=64)
def _unit_stages(month_share: float, time_progress: float, rules: StatusRules) -> tuple[fig.Stage, ...]:
    """Everything that depends on one unit's own figures and target.

    Expressions that read only stored points ride along with the first stage
    whose inputs are ready: every stage is one more pass over the frame.
    """
    growths = fig.figure_stages([fig.growth("V", "G", "L", "growth"), fig.growth("Vp", "Gp", "Lp", "gp")])
    growths[0] = [*fig.missing_columns(), *growths[0], *fig.weights(month_share), *fig.status_inputs(rules)]
    figures = fig.figure_stages(
        [
            *fig.month_figures(),
            fig.completion("V", "completion_pct"),
            fig.completion("Vp", "completion_prev"),
            *fig.required(),
        ]
    )
    figures[0] = [fig.growth_source(), *figures[0]]
    stages = [*growths, *figures]
    stages.append(
        [
            *fig.expected(time_progress),
            *fig.required_approximate(),
            pl.when(c("use_completion")).then(c("completion_pct")).otherwise(c("growth")).alias("metric"),
            pl.when(c("first"))
            .then(None)
            .when(c("use_completion"))
            .then(c("completion_prev"))
            .otherwise(c("gp"))
            .alias("metric_prev"),
        ]
    )
    return tuple(stages + fig.status_stages(rules))  # also rounds the rank metrics


def _layout(scope: Scope) -> pl.LazyFrame:
    groups = [scope.parent_group] + [g for g, _ in scope.child_rows]
    return pl.LazyFrame(
        {
            "peer_group": groups,
            "unit": [scope.parent] + [u for _, u in scope.child_rows],
            "is_parent": [True] + [False] * len(scope.child_rows),
        },
        schema={"peer_group": pl.String, "unit": pl.String, "is_parent": pl.Boolean},
    )


def _rows(unit_figures: pl.DataFrame, scope: Scope) -> pl.DataFrame:
    units = unit_figures.lazy()
    parent = units.filter(c("unit") == scope.parent).select(
        "indicator",
        P_V=c("V"),
        P_L=c("L"),
        P_V__why=c("miss_V"),
        P_L__why=c("miss_L"),
        P_r_growth=c("r_growth"),
    )
    if scope.grandparent is not None:
        grand = units.filter(c("unit") == scope.grandparent)
        grand = grand.select("indicator", GP_r_growth=c("r_growth"))
        parent = parent.join(grand, on="indicator", how="left")
    else:
        parent = parent.with_columns(GP_r_growth=pl.lit(None, pl.Float64))
    rows = (
        _layout(scope)
        .join(units, on="unit", how="inner")
        .join(parent, on="indicator", how="left")
        .join(rank_columns(units, scope.members), on=["indicator", "peer_group", "unit"], how="left")
        .with_columns(
            r_cmp=pl.when(c("is_parent")).then(c("GP_r_growth")).otherwise(c("P_r_growth"))
        )
        .with_columns(vs_diff=c("r_growth") - c("r_cmp"))
        .collect(engine="in-memory")
    )
    return _apply(rows, _ROW_STAGES).sort(
        ["indicator", "is_parent", "peer_group", "rank", "unit"],
        descending=[False, True, False, False, False],
        nulls_last=True,
    )


def _relative_figures() -> list[fig.Figure]:
    """Figures against the parent (or, for the parent row, its own parent)."""
    vs = fig.Figure(
        "vs_parent_pp",
        c("vs_raw"),
        (
            (c("growth").is_null(), c("growth__why")),
            (c("r_cmp").is_null(), why.NO_PARENT_GROWTH),
        ),
    )
    common = (
        (c("is_parent"), why.IS_PARENT),
        (~c("additive"), why.NOT_ADDITIVE),
        (c("growth_only"), why.GROWTH_ONLY),
        (c("V").is_null(), c("miss_V")),
        (c("L").is_null(), c("miss_L")),
    )
    delta = c("V") - c("L")
    pull = fig.Figure(
        "pull_pp",
        delta / c("P_L") * 100,
        (
            *common,
            (c("P_L").is_null(), c("P_L__why")),
            (c("P_L") == 0, why.ZERO_BASE),
            (c("P_L") < 0, why.NEGATIVE_BASE),
        ),
    )
    share = fig.Figure(
        "contribution_pct",
        delta / (c("P_V") - c("P_L")) * 100,
        (
            *common,
            (c("P_V").is_null(), c("P_V__why")),
            (c("P_L").is_null(), c("P_L__why")),
            (c("P_V") == c("P_L"), why.ZERO_BASE),
        ),
    )
    return [vs, pull, share]


def _row_columns() -> list[pl.Expr]:
    """Public names for the stored points, targets and ranks, with their reasons."""
    ungrouped = c("peer_group").is_null()
    rank_why = pl.when(ungrouped | c("rank").is_null()).then(fig.reason_lit(why.NOT_RANKED))
    change_why = rank_why.when(c("rank_change").is_null()).then(fig.reason_lit(why.NO_PREVIOUS_RELEASE))
    no_target = pl.when(c("basis").is_null()).then(fig.reason_lit(why.NO_TARGET))
    return [
        c("V").alias("value"),
        c("miss_V").alias("value__why"),
        c("L").alias("value_last_year"),
        c("miss_L").alias("value_last_year__why"),
        c("growth__why").alias("growth_source__why"),
        c("basis").alias("target_basis"),
        c("floor").alias("target_floor"),
        c("stretch").alias("target_stretch"),
        c("top").alias("target_top"),
        *(no_target.alias(f"target_{k}__why") for k in ("basis", "floor", "stretch")),
        pl.when(c("top").is_null()).then(fig.reason_lit(why.NO_TARGET)).alias("target_top__why"),
        pl.when(ungrouped).then(fig.reason_lit(why.NOT_RANKED)).alias("peer_group__why"),
        pl.when(ungrouped).then(None).otherwise(c("rank_of")).alias("rank_of"),
        pl.when(ungrouped).then(fig.reason_lit(why.NOT_RANKED)).alias("rank_of__why"),
        rank_why.alias("rank__why"),
        change_why.alias("rank_change__why"),
    ]


_ROW_STAGES = (
    {"vs_raw": "vs_diff"},
    *fig.figure_stages(_relative_figures()),
    _row_columns(),
)
# Each row's reasons packed into integers: 5 bits per key holding the reason's
# number + 1 (0: the key has a value), 12 keys per 64-bit integer.
_BITS = 5
_KEYS_PER_WORD = 12
assert len(why.REASON_CODES) < 2**_BITS
_WORDS = tuple(
    why.EXPLAINED_KEYS[n : n + _KEYS_PER_WORD] for n in range(0, len(why.EXPLAINED_KEYS), _KEYS_PER_WORD)
)
_PACKED_REASONS = [
    pl.sum_horizontal(
        pl.when(c(k).is_null())
        .then(c(f"{k}__why").cast(pl.UInt64) + 1)
        .otherwise(pl.lit(0, pl.UInt64))
        * pl.lit(2 ** (_BITS * n), pl.UInt64)
        for n, k in enumerate(keys)
    ).alias(f"reasons{w}")
    for w, keys in enumerate(_WORDS)
]


def _unpack(words: tuple[int, ...]) -> dict[str, str]:
    reasons = {}
    for keys, word in zip(_WORDS, words, strict=True):
        for n, key in enumerate(keys):
            number = (word >> (_BITS * n)) & (2**_BITS - 1)
            if number:
                reasons[key] = why.REASON_CODES[number - 1]
    return reasons


def _to_dicts(rows: pl.DataFrame) -> list[dict]:
    """Rows with the public keys, and `reasons` for the keys that are null.

    Polars packs each row's reason numbers into a few integers; they are
    turned into a dict once per distinct combination, which is far faster
    than building thousands of small dicts key by key.  The public columns are
    selected inside the query, so the joins and the sort carry only them, and
    the dicts are zipped from whole columns, cheaper than polars' `to_dicts`.
    """
    frame = rows.select(*(k for k in why.ROW_KEYS if k != "reasons"), *_PACKED_REASONS)
    columns = [column.to_list() for column in frame.get_columns()]
    words = list(zip(*columns[-len(_WORDS) :], strict=True))
    unpacked = {combination: _unpack(combination) for combination in set(words)}
    columns[-len(_WORDS) :] = [list(map(dict.copy, map(unpacked.__getitem__, words)))]
    # A frame's columns are equally long and it has exactly ROW_KEYS' columns
    # (the select above), so zip needs no checking here; map keeps the loop in C.
    return list(map(dict, map(zip, repeat(why.ROW_KEYS), zip(*columns, strict=False))))
