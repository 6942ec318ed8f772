"""Demo statistics: 17 indicators of the source interviews, Nanyang's targets (docs/rules.md §3.10) and
plausible monthly figures for Henan, its 18 cities, Nanyang's 13 counties and 4 functional
zones: the previous year in full and the statistics year up to its released period, both
taken from the demo's timeline (`baozheng.org.timeline`; built as 2022 and 2023年1-9月 and
moved onto the anchor's years).

Figures are generated, not real. They are deterministic (a fixed random state) and built around each
unit's target so that the 1-9月 bulletin shows every status (exceeds, on_track,
at_risk, off_track, no_target, no_data), rank changes, published against computed
growth, a parent computed from its counties and one that cannot be (a county's figure of
the released period is still awaiting approval). Months more than two before the released
one are locked, the two before it approved. Months after 1-9月 are extrapolated from each
unit's growth with their own random state, so the 1-9月 figures are the same for every anchor.
Idempotent: indicators and targets are matched by code; observations are only created
when the demo indicators have none.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from baozheng.analysis.periods import release_months
from baozheng.lib import bulk, saved
from baozheng.org import demo as org_demo
from baozheng.org.models import Unit
from baozheng.org.timeline import PUBLISHED_THROUGH, PUBLISHED_YEAR, Timeline
from baozheng.org.timeline import of as timeline_of
from baozheng.stats.models import (
    PENDING_STATUSES,
    Indicator,
    Observation,
    ObservationRevision,
    Status,
    Target,
)
from baozheng.stats.targets import put_targets

PROVINCE = "410000"
CITY = "411300"
WOLONG = "411303"

# Each county's share of Nanyang's economy (they partition the city) and the zones'.
COUNTY_SHARE = {
    "411302": 0.12,
    "411303": 0.13,
    "411321": 0.04,
    "411322": 0.07,
    "411323": 0.07,
    "411324": 0.07,
    "411325": 0.06,
    "411326": 0.06,
    "411327": 0.04,
    "411328": 0.09,
    "411329": 0.05,
    "411330": 0.04,
    "411381": 0.16,
}
ZONE_SHARE = {"411371": 0.05, "411372": 0.03, "411300GZ": 0.01, "411300YH": 0.01}
# Henan's cities relative to Nanyang's size.
CITY_SIZE = {
    "410100": 2.8,
    "410200": 0.62,
    "410300": 1.2,
    "410400": 0.6,
    "410500": 0.55,
    "410600": 0.23,
    "410700": 0.72,
    "410800": 0.45,
    "410900": 0.4,
    "411000": 0.82,
    "411100": 0.39,
    "411200": 0.31,
    "411300": 1.0,
    "411400": 0.71,
    "411500": 0.7,
    "411600": 0.81,
    "411700": 0.76,
    "419001": 0.17,
}
# Cumulative share of the year's flow at the end of each month (seasonal, Dec heavier).
MONTH_WEIGHTS = (7.0, 7.0, 8.0, 8.0, 8.5, 9.0, 8.0, 8.0, 8.5, 9.0, 9.0, 11.0)


@dataclass(frozen=True)
class Spec:
    code: str
    name: str
    measure: str
    kind: str
    department: str
    city_level: float = 0.0  # Nanyang's 2022 full-year value (amounts and counts)
    growth: float = 6.0  # a typical 2023 growth, for units without a target
    frequency: str = "monthly"
    merged: bool = True
    direction: str = "up"
    additive: bool = True
    cumulative: bool = True
    target: tuple[str, float, float, float | None] | None = (
        None  # city's (basis, floor, stretch, top)
    )
    zones: bool = False  # functional zones report it too
    counties: bool = True


SPECS = [
    Spec(
        "A01",
        "地区生产总值",
        "%",
        "growth",
        "411300FGW",
        growth=5.2,
        frequency="quarterly",
        additive=False,
        cumulative=False,
        target=("growth", 8, 9, 10),
    ),
    Spec(
        "A02",
        "规模以上工业增加值",
        "%",
        "growth",
        "411300GXJ",
        growth=6.8,
        additive=False,
        cumulative=False,
        target=("growth", 12, 13, None),
        zones=True,
    ),
    Spec(
        "A03",
        "固定资产投资",
        "%",
        "growth",
        "411300FGW",
        growth=7.5,
        additive=False,
        cumulative=False,
        target=("growth", 10, 12, None),
        zones=True,
    ),
    Spec(
        "A04",
        "工业投资",
        "%",
        "growth",
        "411300GXJ",
        growth=15.0,
        additive=False,
        cumulative=False,
        target=("growth", 20, 22, None),
    ),
    Spec(
        "B01",
        "社会消费品零售总额",
        "亿元",
        "amount",
        "411300SWJ",
        1920.0,
        6.5,
        target=("growth", 12, 13, None),
        zones=True,
    ),
    Spec(
        "B02",
        "进出口总额",
        "亿元",
        "amount",
        "411300SWJ",
        260.0,
        8.0,
        merged=False,
        target=("growth", 10, 12, None),
    ),
    Spec(
        "B03",
        "跨境电商进出口额",
        "亿元",
        "amount",
        "411300SWJ",
        72.0,
        12.0,
        frequency="quarterly",
        target=("growth", 15, 18, None),
    ),
    Spec("B04", "全社会用电量", "亿千瓦时", "amount", "411300GDG", 215.0, 4.5, zones=True),
    # One tier: "税收收入增长6%左右" has no stretch.
    Spec(
        "B05",
        "税收收入",
        "亿元",
        "amount",
        "411300SWU",
        210.0,
        5.0,
        target=("growth", 6, None, None),
    ),
    Spec(
        "B06",
        "一般公共预算收入",
        "亿元",
        "amount",
        "411300CZJ",
        300.0,
        5.5,
        target=("growth", 7, 8, None),
    ),
    Spec("B07", "规模以上工业总产值", "亿元", "amount", "411300GXJ", 3550.0, 7.0, zones=True),
    Spec(
        "C01",
        "新增规上工业企业数",
        "家",
        "count",
        "411300GXJ",
        180.0,
        10.0,
        target=("level", 200, 220, None),
    ),
    Spec(
        "C02",
        "新建5G基站",
        "个",
        "count",
        "411300GXJ",
        1700.0,
        12.0,
        target=("level", 2000, 2200, None),
    ),
    Spec(
        "C03",
        "上云企业数",
        "家",
        "count",
        "411300GXJ",
        2100.0,
        15.0,
        target=("level", 2500, 2600, None),
    ),
    Spec(
        "C04",
        "亿元以上签约项目数",
        "个",
        "count",
        "411300FGW",
        640.0,
        8.0,
        target=("level", 700, 760, None),
    ),
    Spec(
        "C05",
        "省级专精特新中小企业数",
        "家",
        "count",
        "411300GXJ",
        34.0,
        15.0,
        frequency="yearly",
        target=("level", 40, 45, None),
    ),
    Spec(
        "D01",
        "城镇调查失业率",
        "%",
        "rate",
        "411300TJJ",
        5.6,
        0.0,
        direction="down",
        additive=False,
        cumulative=False,
        target=("level", 5.5, 5.2, None),
        counties=False,
    ),
]

# 卧龙区's own targets from the source interviews (GDP 保9, 工业产值 500 亿元, 社零 460 亿元, 100 个亿元项目),
# with 2022 levels that make them plausible.
WOLONG_TARGETS = {
    "A01": ("growth", 9, 10, None),
    "B07": ("level", 500, 520, None),
    "B01": ("level", 460, 480, None),
    "C04": ("level", 100, 110, None),
}
WOLONG_LEVEL_2022 = {"B07": 462.0, "B01": 425.0, "C04": 92.0}
# Nanyang's phase targets (开门红 一季度, 双过半 上半年): (indicator, month) → tiers.
PHASE_TARGETS = {
    ("A01", 3): ("growth", 8.5, 9, None),
    ("A01", 6): ("growth", 8, 8.5, None),
    ("B01", 3): ("growth", 10, 12, None),
    ("B01", 6): ("growth", 11, 12, None),
}
# The source interviews' "各项商务经济指标在全省保三争二抢第一": Nanyang's place among Henan's cities
# on the commerce bureau's indicators.
RANK_TARGET = ("rank", 3, 2, 1)
COMMERCE = "411300SWJ"
# One mid-year adjustment (年中调整), so that a target's history has two versions:
# (indicator, unit) → (points taken off both tiers, reason). Demo targets are dated as
# set in February of the statistics year; the adjustment in July (once the released
# period has reached July).
ADJUSTMENTS = {("B06", "411328"): (1, "年中调整：落实减税降费政策，收入目标下调1个百分点")}
SHANGHAI = ZoneInfo("Asia/Shanghai")


def set_on(year: int) -> datetime:
    return datetime(year, 2, 10, 9, 0, tzinfo=SHANGHAI)


def adjusted_on(year: int) -> datetime:
    return datetime(year, 7, 14, 16, 0, tzinfo=SHANGHAI)


# Offsets (percentage points from the floor's growth) that give each status.
STATUS_OFFSETS = {"growth": (0.6, 0.4, -0.6, -3.0), "level": (10.0, 1.5, -3.5, -10.0)}
PENDING = {
    ("411330", "B01"): Status.SUBMITTED,
    ("411330", "B06"): Status.SUBMITTED,
    ("411327", "A02"): Status.DRAFT,
    ("411329", "B05"): Status.RETURNED,
}
# Counties whose tax office publishes values only (growth computed by the engine).
VALUE_ONLY = {"B05", "B06"}


def _cumulative_share(month: int) -> float:
    return sum(MONTH_WEIGHTS[:month]) / sum(MONTH_WEIGHTS)


class Generator:
    """Builds the figures unit by unit; `rng` starts from a fixed state so every run is identical."""

    def __init__(self) -> None:
        self.rng = random.Random(2023)

    def shares(self, spec: Spec) -> dict[str, float]:
        shares: dict[str, float] = {}
        if spec.counties:
            shares.update(COUNTY_SHARE)
        if spec.zones:
            shares.update(ZONE_SHARE)
        shares.update({code: size for code, size in CITY_SIZE.items()})
        shares[PROVINCE] = sum(CITY_SIZE.values())
        return shares

    def target_growth(self, spec: Spec, unit: str, target: tuple | None, base: float) -> float:
        """The unit's year growth: near its target, offset by the status it should show."""
        if target is None:
            return spec.growth + self.rng.uniform(-3, 3)
        basis, floor, stretch, _ = target
        slot = (int(unit[-2:]) if unit[-2:].isdigit() else 0) + len(spec.code) + int(spec.code[1:])
        offset = STATUS_OFFSETS[basis][slot % 4]
        if basis == "growth":
            return (stretch if slot % 4 == 0 and stretch is not None else floor) + offset
        implied = (floor / base - 1) * 100 if base else spec.growth
        return implied + offset

    def series(
        self, spec: Spec, unit: str, base: float, year_growth: float
    ) -> dict[tuple[int, int], tuple]:
        """(year, month) → (value, growth) for the published shape's two years: the
        previous year in full and the published months of the current one."""
        months = release_months(spec.frequency, spec.merged)
        out: dict[tuple[int, int], tuple] = {}
        drift = self.rng.uniform(-1.5, 1.5)
        last, this = PUBLISHED_YEAR - 1, PUBLISHED_YEAR
        for month in months:
            growth_last = spec.growth + self.rng.uniform(-2, 2)
            if not spec.cumulative and spec.kind != "growth":
                out[(last, month)] = (round(base + self.rng.uniform(-0.2, 0.2), 1), None)
            elif spec.kind == "growth":
                out[(last, month)] = (None, round(growth_last, 1))
            else:
                out[(last, month)] = (base * _cumulative_share(month), round(growth_last, 1))
            if month > PUBLISHED_THROUGH:
                continue
            growth = year_growth + drift * (12 - month) / 12 + self.rng.uniform(-0.6, 0.6)
            out[(this, month)] = _figures(spec, self.rng, base, out[(last, month)][0], growth)
        return out


