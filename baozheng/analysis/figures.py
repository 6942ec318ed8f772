"""Polars expressions for one unit's figures (DOMAIN §5), all indicators at once.

Each figure is a `Figure`: a raw formula and an ordered list of guards.  The
reason code (`<name>__why`) is the first guard that holds, in the order
`reference.py` checks them, or `zero_base` when the formula overflows; the
value is kept only when no guard holds.  Raw values, reasons and values are
added in separate stages and every formula refers to columns only: a polars
plan that nests expressions in expressions grows exponentially.  Temporary
columns start with "__" and are dropped at the end.

The input frame has one row per (indicator, unit) with the stored points
V, G (published growth), L, L12, Vp, Gp, Lp and the indicator's flags.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from baozheng.analysis import reasons as why
from baozheng.analysis.model import StatusRules

c = pl.col
Reason = str | pl.Expr | None
Case = tuple[pl.Expr, Reason]
# One `with_columns` worth of expressions, or a mapping {new: source} of
# columns to round with r() all together (`with_rounded_together`).  Stages
# are built once per set of parameters and reused: building an expression in
# Python costs about as much as polars takes to run it on a bulletin's few
# thousand rows.
Stage = list[pl.Expr] | dict[str, str]


@dataclass(frozen=True)
class Figure:
    name: str
    raw: pl.Expr
    cases: tuple[Case, ...]


# Reason columns hold a code's position in `why.REASON_CODES`, not its text:
# choosing among small integers is about twice as fast as among strings, and
# the texts are put back once per distinct combination when rows are built.
REASON_DTYPE = pl.UInt8
NO_REASON = pl.lit(None, REASON_DTYPE)
_REASON_NUMBER = {code: n for n, code in enumerate(why.REASON_CODES)}


def reason_lit(reason: Reason) -> pl.Expr:
    """A reason as an expression: a column passes through, a code becomes its number."""
    if isinstance(reason, pl.Expr):
        return reason
    return NO_REASON if reason is None else pl.lit(_REASON_NUMBER[reason], REASON_DTYPE)


def first_reason(*cases: Case) -> pl.Expr:
    """The reason of the first case whose condition holds, else null."""
    cond, reason = cases[0]
    chain = pl.when(cond).then(reason_lit(reason))
    for cond, reason in cases[1:]:
        chain = chain.when(cond).then(reason_lit(reason))
    return chain.otherwise(NO_REASON)


def figure_stages(figures: Sequence[Figure]) -> list[list[pl.Expr]]:
    """Each figure and its `__why`, in three flat stages: raw values (`__raw_*`
    temporaries), reasons, then the values kept where there is no reason."""
    raws = [f"__raw_{f.name}" for f in figures]
    return [
        [f.raw.alias(raw) for f, raw in zip(figures, raws, strict=True)],
        [
            first_reason(*f.cases, (~c(raw).is_finite(), why.ZERO_BASE)).alias(f"{f.name}__why")
            for f, raw in zip(figures, raws, strict=True)
        ],
        [
            pl.when(c(f"{f.name}__why").is_null()).then(c(raw)).alias(f.name)
            for f, raw in zip(figures, raws, strict=True)
        ],
    ]


def missing_columns() -> list[pl.Expr]:
    """miss_<point>: why a stored point is absent (growth-only, derived parent, or plain)."""
    default = {"V": why.NO_DATA, "L": why.NO_LAST_YEAR, "L12": why.NO_LAST_YEAR}
    return [
        pl.when(c("growth_only"))
        .then(reason_lit(why.GROWTH_ONLY))
        .when(c("derived"))
        .then(reason_lit(why.INCOMPLETE_CHILDREN))
        .otherwise(reason_lit(default.get(p, why.NO_PREVIOUS_RELEASE)))
        .alias(f"miss_{p}")
        for p in ("V", "L", "L12", "Vp", "Lp")
    ]


def growth(v: str, g: str, lv: str, name: str) -> Figure:
    """Published growth wins; else (V/L − 1)·100 with its null cases."""
    return Figure(
        name,
        pl.when(c(g).is_not_null()).then(c(g)).otherwise((c(v) / c(lv) - 1) * 100),
        (
            (c(g).is_not_null(), None),
            (c("growth_only"), why.NO_DATA),
            (c(v).is_null(), c(f"miss_{v}")),
            (c(lv).is_null(), c(f"miss_{lv}")),
            (c(lv) == 0, why.ZERO_BASE),
            (c(lv) < 0, why.NEGATIVE_BASE),
        ),
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


def month_figures() -> list[Figure]:
    """Single-period value and growth; the first release repeats V and g."""
    first = c("first")
    common = ((c("growth_only"), why.GROWTH_ONLY), (~c("cumulative"), why.NOT_CUMULATIVE))
    base = c("L") - c("Lp")
    value = Figure(
        "month_value",
        pl.when(first).then(c("V")).otherwise(c("V") - c("Vp")),
        (
            *common,
            (c("V").is_null(), c("miss_V")),
            (~first & c("Vp").is_null(), c("miss_Vp")),
        ),
    )
    month_growth = Figure(
        "month_growth",
        pl.when(first).then(c("growth")).otherwise(((c("V") - c("Vp")) / base - 1) * 100),
        (
            *common,
            (first, c("growth__why")),
            (c("V").is_null(), c("miss_V")),
            (c("Vp").is_null(), c("miss_Vp")),
            (c("L").is_null(), c("miss_L")),
            (c("Lp").is_null(), c("miss_Lp")),
            (base == 0, why.ZERO_BASE),
            (base < 0, why.NEGATIVE_BASE),
        ),
    )
    return [value, month_growth]


LEVEL_GUARDS: tuple[Case, ...] = (
    (c("basis").is_null(), why.NO_TARGET),
    (c("basis") == "growth", why.GROWTH_TARGET),
    (~c("cumulative"), why.NOT_CUMULATIVE),
)


def completion(v: str, name: str) -> Figure:
    return Figure(
        name,
        c(v) / c("floor") * 100,
        (
            *LEVEL_GUARDS,
            (c(v).is_null(), c(f"miss_{v}")),
            (c("floor") == 0, why.ZERO_BASE),
            (c("floor") < 0, why.NEGATIVE_BASE),
        ),
    )


def weights(month_share: float) -> list[pl.Expr]:
    """seasonal (L/L12 is a sound expected share), exact_w and w for 倒算, blocked."""
    return [
        ((c("L12") > 0) & (c("L") >= 0) & (c("L") <= c("L12"))).fill_null(False).alias("seasonal"),
        (~c("growth_only") & (c("L") > 0) & (c("L") < c("L12"))).fill_null(False).alias("exact_w"),
        pl.lit(month_share).alias("month_share"),
        first_reason(
            (c("basis").is_null(), why.NO_TARGET),
            (~c("cumulative") & ~c("growth_only"), why.NOT_CUMULATIVE),
            (c("year_over"), why.YEAR_OVER),
        ).alias("blocked"),
    ]


def expected(time_progress: float) -> list[pl.Expr]:
    """Last year's seasonal share L/L12 where it is sound, else m/12."""
    reason = first_reason(*LEVEL_GUARDS)
    return [
        pl.when(reason.is_not_null())
        .then(None)
        .when(c("seasonal"))
        .then(c("L") / c("L12") * 100)
        .otherwise(pl.lit(time_progress))
        .alias("expected_pct"),
        reason.alias("expected_pct__why"),
        pl.when(reason.is_not_null())
        .then(pl.lit(None, pl.String))
        .when(c("seasonal"))
        .then(pl.lit("seasonal"))
        .otherwise(pl.lit("time"))
        .alias("expected_source"),
        reason.alias("expected_source__why"),
    ]


