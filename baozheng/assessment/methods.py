"""Scoring methods of the composite assessment (综合考评, docs/rules.md §7), apart from Django.

An item of a scheme has full points, a method and the method's parameters (JSON). Scoring an
item takes every assessed unit's source figure at once (rank methods need all of them) and
gives each unit a `Scored`: points and the sentence explaining them ("why").

Arithmetic is `Decimal` throughout. Two roundings, both half-up (四舍五入):
- a figure is first rounded to the item's `decimals` (default 1, as bulletins print it), and
  every comparison, rank and ratio uses that printed figure, so the "why" reproduces the score;
- item points are rounded to 0.01, and totals add the rounded item points, so a notice's
  columns add up as printed.

Missing figures (None) follow the item's rule: `zero` scores 0 with the reason said, `exclude`
leaves the item out for that unit (its total is then scaled up, see `standings.unit_total`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, TypeGuard

from baozheng.lib.numbers import never_raises

CENT = Decimal("0.01")
ZERO = Decimal(0)
NIL = Decimal("0.00")  # a zero score, printed like every other score
ONE = Decimal(1)
MISSING_RULES = {"zero": "缺数据计0分", "exclude": "缺数据不参评（按比例折算）"}

Figures = Mapping[str, Decimal | None]


class SchemeError(ValueError):
    """Invalid method parameters; the message is Chinese and shown in the scheme editor."""


@dataclass(frozen=True)
class Scored:
    """One unit's result on one item. `points` None means the item is excluded for the unit."""

    points: Decimal | None
    why: str
    figure: Decimal | None = None
    rank: int | None = None

    @property
    def excluded(self) -> bool:
        return self.points is None


def points2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def to_decimal(value: Any, name: str) -> Decimal:
    """JSON numbers arrive as int/float/str; go through str so 0.1 stays 0.1."""
    if isinstance(value, bool) or value is None:
        raise SchemeError(f"参数“{name}”应为数字")
    try:
        result = Decimal(str(value).strip())
    except InvalidOperation:
        raise SchemeError(f"参数“{name}”应为数字，收到“{value}”") from None
    if not result.is_finite():
        raise SchemeError(f"参数“{name}”应为有限数字")
    return result


def printed(figure: Decimal, decimals: int) -> Decimal:
    return figure.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


@never_raises
def fmt(value: Decimal) -> str:
    """Print without trailing zeros or exponent: 7.50 → 7.5, 10.00 → 10."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- parameters ---------------------------------------------------------------------------


def _param(params: Mapping[str, Any], name: str, default: Any = None) -> Decimal:
    if name not in params:
        if default is None:
            raise SchemeError(f"缺少参数“{name}”")
        return Decimal(default)
    return to_decimal(params[name], name)


def _direction(params: Mapping[str, Any]) -> int:
    value = params.get("direction", "up")
    if value not in ("up", "down"):
        raise SchemeError("参数“direction”只能是 up（越大越好）或 down（越小越好）")
    return 1 if value == "up" else -1


def _decimals(params: Mapping[str, Any]) -> int:
    value = params.get("decimals", 1)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 4:
        raise SchemeError("参数“decimals”应为0到4的整数")
    return value


def _share(params: Mapping[str, Any], name: str, default: str) -> Decimal:
    share = _param(params, name, default)
    if not ZERO <= share <= ONE:
        raise SchemeError(f"参数“{name}”应在0到1之间")
    return share


def _floor_stretch(params: Mapping[str, Any]) -> tuple[Decimal, Decimal]:
    floor, stretch = _param(params, "floor"), _param(params, "stretch")
    if _direction(params) * (stretch - floor) <= 0:
        raise SchemeError("争取目标（stretch）应优于保底目标（floor）")
    return floor, stretch


# --- per-figure methods -------------------------------------------------------------------


def _attainment_ratio(points: Decimal, figure: Decimal, params: Mapping[str, Any]) -> Scored:
    """points × actual/target, the ratio capped (default 1: no credit beyond the target)."""
    target = _param(params, "target", "100")
    cap = _param(params, "cap", "1")
    if target <= 0 or cap <= 0:
        raise SchemeError("参数“target”和“cap”应大于0")
    raw = figure / target
    ratio = max(ZERO, min(raw, cap))
    score = points2(points * ratio)
    shown = fmt(ratio.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))
    note = f"（比值封顶{fmt(cap)}）" if raw > cap else ""
    return Scored(
        score,
        f"完成{fmt(figure)}，目标{fmt(target)}，{fmt(points)}×{shown}{note}＝{fmt(score)}分",
        figure,
    )


def _attainment_steps(points: Decimal, figure: Decimal, params: Mapping[str, Any]) -> Scored:
    """Published step rules: full points at `base` %, minus `short_step` per point short,
    plus each band's step per point within the band; the adjustment capped at ±cap."""
    base = _param(params, "base", "100")
    short_step = _param(params, "short_step", "0")
    cap = _param(params, "cap", "10")
    adjustment = ZERO
    if figure < base:
        adjustment = -short_step * (base - figure)
    else:
        for low, high, step in _bands(params):
            top = figure if high is None else min(figure, high)
            if top > low:
                adjustment += step * (top - low)
    bounded = max(-cap, min(adjustment, cap))
    score = points2(max(ZERO, points + bounded))
    note = "（调整已封顶）" if bounded != adjustment else ""
    sign = "+" if bounded >= 0 else ""
    return Scored(
        score,
        f"完成{fmt(figure)}%，基准{fmt(base)}%，{fmt(points)}{sign}{fmt(points2(bounded))}{note}＝{fmt(score)}分",
        figure,
    )