def _figures(
    spec: Spec, rng: random.Random, base: float, last_value: float | None, growth: float
) -> tuple:
    """(value, growth) of one month of the current year from last year's value."""
    if not spec.cumulative and spec.kind != "growth":
        return (round(base - 0.2 + rng.uniform(-0.2, 0.2), 1), None)
    if spec.kind == "growth":
        return (None, round(growth, 1))
    assert last_value is not None
    return (last_value * (1 + growth / 100), growth)


def extrapolate(
    spec: Spec, unit: str, series: dict[tuple[int, int], tuple], through: int
) -> dict[tuple[int, int], tuple]:
    """The months after the published 1-9月 up to `through`: the latest published growth
    carried on with a small deterministic wobble (a random state per indicator, unit and month,
    so the published months never change)."""
    last, this = PUBLISHED_YEAR - 1, PUBLISHED_YEAR
    months = [
        m for m in release_months(spec.frequency, spec.merged) if PUBLISHED_THROUGH < m <= through
    ]
    published = [m for m in release_months(spec.frequency, spec.merged) if m <= PUBLISHED_THROUGH]
    if not months:
        return {}
    latest = series[(this, published[-1])] if published else (None, spec.growth)
    out = {}
    for month in months:
        rng = random.Random(f"{spec.code}-{unit}-{month}")
        growth = (latest[1] if latest[1] is not None else 0.0) + rng.uniform(-0.4, 0.4)
        base = latest[0] if latest[0] is not None else 0.0
        out[(this, month)] = _figures(spec, rng, base + 0.2, series[(last, month)][0], growth)
    return out