def required() -> list[Figure]:
    """倒算目标 for floor and stretch (needs the columns of `weights`)."""
    w = pl.when(c("exact_w")).then(c("L") / c("L12")).otherwise(c("month_share"))
    by_growth = c("basis") == "growth"
    out = []
    for tier in ("floor", "stretch"):
        goal = c(tier)
        raw = (
            pl.when(by_growth)
            .then(((100 + goal) - w * (100 + c("growth"))) / (1 - w) - 100)
            .otherwise(((goal - c("V")) / (c("L12") - c("L")) - 1) * 100)
        )
        cases: tuple[Case, ...] = (
            (c("blocked").is_not_null(), c("blocked")),
            (by_growth & c("growth").is_null(), c("growth__why")),
            (by_growth & (w * (100 + c("growth")) >= 100 + goal), why.TARGET_REACHED),
            (~by_growth & c("V").is_null(), c("miss_V")),
            (~by_growth & (goal <= c("V")), why.TARGET_REACHED),
            (~by_growth & c("L").is_null(), c("miss_L")),
            (~by_growth & c("L12").is_null(), c("miss_L12")),
            (~by_growth & (c("L12") - c("L") <= 0), why.NO_REMAINING_BASE),
        )
        out.append(Figure(f"required_growth_{tier}", raw, cases))
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
        .otherwise(~c("exact_w"))
        .alias("required_approximate"),
        pl.when(neither).then(c("required_growth_floor__why")).alias("required_approximate__why"),
    ]


