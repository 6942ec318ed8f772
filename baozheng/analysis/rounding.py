"""DOMAIN §5's r(x): the one rounding used for display, ranking and status.

Official tables print one decimal, rounded half-up (四舍五入, halves away from
zero) after spreadsheet-style noise removal: the float is first rounded to 10
decimal places, so 5.05 stored as 5.04999999999999982236431605997495353221893310546875
still prints 5.1.  Python's round() would round the binary value half-to-even
and print 5.0, hence `decimal` here.

`r_expr` does the same inside polars, exactly: it splits |x| into an integer
mantissa M and a power of two (|x| = M / 2**s) and performs both roundings
in 128-bit integers, so it agrees with `r` on every finite float (a
hypothesis test checks this), not just on "nice" ones.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Context, Decimal

import polars as pl

from baozheng.analysis.exact import div_const

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


# |x| >= 2**49 has a float spacing of at least 0.125, so the nearest float to
# r(x) (which is within 0.05 of x) is x itself.
_BIG = 2.0**49
# |x| < 2**-60 rounds to 0 at the tenth decimal place already.
_MAX_SHIFT = 52 + 60


def r_expr(x: pl.Expr) -> pl.Expr:
    """Vectorised r(): the same result as `r` for every value, null for null/NaN/inf."""
    mag = x.abs()
    approx = mag.log(2).floor()
    two = pl.lit(2.0)
    # log2 may be off by one near powers of two: correct it exactly.
    exponent = (
        pl.when(two.pow(approx) > mag)
        .then(approx - 1)
        .when(two.pow(approx + 1) <= mag)
        .then(approx + 1)
        .otherwise(approx)
    )
    shift = (52 - exponent).clip(0, _MAX_SHIFT)
    mantissa = (mag * two.pow(shift)).cast(pl.Int128)
    shift_i = shift.cast(pl.UInt32)
    power = pl.lit(2, pl.Int128).pow(shift_i)
    half = pl.lit(2, pl.Int128).pow(shift_i) // 2
    noise_free = (mantissa * 10**10 + half) // power  # |x| in units of 1e-10, half-up
    tenths = (noise_free + 5 * 10**8) // 10**9  # half-up to units of 0.1
    rounded = div_const(tenths, 10) * x.sign()
    return (
        pl.when(x.is_null() | ~x.is_finite())
        .then(None)
        .when(mag >= _BIG)
        .then(x)
        .when(mag < 2.0**-60)
        .then(x * 0.0)
        .otherwise(rounded)
    )