def _targets(spec: Spec) -> dict[str, tuple]:
    """Targets by unit: the city's from the source interviews, counties' split from it, 卧龙区's own."""
    if spec.target is None:
        return {}
    basis, floor, stretch, top = spec.target
    targets = {CITY: spec.target}
    if not spec.counties:
        return targets
    for index, (code, share) in enumerate(sorted(COUNTY_SHARE.items())):
        if basis == "growth":
            bump = (0, 0.5, 1, -0.5)[index % 4]
            targets[code] = ("growth", floor + bump, stretch and stretch + bump, None)
        else:
            scale = 1.0 if spec.code != "C03" else 0.95  # C03's parts fall short of the whole
            targets[code] = (
                "level",
                round(floor * share * scale),
                round(stretch * share * scale),
                top,
            )
    if spec.code in WOLONG_TARGETS:
        targets[WOLONG] = WOLONG_TARGETS[spec.code]
    return targets


def _figure(value: float | None, places: int) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, places)))


# The columns of a demo figure (`bulk.insert_rows`; the others keep their defaults), and
# of its first revision: the figure as entered, pending or approved.
FIGURE_FIELDS = (
    "indicator_id",
    "unit_id",
    "year",
    "month",
    "source",
    "status",
    "value",
    "growth",
    "has_approved",
    "pending_value",
    "pending_growth",
    "note",
)
REVISION_FIELDS = ("observation_id", "status", "source", "created_at", "value", "growth")


