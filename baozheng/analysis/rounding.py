"""DOMAIN §5's r(x): the one rounding used for display, ranking and status.

Official tables print one decimal, rounded half-up (四舍五入, halves away from
zero) after spreadsheet-style noise removal: the float is first rounded to 10
decimal places, so 5.05 stored as 5.04999999999999982236431605997495353221893310546875
still prints 5.1.  Python's round() would round the binary value half-to-even
and print 5.0, hence `decimal` here.

`r_expr` does the same inside polars: plain float half-up rounding wherever
that provably gives r(x) (x·10 clearly away from a half), and `r` itself for
the few values near a half, so it agrees with `r` on every finite float (a
hypothesis test checks this), not just on "nice" ones.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Context, Decimal

import polars as pl
import polars.selectors as cs

_NOISE = Decimal("1e-10")
_TENTH = Decimal("0.1")
# Enough digits for the largest float with 10 decimals (the default 28 is not).
_CONTEXT = Context(prec=400, rounding=ROUND_HALF_UP)


def r(x: float | None) -> float | None:
    """Round to one decimal the way the bulletin prints it; None stays None."""
    if x is None or not math.isfinite(x):
        return None
    cleaned = Decimal(x).quantize(_NOISE, context=_CONTEXT)
    return float(cleaned.quantize(_TENTH, context=_CONTEXT))


def r_exact(x: float | None) -> float | None:
    """r(x) in integer arithmetic, for the values the vectorised path hands back.

    The same two half-up roundings as `r` (to 10 decimals, then to one) on the
    float's exact value n/d, in plain integers: a few times faster than
    `decimal` and equal to `r` on every float (a hypothesis test checks this).
    """
    if x is None or not math.isfinite(x):
        return None
    n, d = abs(x).as_integer_ratio()
    ten_decimals = (2 * n * 10**10 + d) // (2 * d)
    tenths = (ten_decimals + 5 * 10**8) // 10**9
    return math.copysign(tenths / 10, x)


# Away from a half, r() is plain half-up rounding of the float y = fl(|x|·10):
# y is within ulp(y)/2 <= y·2**-53 of the exact |x|·10, the noise removal
# moves |x|·10 by at most 5e-10, and y + 0.5 adds another ulp(y) at most.  So
# when y's fraction is further than 1e-9 + y·2**-50 from one half, every one
# of these values rounds to the same integer k = floor(y + 0.5), and r(x) is
# the float nearest to k/10 with the sign of x (k/10 is a true division, as
# in `exact.div_const`).  Values nearer to a half, and |x| >= 2**49, NaN and
# infinities, take the exact path, which is `r` itself.
_NOISE_MARGIN = 1e-9
_ERROR_SCALE = 2.0**-50
_BIG = 2.0**49


def _fast(x: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """(r(x) wherever that is plain half-up rounding, whether x needs the exact path)."""
    mag = x.abs()
    y = mag * 10.0
    clear_of_half = (y - y.floor() - 0.5).abs() > y * _ERROR_SCALE + _NOISE_MARGIN
    # y·0 + 10 keeps polars on true division (x / 10.0 becomes x * 0.1).
    value = (y + 0.5).floor() / (y * 0.0 + 10.0) * x.sign()
    return value, ~(clear_of_half & (mag < _BIG)).fill_null(True)


def _exact_where_needed(columns: list[pl.Series]) -> pl.Series:
    """The fast values, with r() itself wherever they may differ from it."""
    x, fast, exact = columns
    where = exact.arg_true()
    if where.len() == 0:
        return fast
    return fast.clone().scatter(where, [r_exact(v) for v in x.gather(where).to_list()])


def _patched(x: pl.Expr, fast: pl.Expr, exact: pl.Expr) -> pl.Expr:
    return pl.map_batches(
        [x, fast, exact], _exact_where_needed, return_dtype=pl.Float64, is_elementwise=True
    )


def r_expr(x: pl.Expr) -> pl.Expr:
    """Vectorised r(): the same result as `r` for every value, null for null/NaN/inf."""
    value, exact = _fast(x.cast(pl.Float64))
    return _patched(x.cast(pl.Float64), value, exact)


def rounded_stages(columns: Mapping[str, str]) -> list[list[pl.Expr]]:
    """r() of each source column under its new name, as two flat stages.

    The same computation as `r_expr`, but the fast value and the flag are
    (temporary, "__"-prefixed) columns, so the query plan stays small however
    many figures are rounded.
    """
    c = pl.col
    fast = {out: f"__fast_{out}" for out in columns}
    exact = {out: f"__exact_{out}" for out in columns}
    first: list[pl.Expr] = []
    for out, src in columns.items():
        value, needs_exact = _fast(c(src))
        first += [value.alias(fast[out]), needs_exact.alias(exact[out])]
    return [
        first,
        [_patched(c(src), c(fast[out]), c(exact[out])).alias(out) for out, src in columns.items()],
    ]


def with_rounded_together(frame: pl.DataFrame, columns: Mapping[str, str]) -> pl.DataFrame:
    """`frame` with r() of each source column added under its new name, in one pass.

    On a bulletin's few thousand rows polars' cost is per expression, not per
    value, so the sources are stacked into one column and rounded once: one
    fast path and one exact patch instead of one of each per column.  Nulls
    stay null without visiting the exact path.
    """
    height = frame.height
    stacked = pl.concat([frame.get_column(src).cast(pl.Float64) for src in columns.values()])
    rounded = _exact_where_needed(pl.DataFrame({"x": stacked}).select(_STACKED).get_columns())
    return frame.with_columns(rounded.slice(n * height, height).alias(out) for n, out in enumerate(columns))


_STACKED_VALUE, _STACKED_NEEDS_EXACT = _fast(pl.col("x"))
# Built once: building the expression costs as much as running it on a few
# thousand values.
_STACKED = (
    pl.col("x"),
    _STACKED_VALUE.alias("fast"),
    (_STACKED_NEEDS_EXACT & pl.col("x").is_not_null()).alias("exact"),
)


def with_rounded(frame: pl.LazyFrame, columns: Mapping[str, str]) -> pl.LazyFrame:
    """`frame` with r() of each source column added under its new name."""
    for stage in rounded_stages(columns):
        frame = frame.with_columns(stage)
    return frame.drop(cs.starts_with("__"))