def _bands(params: Mapping[str, Any]) -> list[tuple[Decimal, Decimal | None, Decimal]]:
    bands = params.get("bands", [])
    if not isinstance(bands, list):
        raise SchemeError("参数“bands”应为列表")
    parsed = []
    for band in bands:
        if not isinstance(band, dict):
            raise SchemeError("“bands”的每一段应为 {from, to, step}")
        high = None if band.get("to") is None else to_decimal(band["to"], "bands.to")
        low = to_decimal(band.get("from"), "bands.from")
        if high is not None and high <= low:
            raise SchemeError("“bands”每一段的 to 应大于 from")
        parsed.append((low, high, to_decimal(band.get("step"), "bands.step")))
    return parsed


def _floor_stretch_share(points: Decimal, figure: Decimal, params: Mapping[str, Any]) -> Scored:
    """Full points at the stretch (争), a share at the floor (保), none below."""
    floor, stretch = _floor_stretch(params)
    share = _share(params, "floor_share", "0.6")
    sign = _direction(params)
    if sign * figure >= sign * stretch:
        return Scored(
            points2(points),
            f"{fmt(figure)}达到争取目标{fmt(stretch)}，得满分{fmt(points2(points))}",
            figure,
        )
    if sign * figure >= sign * floor:
        score = points2(points * share)
        return Scored(
            score,
            f"{fmt(figure)}达到保底目标{fmt(floor)}，得{fmt(share)}×{fmt(points)}＝{fmt(score)}分",
            figure,
        )
    return Scored(NIL, f"{fmt(figure)}未达保底目标{fmt(floor)}，0分", figure)


def _linear(points: Decimal, figure: Decimal, params: Mapping[str, Any]) -> Scored:
    """From `floor_share`×points at the floor up to full points at the stretch, straight line."""
    floor, stretch = _floor_stretch(params)
    share = _share(params, "floor_share", "0")
    sign = _direction(params)
    if sign * figure >= sign * stretch:
        return Scored(
            points2(points),
            f"{fmt(figure)}达到争取目标{fmt(stretch)}，得满分{fmt(points2(points))}",
            figure,
        )
    if sign * figure < sign * floor:
        return Scored(NIL, f"{fmt(figure)}未达保底目标{fmt(floor)}，0分", figure)
    fraction = share + (ONE - share) * (figure - floor) / (stretch - floor)
    score = points2(points * fraction)
    return Scored(
        score,
        f"{fmt(figure)}介于保底{fmt(floor)}与争取{fmt(stretch)}之间，按线性插值得{fmt(score)}分",
        figure,
    )


def _direct(points: Decimal, figure: Decimal, params: Mapping[str, Any]) -> Scored:
    """The figure is itself the score (a manual rating), kept within 0…points."""
    score = points2(max(ZERO, min(figure, points)))
    note = "（已按满分封顶）" if figure > points else ("（不低于0分）" if figure < 0 else "")
    return Scored(score, f"直接计分{fmt(figure)}{note}＝{fmt(score)}分", figure)