def _observations(
    spec: Spec, indicator: Indicator, units: dict[str, Unit], gen: Generator, line: Timeline
) -> list[tuple]:
    """The figures' rows (FIGURE_FIELDS)."""
    targets = _targets(spec)
    rows = []
    # 卧龙区's own published level replaces its share; the other counties shrink so
    # that the counties still add up to the city (they partition it).
    wolong_level = WOLONG_LEVEL_2022.get(spec.code)
    rest = (
        (spec.city_level - wolong_level) / (spec.city_level * (1 - COUNTY_SHARE[WOLONG]))
        if wolong_level
        else 1.0
    )
    for code, share in gen.shares(spec).items():
        if code == WOLONG and wolong_level:
            base = wolong_level
        else:
            base = spec.city_level * share * (rest if code in COUNTY_SHARE else 1.0)
        if spec.kind == "count" and spec.cumulative:
            base = max(round(base), 1)
        if not spec.cumulative and spec.kind != "growth":
            base = spec.city_level + gen.rng.uniform(-0.5, 0.3)
        year_growth = gen.target_growth(spec, code, targets.get(code), base)
        series = gen.series(spec, code, base, year_growth)
        series.update(extrapolate(spec, code, series, line.released.month))
        released = (line.released.year, line.released.month)
        for (published_year, month), (value, growth) in series.items():
            year = published_year + line.offset
            if (year, month) > released:
                continue
            if code == CITY and spec.code in ("B04", "B06"):
                continue  # Nanyang's own figure is left to the engine (sum of counties)
            places = 0 if spec.kind == "count" and spec.cumulative else 2
            if spec.code in VALUE_ONLY and code in COUNTY_SHARE:
                growth = None
            age = (released[0] - year) * 12 + released[1] - month
            status = Status.LOCKED if age > 2 else Status.APPROVED
            pending = PENDING.get((code, spec.code)) if (year, month) == released else None
            figures = (_figure(value, places), _figure(growth, 1))
            key = (indicator.pk, units[code].pk, year, month, "演示数据")
            if pending:
                note = "请核实增速波动原因" if pending == Status.RETURNED else ""
                rows.append((*key, pending, None, None, False, *figures, note))
            else:
                rows.append((*key, status, *figures, True, None, None, ""))
    return rows


def _first_revision(row: tuple, ids: dict[tuple, int]) -> tuple:
    """The REVISION_FIELDS of a figure's row: the figure as entered, pending or approved."""
    indicator, unit, year, month, source, status, value, growth, _, pending, pending_growth, _ = row
    entered = (pending, pending_growth) if status in PENDING_STATUSES else (value, growth)
    return (ids[indicator, unit, year, month], status, source, entered_at(year, month), *entered)


