"""docs/rules.md §3's r(x): the one rounding used for display, ranking and status.

Official tables print one decimal, rounded half-up (四舍五入, halves away from
zero) after spreadsheet-style noise removal: the float is first rounded to 10
decimal places, so 5.05 stored as 5.04999999999999982236431605997495353221893310546875
still prints 5.1.  Python's round() would round the binary value half-to-even
and print 5.0, hence `decimal` here.

`r_array` does the same for a numpy array: plain float half-up rounding
wherever that provably gives r(x) (x·10 clearly away from a half), and the
exact integer path for the few values near a half, so it agrees with `r` on
every finite float (a hypothesis test checks this), not just on "nice" ones.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Context, Decimal

import numpy as np

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


def r_finite(x: float) -> float:
    """r(x) of a figure known to be finite: stored figures are, and computed ones pass
    through the guards (`_finite`) before they are compared or subtracted."""
    rounded = r(x)
    assert rounded is not None, f"not a finite figure: {x!r}"
    return rounded


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
# the float nearest to k/10 with the sign of x.  Values nearer to a half, and
# |x| >= 2**49, take the exact path, `r_exact`.
_NOISE_MARGIN = 1e-9
_ERROR_SCALE = 2.0**-50
_BIG = 2.0**49


def fast_path(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(r(x) wherever that is plain half-up rounding, where x needs the exact path).

    NaN (a missing figure) and infinities stay NaN and never need the exact path."""
    with np.errstate(invalid="ignore", over="ignore"):
        mag = np.abs(x)
        y = mag * 10.0
        clear_of_half = np.abs(y - np.floor(y) - 0.5) > y * _ERROR_SCALE + _NOISE_MARGIN
        value = np.copysign(np.floor(y + 0.5) / 10.0, x)
        value[~np.isfinite(x)] = np.nan
        return value, np.isfinite(x) & ~(clear_of_half & (mag < _BIG))


def r_array(x: np.ndarray) -> np.ndarray:
    """r() of every element of a float array; NaN (missing) and infinities give NaN."""
    value, exact = fast_path(x)
    for n in np.flatnonzero(exact).tolist():
        value[n] = r_exact(float(x[n]))
    return value
