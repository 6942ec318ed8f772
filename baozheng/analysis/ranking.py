"""位次: ranks within peer groups, now and at the previous release.

Ranks compare the figures as printed, r(x), so 5.04 and 4.96 tie at 5.0; ties
share the best rank (1, 2, 2, 4); "down" indicators rank the lowest first; a
unit without a figure gets no rank instead of silently coming last.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

c = pl.col


def _rank(rounded: str) -> pl.Expr:
    key = c(rounded) * pl.when(c("down")).then(-1.0).otherwise(1.0)
    return key.rank("min", descending=True).over("indicator", "peer_group").cast(pl.Int64)


def rank_columns(units: pl.LazyFrame, members: Mapping[str, tuple[str, ...]]) -> pl.LazyFrame:
    """(indicator, peer_group, unit) → rank, rank_of, rank_change for every member.

    `units` carries r_metric and r_metric_prev: the rank metric now and at the
    previous release, already rounded with r().
    """
    pairs = [(group, unit) for group, names in members.items() for unit in names]
    membership = pl.LazyFrame(
        {"peer_group": [g for g, _ in pairs], "unit": [u for _, u in pairs]},
        schema={"peer_group": pl.String, "unit": pl.String},
    )
    frame = membership.join(
        units.select("indicator", "unit", "down", "r_metric", "r_metric_prev"), on="unit"
    )
    return (
        frame.with_columns(
            rank=_rank("r_metric"),
            rank_of=c("r_metric").count().over("indicator", "peer_group").cast(pl.Int64),
            rank_prev=_rank("r_metric_prev"),
        )
        .select("indicator", "peer_group", "unit", "rank", "rank_of", rank_change=c("rank_prev") - c("rank"))
    )