def _indicators(units: dict[str, Unit]) -> list[tuple[Spec, Indicator]]:
    """The demo's indicators: a stored one changed as update_or_create changes it, the
    new ones written together, each as its own save would (`lib.saved.InTurn`; a
    stored one's change in its turn), without update_or_create's read each."""
    stored = set(
        Indicator.objects.filter(code__in=[s.code for s in SPECS]).values_list("code", flat=True)
    )
    made, new = [], saved.InTurn(Indicator)
    for order, spec in enumerate(SPECS, start=1):
        fields = {
            "name": spec.name,
            "measure": spec.measure,
            "kind": spec.kind,
            "frequency": spec.frequency,
            "merged_jan_feb": spec.merged,
            "direction": spec.direction,
            "additive": spec.additive,
            "cumulative": spec.cumulative,
            "department": units.get(spec.department),
            "order": order,
            "is_demo": True,
        }
        if spec.code in stored:
            new.write()
            indicator = Indicator.objects.update_or_create(code=spec.code, defaults=fields)[0]
        else:
            indicator = Indicator(code=spec.code, **fields)
            new.hold(indicator)
        made.append((spec, indicator))
    new.write()
    return made


def _decimal(x: float | None) -> Decimal | None:
    return None if x is None else Decimal(str(x))


def _save_targets(spec: Spec, indicator: Indicator, units: dict[str, Unit], line: Timeline) -> int:
    """The year's targets, Nanyang's phase and rank targets; each with its first
    revision (a rerun changes nothing and writes no history)."""
    wanted = [(code, None, tiers) for code, tiers in _targets(spec).items()]
    wanted += [
        (CITY, month, tiers) for (ind, month), tiers in PHASE_TARGETS.items() if ind == spec.code
    ]
    if spec.department == COMMERCE:
        wanted.append((CITY, None, RANK_TARGET))
    changes = []
    for code, month, (basis, floor, stretch, top) in wanted:
        leader = "分管副市长" if code == CITY else "县（区）长"
        key = {
            "indicator": indicator,
            "unit": units[code],
            "year": line.year,
            "month": month,
            "rank": basis == "rank",
        }
        values = {
            "basis": basis,
            "floor": _decimal(floor),
            "stretch": _decimal(stretch),
            "top": _decimal(top),
            "leader": leader,
            "responsible_unit": units[code] if code != CITY else indicator.department,
            "is_demo": True,
        }
        adjustment = ADJUSTMENTS.get((spec.code, code)) if month is None else None
        if line.released.month < 7:
            adjustment = None  # the mid-year adjustment has not happened yet
        if adjustment and Target.objects.filter(indicator=indicator, unit=units[code]).exists():
            continue  # already set and adjusted by an earlier load
        changes.append((key, values, "演示数据", set_on(line.year)))
        if adjustment:
            points, reason = adjustment
            lowered = {
                "floor": values["floor"] - points,
                "stretch": values["stretch"] and values["stretch"] - points,
            }
            changes.append((key, lowered, reason, adjusted_on(line.year)))
    put_targets(None, changes)
    return len(wanted)


def entered_at(year: int, month: int) -> datetime:
    """When a demo figure was entered: the 3rd of the month after its period, 10:00."""
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return datetime(year, month, 3, 10, 0, tzinfo=SHANGHAI)


@org_demo.one_load()
def load(out: Callable[[str], None], as_of: date | None = None) -> None:
    line = timeline_of(as_of)
    units = {u.code: u for u in Unit.objects.all()}
    if CITY not in units:
        org_demo.create_units()
        units = {u.code: u for u in Unit.objects.all()}
    indicators = _indicators(units)
    targets = sum(_save_targets(spec, indicator, units, line) for spec, indicator in indicators)
    if Observation.objects.filter(indicator__is_demo=True).exists():
        out(f"统计演示数据已存在：{len(indicators)} 个指标，{targets} 个目标")
        return
    gen = Generator()
    rows: list[tuple] = []
    for spec, indicator in indicators:
        rows.extend(_observations(spec, indicator, units, gen, line))
    bulk.insert_rows(Observation, FIGURE_FIELDS, rows)
    keys = Observation.objects.filter(indicator__is_demo=True).values_list(
        "indicator_id", "unit_id", "year", "month", "id"
    )
    ids = {(indicator, unit, year, month): pk for indicator, unit, year, month, pk in keys}
    bulk.insert_rows(
        ObservationRevision, REVISION_FIELDS, (_first_revision(row, ids) for row in rows)
    )
    out(
        f"统计演示数据：{len(indicators)} 个指标，{targets} 个目标，{len(rows)} 条月度数据"
        f"（{line.year - 1}年至{line.released.label}）"
    )
