"""位次: ranks within peer groups, now and at the previous release.

Ranks compare the figures as printed, r(x), so 5.04 and 4.96 tie at 5.0; ties
share the best rank (1, 2, 2, 4); "down" indicators rank the lowest first; a
unit without a figure gets no rank instead of silently coming last.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from baozheng.analysis.rounding import r_expr

c = pl.col


def _rank(metric: str) -> pl.Expr:
    key = r_expr(c(metric)) * pl.when(c("down")).then(-1.0).otherwise(1.0)
    return key.rank("min", descending=True).over("indicator", "peer_group").cast(pl.Int64)


def rank_columns(units: pl.LazyFrame, members: Mapping[str, tuple[str, ...]]) -> pl.LazyFrame:
    """(indicator, peer_group, unit) → rank, rank_of, rank_change for every member."""
    pairs = [(group, unit) for group, names in members.items() for unit in names]
    membership = pl.LazyFrame(
        {"peer_group": [g for g, _ in pairs], "unit": [u for _, u in pairs]},
        schema={"peer_group": pl.String, "unit": pl.String},
    )
    return (
        membership.join(units.select("indicator", "unit", "down", "metric", "metric_prev"), on="unit")
        .with_columns(
            rank=_rank("metric"),
            rank_of=c("metric").count().over("indicator", "peer_group").cast(pl.Int64),
            rank_prev=_rank("metric_prev"),
        )
        .select("indicator", "peer_group", "unit", "rank", "rank_of", rank_change=c("rank_prev") - c("rank"))
    )
