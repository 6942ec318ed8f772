"""Polars expressions for one unit's figures (DOMAIN §5), all indicators at once.

Each figure is built as a pair: the value, and `<name>__why`, the reason code
when the value is null.  The reason is the first guard that holds, in the
order `reference.py` checks them; the value is kept only when no guard holds.
The input frame has one row per (indicator, unit) with the stored points
V, G (published growth), L, L12, Vp, Gp, Lp and the indicator's flags.
"""

from __future__ import annotations

import polars as pl

from baozheng.analysis import reasons as why
from baozheng.analysis.model import StatusRules
from baozheng.analysis.rounding import r_expr

c = pl.col
Reason = str | pl.Expr | None


def reason_lit(reason: Reason) -> pl.Expr:
    if isinstance(reason, pl.Expr):
        return reason
    return pl.lit(reason, pl.String)


def first_reason(*cases: tuple[pl.Expr, Reason]) -> pl.Expr:
    """The reason of the first case whose condition holds, else null."""
    cond, reason = cases[0]
    chain = pl.when(cond).then(reason_lit(reason))
    for cond, reason in cases[1:]:
        chain = chain.when(cond).then(reason_lit(reason))
    return chain.otherwise(pl.lit(None, pl.String))


def guarded(name: str, raw: pl.Expr, *cases: tuple[pl.Expr, Reason]) -> list[pl.Expr]:
    """`name` = raw unless a guard (or a non-finite result) explains a null."""
    reason = first_reason(*cases, (~raw.is_finite(), why.ZERO_BASE))
    return [pl.when(reason.is_null()).then(raw).alias(name), reason.alias(f"{name}__why")]


def missing(name: str) -> pl.Expr:
    """Why the stored point `name` (V, L, L12, Vp, Lp) is absent."""
    default = {"V": why.NO_DATA, "L": why.NO_LAST_YEAR, "L12": why.NO_LAST_YEAR}
    return (
        pl.when(c("growth_only"))
        .then(pl.lit(why.GROWTH_ONLY))
        .when(c("derived"))
        .then(pl.lit(why.INCOMPLETE_CHILDREN))
        .otherwise(pl.lit(default.get(name, why.NO_PREVIOUS_RELEASE)))
    )


def growth(v: str, g: str, lv: str, name: str) -> list[pl.Expr]:
    """Published growth wins; else (V/L − 1)·100 with its null cases."""
    raw = pl.when(c(g).is_not_null()).then(c(g)).otherwise((c(v) / c(lv) - 1) * 100)
    return guarded(
        name,
        raw,
        (c(g).is_not_null(), None),
        (c("growth_only"), why.NO_DATA),
        (c(v).is_null(), missing(v)),
        (c(lv).is_null(), missing(lv)),
        (c(lv) == 0, why.ZERO_BASE),
        (c(lv) < 0, why.NEGATIVE_BASE),
    )


def growth_source() -> pl.Expr:
    return (
        pl.when(c("G").is_not_null())
        .then(pl.lit("published"))
        .when(c("growth").is_not_null())
        .then(pl.lit("computed"))
        .otherwise(pl.lit(None, pl.String))
        .alias("growth_source")
    )


def month_figures() -> list[pl.Expr]:
    """Single-period value and growth; the first release repeats V and g."""
    first = c("first")
    common = ((c("growth_only"), why.GROWTH_ONLY), (~c("cumulative"), why.NOT_CUMULATIVE))
    value = guarded(
        "month_value",
        pl.when(first).then(c("V")).otherwise(c("V") - c("Vp")),
        *common,
        (c("V").is_null(), missing("V")),
        (~first & c("Vp").is_null(), missing("Vp")),
    )
    base = c("L") - c("Lp")
    month_growth = guarded(
        "month_growth",
        pl.when(first).then(c("growth")).otherwise(((c("V") - c("Vp")) / base - 1) * 100),
        *common,
        (first, c("growth__why")),
        (c("V").is_null(), missing("V")),
        (c("Vp").is_null(), missing("Vp")),
        (c("L").is_null(), missing("L")),
        (c("Lp").is_null(), missing("Lp")),
        (base == 0, why.ZERO_BASE),
        (base < 0, why.NEGATIVE_BASE),
    )
    return value + month_growth


def _level_guards() -> tuple[tuple[pl.Expr, Reason], ...]:
    return (
        (c("basis").is_null(), why.NO_TARGET),
        (c("basis") == "growth", why.GROWTH_TARGET),
        (~c("cumulative"), why.NOT_CUMULATIVE),
    )


def completion(v: str, name: str) -> list[pl.Expr]:
    return guarded(
        name,
        c(v) / c("floor") * 100,
        *_level_guards(),
        (c(v).is_null(), missing(v)),
        (c("floor") == 0, why.ZERO_BASE),
        (c("floor") < 0, why.NEGATIVE_BASE),
    )