def _entries(points: Decimal, figure: Decimal, params: Mapping[str, Any]) -> Scored:
    """Bonus (加分) or penalty (减分) entries: their sum, capped at the item's points."""
    kind = params.get("kind", "bonus")
    if kind not in ("bonus", "penalty"):
        raise SchemeError("参数“kind”只能是 bonus（加分）或 penalty（减分）")
    total = abs(figure)
    bounded = min(total, points)
    note = f"（上限{fmt(points)}分）" if total > points else ""
    if kind == "bonus":
        return Scored(
            points2(bounded), f"加分合计{fmt(total)}{note}，加{fmt(points2(bounded))}分", figure
        )
    return Scored(
        -points2(bounded), f"减分合计{fmt(total)}{note}，减{fmt(points2(bounded))}分", figure
    )


# --- rank methods -------------------------------------------------------------------------


def shared_ranks(values: Figures, direction: int = 1) -> dict[str, int | None]:
    """Competition ranks (1, 2, 2, 4): ties share the best place; None is not ranked."""
    present = [(code, value) for code, value in values.items() if value is not None]
    ordered = sorted((direction * value for _, value in present), reverse=True)
    first_place: dict[Decimal, int] = {}
    for place, value in enumerate(ordered, start=1):
        first_place.setdefault(value, place)
    ranks: dict[str, int | None] = {code: None for code in values}
    for code, value in present:
        ranks[code] = first_place[direction * value]
    return ranks


def _rank_table(params: Mapping[str, Any]) -> list[tuple[int, int, Decimal]]:
    table = params.get("table")
    if not isinstance(table, list) or not table:
        raise SchemeError('参数“table”应为位次赋分表，如 [{"from":1,"to":3,"points":7}]')
    rows = []
    for row in table:
        if not isinstance(row, dict):
            raise SchemeError("位次赋分表的每一行应为 {from, to, points}")
        low, high = row.get("from"), row.get("to", row.get("from"))
        if not (_is_place(low) and _is_place(high)) or high < low:
            raise SchemeError("位次赋分表的 from/to 应为从1开始的名次，且 to 不小于 from")
        rows.append((low, high, to_decimal(row.get("points"), "table.points")))
    return rows


def _is_place(x: object) -> TypeGuard[int]:
    """A place in a rank table: an int (not a bool) from 1 up."""
    return isinstance(x, int) and not isinstance(x, bool) and x >= 1


def _score_by_rank(
    points: Decimal,
    figures: Figures,
    params: Mapping[str, Any],
    rank_points: Callable[[int], Decimal],
) -> dict[str, Scored]:
    ranked = shared_ranks(figures, _direction(params))
    count = sum(1 for r in ranked.values() if r is not None)
    result = {}
    for code, rank in ranked.items():
        if rank is None:
            continue
        figure = figures[code]
        assert figure is not None  # shared_ranks ranks only the units with a figure
        score = points2(max(ZERO, min(rank_points(rank), points)))
        result[code] = Scored(
            score,
            f"{fmt(figure)}，在{count}个单位中列第{rank}名，得{fmt(score)}分",
            figure,
            rank,
        )
    return result


def _by_rank_table(
    points: Decimal, figures: Figures, params: Mapping[str, Any]
) -> dict[str, Scored]:
    table = _rank_table(params)
    default = _param(params, "otherwise", "0")

    def lookup(rank: int) -> Decimal:
        return next((p for low, high, p in table if low <= rank <= high), default)

    return _score_by_rank(points, figures, params, lookup)


def _by_rank_step(
    points: Decimal, figures: Figures, params: Mapping[str, Any]
) -> dict[str, Scored]:
    step = _param(params, "step")
    minimum = _param(params, "min", "0")
    if step < 0:
        raise SchemeError("参数“step”不能为负")
    return _score_by_rank(
        points, figures, params, lambda rank: max(minimum, points - step * (rank - 1))
    )


# --- the registry -------------------------------------------------------------------------


@dataclass(frozen=True)
class Method:
    label: str
    help: str
    per_figure: Callable[[Decimal, Decimal, Mapping[str, Any]], Scored] | None = None
    over_all: Callable[[Decimal, Figures, Mapping[str, Any]], dict[str, Scored]] | None = None
    counts_in_base: bool = True  # bonus/penalty entries stand outside the full score