def status_inputs(rules: StatusRules) -> list[pl.Expr]:
    """The amber growth threshold, and V and the stretch completion where the
    status reads them (stored points only).

    V is compared as such only for level targets of non-cumulative
    indicators, the stretch completion only for level targets of cumulative
    ones; elsewhere they stay null, so rounding them costs nothing there
    (values near a half take r()'s slow exact path).
    """
    level = c("basis") == "level"
    return [
        pl.when(c("down"))
        .then(c("floor") + rules.at_risk_growth_pp)
        .otherwise(c("floor") - rules.at_risk_growth_pp)
        .alias("risk_g"),
        pl.when(level & ~c("cumulative")).then(c("V")).alias("level_value"),
        pl.when(level & c("cumulative") & (c("stretch") > 0))
        .then(c("V") / c("stretch") * 100)
        .alias("stretch_done"),
    ]


def status_stages(rules: StatusRules) -> list[Stage]:
    """亮灯: every comparison is r(x) against r(threshold); "down" mirrors them.

    Needs the columns of `status_inputs` and of every figure."""
    down = c("down")
    stages: list[Stage] = []
    stages.append(
        {
            "r_growth": "growth",
            "r_level_value": "level_value",
            "r_floor": "floor",
            "r_stretch": "stretch",
            "r_risk_g": "risk_g",
            "r_expected": "expected_pct",
            "r_completion": "completion_pct",
            "r_stretch_done": "stretch_done",
            "r_metric": "metric",
            "r_metric_prev": "metric_prev",
        }
    )
    stages.append(
        [
            pl.when(down)
            .then(c("r_expected") + rules.at_risk_completion_pp)
            .otherwise(c("r_expected") - rules.at_risk_completion_pp)
            .alias("risk_c")
        ]
    )
    stages.append({"r_risk_c": "risk_c"})

    def reaches(x: str, threshold: str) -> pl.Expr:
        return pl.when(down).then(c(x) <= c(threshold)).otherwise(c(x) >= c(threshold)).fill_null(False)

    status = (
        pl.when(c("V").is_null() & c("growth").is_null())
        .then(pl.lit("no_data"))
        .when(c("basis").is_null())
        .then(pl.lit("no_target"))
        .when(c("basis") == "growth")
        .then(
            pl.when(c("growth").is_null())
            .then(pl.lit("no_data"))
            .when(reaches("r_growth", "r_stretch"))
            .then(pl.lit("exceeds"))
            .when(reaches("r_growth", "r_floor"))
            .then(pl.lit("on_track"))
            .when(reaches("r_growth", "r_risk_g"))
            .then(pl.lit("at_risk"))
            .otherwise(pl.lit("off_track"))
        )
        .when(~c("cumulative"))
        .then(
            pl.when(c("V").is_null())
            .then(pl.lit("no_data"))
            .when(reaches("r_level_value", "r_stretch"))
            .then(pl.lit("exceeds"))
            .when(reaches("r_level_value", "r_floor"))
            .then(pl.lit("on_track"))
            .otherwise(pl.lit("off_track"))
        )
        .when(c("completion_pct").is_null())
        .then(pl.lit("no_data"))
        .when(reaches("r_stretch_done", "r_expected"))
        .then(pl.lit("exceeds"))
        .when(reaches("r_completion", "r_expected"))
        .then(pl.lit("on_track"))
        .when(reaches("r_completion", "r_risk_c"))
        .then(pl.lit("at_risk"))
        .otherwise(pl.lit("off_track"))
    )
    stages.append([status.alias("status")])
    return stages