def expected(time_progress: float) -> list[pl.Expr]:
    """Last year's seasonal share L/L12 where it is sound, else m/12."""
    seasonal = (c("L12") > 0) & (c("L") >= 0) & (c("L") <= c("L12"))
    seasonal = seasonal.fill_null(False)
    reason = first_reason(*_level_guards())
    return [
        pl.when(reason.is_not_null())
        .then(None)
        .when(seasonal)
        .then(c("L") / c("L12") * 100)
        .otherwise(pl.lit(time_progress))
        .alias("expected_pct"),
        reason.alias("expected_pct__why"),
        pl.when(reason.is_not_null())
        .then(pl.lit(None, pl.String))
        .when(seasonal)
        .then(pl.lit("seasonal"))
        .otherwise(pl.lit("time"))
        .alias("expected_source"),
        reason.alias("expected_source__why"),
    ]


def required(month_share: float) -> list[pl.Expr]:
    """倒算目标 for floor and stretch, and whether it is the approximation."""
    blocked = first_reason(
        (c("basis").is_null(), why.NO_TARGET),
        (~c("cumulative"), why.NOT_CUMULATIVE),
        (c("year_over"), why.YEAR_OVER),
    )
    exact_w = (~c("growth_only") & (c("L") > 0) & (c("L") < c("L12"))).fill_null(False)
    w = pl.when(exact_w).then(c("L") / c("L12")).otherwise(pl.lit(month_share))
    out: list[pl.Expr] = []
    for tier in ("floor", "stretch"):
        goal = c(tier)
        by_growth = first_reason(
            (c("growth").is_null(), c("growth__why")),
            (w * (100 + c("growth")) >= 100 + goal, why.TARGET_REACHED),
        )
        by_level = first_reason(
            (c("V").is_null(), missing("V")),
            (goal <= c("V"), why.TARGET_REACHED),
            (c("L").is_null(), missing("L")),
            (c("L12").is_null(), missing("L12")),
            (c("L12") - c("L") <= 0, why.NO_REMAINING_BASE),
        )
        raw = (
            pl.when(c("basis") == "growth")
            .then(((100 + goal) - w * (100 + c("growth"))) / (1 - w) - 100)
            .otherwise(((goal - c("V")) / (c("L12") - c("L")) - 1) * 100)
        )
        out += guarded(
            f"required_growth_{tier}",
            raw,
            (blocked.is_not_null(), blocked),
            (c("basis") == "growth", by_growth),
            (pl.lit(True), by_level),
        )
    return out


def required_approximate() -> list[pl.Expr]:
    neither = c("required_growth_floor").is_null() & c("required_growth_stretch").is_null()
    return [
        pl.when(neither)
        .then(None)
        .when(c("growth_only"))
        .then(True)
        .when(c("basis") == "level")
        .then(False)
        .otherwise(~((c("L") > 0) & (c("L") < c("L12"))).fill_null(False))
        .alias("required_approximate"),
        pl.when(neither).then(c("required_growth_floor__why")).alias("required_approximate__why"),
    ]


def _at_least(x: pl.Expr, threshold: pl.Expr) -> pl.Expr:
    """r(x) reaches r(threshold); "down" indicators mirror the comparison."""
    rx, rt = r_expr(x), r_expr(threshold)
    return pl.when(c("down")).then(rx <= rt).otherwise(rx >= rt).fill_null(False)


def status(rules: StatusRules) -> pl.Expr:
    """亮灯: the light of the row; no figure at all (or not the needed one) is no_data."""
    g, v, floor, stretch = c("growth"), c("V"), c("floor"), c("stretch")
    risk_g = pl.when(c("down")).then(floor + rules.at_risk_growth_pp)
    risk_g = risk_g.otherwise(floor - rules.at_risk_growth_pp)
    exp_r = r_expr(c("expected_pct"))
    risk_c = pl.when(c("down")).then(exp_r + rules.at_risk_completion_pp)
    risk_c = risk_c.otherwise(exp_r - rules.at_risk_completion_pp)
    stretch_done = v / stretch * 100
    exceeds_level = (stretch > 0) & v.is_not_null() & stretch_done.is_finite()
    exceeds_level = exceeds_level & _at_least(stretch_done, c("expected_pct"))
    return (
        pl.when(v.is_null() & g.is_null())
        .then(pl.lit("no_data"))
        .when(c("basis").is_null())
        .then(pl.lit("no_target"))
        .when(c("basis") == "growth")
        .then(
            pl.when(g.is_null())
            .then(pl.lit("no_data"))
            .when(_at_least(g, stretch))
            .then(pl.lit("exceeds"))
            .when(_at_least(g, floor))
            .then(pl.lit("on_track"))
            .when(_at_least(g, risk_g))
            .then(pl.lit("at_risk"))
            .otherwise(pl.lit("off_track"))
        )
        .when(~c("cumulative"))
        .then(
            pl.when(v.is_null())
            .then(pl.lit("no_data"))
            .when(_at_least(v, stretch))
            .then(pl.lit("exceeds"))
            .when(_at_least(v, floor))
            .then(pl.lit("on_track"))
            .otherwise(pl.lit("off_track"))
        )
        .when(c("completion_pct").is_null())
        .then(pl.lit("no_data"))
        .when(exceeds_level.fill_null(False))
        .then(pl.lit("exceeds"))
        .when(_at_least(c("completion_pct"), c("expected_pct")))
        .then(pl.lit("on_track"))
        .when(_at_least(c("completion_pct"), risk_c))
        .then(pl.lit("at_risk"))
        .otherwise(pl.lit("off_track"))
        .alias("status")
    )