METHODS: dict[str, Method] = {
    "rank_table": Method(
        "位次赋分（分档表）",
        '{"table":[{"from":1,"to":3,"points":7},{"from":4,"to":6,"points":5},{"from":7,"to":10,"points":3}],"otherwise":0,"direction":"up"}',
        over_all=_by_rank_table,
    ),
    "rank_step": Method(
        "位次赋分（逐名递减）",
        '{"step":0.5,"min":0,"direction":"up"}：第1名满分，每后一名减 step',
        over_all=_by_rank_step,
    ),
    "attainment_ratio": Method(
        "完成率赋分（比例）",
        '{"target":100,"cap":1.2}：分值×实际/目标，比值封顶',
        per_figure=_attainment_ratio,
    ),
    "attainment_steps": Method(
        "完成率赋分（阶梯）",
        '{"base":100,"short_step":0.1,"bands":[{"from":100,"to":130,"step":0.2},{"from":130,"step":0.1}],"cap":10}',
        per_figure=_attainment_steps,
    ),
    "tier": Method(
        "分档（保/争）",
        '{"floor":8,"stretch":9,"floor_share":0.6,"direction":"up"}：达争满分，达保得一定比例，以下0分',
        per_figure=_floor_stretch_share,
    ),
    "linear": Method(
        "保争之间线性",
        '{"floor":8,"stretch":9,"floor_share":0,"direction":"up"}',
        per_figure=_linear,
    ),
    "direct": Method("直接计分", "{}：数值即得分，0至满分之间", per_figure=_direct),
    "entries": Method(
        "加减分",
        '{"kind":"bonus"} 或 {"kind":"penalty"}：合计封顶为本项分值',
        per_figure=_entries,
        counts_in_base=False,
    ),
}
_COMMON = {"direction", "decimals"}
_ALLOWED = {
    "rank_table": {"table", "otherwise"},
    "rank_step": {"step", "min"},
    "attainment_ratio": {"target", "cap"},
    "attainment_steps": {"base", "short_step", "bands", "cap"},
    "tier": {"floor", "stretch", "floor_share"},
    "linear": {"floor", "stretch", "floor_share"},
    "direct": set(),
    "entries": {"kind"},
}


def validate(method: str, params: Any, points: Any, missing: str = "zero") -> None:
    """Raise SchemeError (Chinese) unless the item can be scored; the scheme editor calls it."""
    if method not in METHODS:
        raise SchemeError(f"未知的赋分方法“{method}”")
    if missing not in MISSING_RULES:
        raise SchemeError(f"未知的缺数据规则“{missing}”")
    if not isinstance(params, dict):
        raise SchemeError("方法参数应为 JSON 对象")
    unknown = set(params) - _ALLOWED[method] - _COMMON
    if unknown:
        raise SchemeError(f"方法“{METHODS[method].label}”不认识参数：{'、'.join(sorted(unknown))}")
    full = to_decimal(points, "分值")
    if full <= 0:
        raise SchemeError("分值应大于0")
    probe = {
        "low": Decimal(-1),
        "mid": Decimal(1),
        "high": Decimal(1000),
    }  # every branch parses its params
    score_item(method, params, full, probe, missing)


def score_item(
    method: str, params: Mapping[str, Any], points: Decimal, figures: Figures, missing: str = "zero"
) -> dict[str, Scored]:
    """Score one item for every unit in `figures` (unit code → figure or None)."""
    spec = METHODS.get(method)
    if spec is None:
        raise SchemeError(f"未知的赋分方法“{method}”")
    decimals = _decimals(params)
    rounded = {code: None if f is None else printed(f, decimals) for code, f in figures.items()}
    if spec.per_figure is not None:
        scored = {
            code: spec.per_figure(points, f, params) for code, f in rounded.items() if f is not None
        }
    else:
        assert spec.over_all is not None
        scored = spec.over_all(points, rounded, params)
    for code in figures:
        if code not in scored:
            scored[code] = _missing(missing, spec)
    return scored


def _missing(missing: str, spec: Method) -> Scored:
    if not spec.counts_in_base:
        return Scored(NIL, "无加减分记录，0分")
    if missing == "exclude":
        return Scored(None, "无数据，本项不参评，总分按比例折算")
    return Scored(NIL, "无数据，按规定计0分")
