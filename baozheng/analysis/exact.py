"""Float arithmetic in polars that gives the same bits as plain Python.

Polars turns `column / constant` into `column * (1 / constant)`, which is not
IEEE division: 3 / 10 gives 0.30000000000000004 there but 0.3 in Python.  The
engine must agree with the reference implementation to the bit where r()
decides a tie, so every division by a constant goes through `div_const`.
"""

from __future__ import annotations

import polars as pl


def div_const(numerator: pl.Expr, constant: float) -> pl.Expr:
    """numerator / constant, rounded once as in Python (null stays null)."""
    # A full-length column as divisor keeps polars on its true-division kernel.
    divisor = numerator.cast(pl.Float64) * 0.0 + float(constant)
    return numerator.cast(pl.Float64) / divisor
