"""The monthly bulletin (通报, docs/rules.md §3 and §9): load what the engine needs in a handful
of queries, run `baozheng.analysis.engine.bulletin_rows`, and return the JSON contract

    {"period": "2023-06", "period_label": "2023年1-6月", "parent": "411300", "rows": [...]}

that screens, exports and other systems read. Permission checks belong to the callers
(`bulletin_for` for users; the command line is the operator).

The observation read is one SQL statement over the unique index: the released
indicators × the units around the parent × years Y and Y−1 × only the months a row
needs (this one, the previous release, December), with the approved figures cast to
float in the database so that no Decimal is built per value.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import polars as pl
from django.db import connection
from django.db.models import FloatField, Q
from django.db.models.functions import Cast

from baozheng.analysis import model as engine_model
from baozheng.analysis.engine import bulletin_rows
from baozheng.analysis.inputs import TARGET_SCHEMA
from baozheng.analysis.periods import Period, previous_release, released_indicators
from baozheng.org.models import PeerGroup, Unit
from baozheng.org.permissions import check
from baozheng.org.roles import Cap
from baozheng.stats.models import Indicator, LightRule, Observation, Target
from baozheng.stats.targets import targets_as_of

OBSERVATION_SCHEMA = {
    "indicator": pl.String,
    "unit": pl.String,
    "year": pl.Int64,
    "month": pl.Int64,
    "value": pl.Float64,
    "growth": pl.Float64,
}


@dataclass
class BulletinInputs:
    """Everything the engine reads for one (period, parent).

    Indicators, units and groups stay model objects (a few hundred at most, and exports
    label rows with them); targets and observations, thousands per bulletin, are frames
    whose indicator and unit columns are Enums of the codes.
    """

    period: Period
    parent: Unit
    indicators: list[Indicator]
    units: list[Unit]
    groups: list[PeerGroup]
    targets: pl.DataFrame
    observations: pl.DataFrame

    def engine_args(self) -> dict:
        return {
            "period": self.period,
            "parent": self.parent.code,
            "indicators": [engine_indicator(i) for i in self.indicators],
            "units": [
                engine_model.Unit(
                    u.code, _parent_code(u), (u.peer_group.code,) if u.peer_group_id else ()
                )
                for u in self.units
            ],
            "groups": [
                engine_model.PeerGroup(g.code, g.parent.code, g.partitions) for g in self.groups
            ],
            "observations": self.observations,
            "targets": self.targets,
            "rules": status_rules(self.indicators),
        }


@dataclass
class Bulletin:
    """The JSON contract (`data`) with the model objects an export needs to label it."""

    inputs: BulletinInputs
    data: dict

    @property
    def indicators(self) -> dict[str, Indicator]:
        return {i.code: i for i in self.inputs.indicators}

    @property
    def units(self) -> dict[str, Unit]:
        return {u.code: u for u in self.inputs.units}

    @property
    def groups(self) -> dict[str, PeerGroup]:
        return {g.code: g for g in self.inputs.groups}


def status_rules(indicators: list[Indicator] | None = None) -> engine_model.StatusRules:
    """Amber-light margins (亮灯规则) as the admin set them on the light-rules page:
    the global row (docs/rules.md §3 defaults when there is none) and per-indicator rows.
    Every page, export and the bulletin read them through here."""
    rules = {r.indicator_id: r for r in LightRule.objects.select_related("indicator")}

    def margins(rule: LightRule | None) -> dict[str, float]:
        if rule is None:
            return {}
        return {
            name: float(getattr(rule, name))
            for name in ("at_risk_growth_pp", "at_risk_completion_pp", "at_risk_rate_pp")
        }

    wanted = None if indicators is None else {i.pk for i in indicators}
    return engine_model.StatusRules(
        **margins(rules.get(None)),
        per_indicator=tuple(
            (rule.indicator.code, engine_model.Margins(**margins(rule)))
            for pk, rule in sorted(rules.items(), key=lambda item: item[0] or 0)
            if pk is not None and (wanted is None or pk in wanted)
        ),
    )


def engine_indicator(i: Indicator) -> engine_model.Indicator:
    return engine_model.Indicator(
        i.code, i.kind, i.frequency, i.merged_jan_feb, i.direction, i.additive, i.cumulative
    )


def _parent_code(unit: Unit) -> str | None:
    codes = unit.path.strip("/").split("/")
    return codes[-2] if len(codes) > 1 else None


def _months(period: Period, indicators: list[Indicator]) -> list[int]:
    months = {period.month, 12}
    for i in indicators:
        prev = previous_release(period, i.frequency, i.merged_jan_feb)
        if prev is not None:
            months.add(prev.month)
    return sorted(months)


def read_observations(
    indicators: list[Indicator], units: list[Unit], years: list[int], months: list[int]
) -> pl.DataFrame:
    """The approved figures (draft and submitted ones live in other columns) as a frame."""
    if not indicators or not units:
        return pl.DataFrame(schema=OBSERVATION_SCHEMA)
    table = connection.ops.quote_name(Observation._meta.db_table)

    def marks(items: list) -> str:
        return ", ".join(["%s"] * len(items))

    sql = (
        f"SELECT indicator_id, unit_id, year, month, CAST(value AS DOUBLE PRECISION), "
        f"CAST(growth AS DOUBLE PRECISION) FROM {table} "
        f"WHERE indicator_id IN ({marks(indicators)}) AND unit_id IN ({marks(units)}) "
        f"AND year IN ({marks(years)}) AND month IN ({marks(months)}) "
        f"AND (value IS NOT NULL OR growth IS NOT NULL)"
    )
    params = [i.pk for i in indicators] + [u.pk for u in units] + years + months
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    frame = pl.DataFrame(
        rows,
        schema={
            "indicator": pl.Int64,
            "unit": pl.Int64,
            "year": pl.Int64,
            "month": pl.Int64,
            "value": pl.Float64,
            "growth": pl.Float64,
        },
        orient="row",
    )
    return with_codes(frame, indicators, units)


def with_codes(frame: pl.DataFrame, indicators: list[Indicator], units: list[Unit]) -> pl.DataFrame:
    """Primary keys replaced by codes, as Enums: the engine numbers the rows through
    the few hundred categories instead of hashing every row's string."""
    indicator_codes = {i.pk: i.code for i in indicators}
    unit_codes = {u.pk: u.code for u in units}
    return frame.with_columns(
        pl.col("indicator").replace_strict(
            indicator_codes, return_dtype=pl.Enum(list(indicator_codes.values()))
        ),
        pl.col("unit").replace_strict(unit_codes, return_dtype=pl.Enum(list(unit_codes.values()))),
    )


def read_targets(
    year: int, indicators: list[Indicator], units: list[Unit], as_of: datetime | None = None
) -> pl.DataFrame:
    """The year's targets as a frame of the engine's `TARGET_SCHEMA`: one query of plain
    tuples, tiers cast to float in the database (as the observations are), codes mapped
    from the records already read.  Building thousands of model instances with their
    related rows cost far more than the bulletin itself.

    With `as_of`, the targets in force at that time (their history, `targets_as_of`):
    what a bulletin computed or released then used."""
    schema = {**TARGET_SCHEMA, "indicator": pl.Int64, "unit": pl.Int64}
    if as_of is not None:
        then = [
            (
                t.indicator_id,
                t.unit_id,
                t.year,
                t.basis,
                float(t.floor),
                None if t.stretch is None else float(t.stretch),
                None if t.top is None else float(t.top),
                t.month,
            )
            for t in targets_as_of(year, indicators, units, as_of)
        ]
        frame = pl.DataFrame(then, schema=schema, orient="row")
        return with_codes(frame, indicators, units)
    rows = (
        Target.objects.filter(
            year=year,
            indicator_id__in=[i.pk for i in indicators],
            unit_id__in=[u.pk for u in units],
        )
        .order_by()
        .values_list(
            "indicator_id",
            "unit_id",
            "year",
            "basis",
            Cast("floor", FloatField()),
            Cast("stretch", FloatField()),
            Cast("top", FloatField()),
            "month",
        )
    )
    return with_codes(pl.DataFrame(list(rows), schema=schema, orient="row"), indicators, units)


def load_inputs(period: Period, parent: Unit, as_of: datetime | None = None) -> BulletinInputs:
    """Five queries: indicators, units, peer groups, targets, observations (and the light
    rules).  `as_of` reads the targets in force at that time instead of today's."""
    indicators = released_indicators(period, list(Indicator.objects.order_by("code")))
    grandparent_id = parent.parent_id
    around = Q(pk=parent.pk) | Q(parent_id=parent.pk)
    if grandparent_id:
        around |= Q(pk=grandparent_id) | Q(parent_id=grandparent_id)
    units = list(Unit.objects.filter(around).select_related("peer_group").order_by("code"))
    groups = list(
        PeerGroup.objects.filter(parent_id__in=[parent.pk, grandparent_id]).select_related("parent")
    )
    targets = read_targets(period.year, indicators, units, as_of)
    observations = read_observations(
        indicators, units, [period.year, period.year - 1], _months(period, indicators)
    )
    return BulletinInputs(period, parent, indicators, units, groups, targets, observations)


def compute(inputs: BulletinInputs) -> Bulletin:
    rows = bulletin_rows(**inputs.engine_args())
    data = {
        "period": inputs.period.code,
        "period_label": inputs.period.label,
        "parent": inputs.parent.code,
        "rows": rows,
    }
    return Bulletin(inputs, data)


def parse_period(text: str | Period) -> Period:
    return text if isinstance(text, Period) else Period.parse(text)


def bulletin(
    period: str | Period, parent: Unit | str | None = None, as_of: datetime | None = None
) -> Bulletin:
    """The bulletin with its labels; `parent` defaults to the unit running the system;
    `as_of` computes with the targets in force at that time (a released bulletin)."""
    if parent is None:
        parent = Unit.objects.home()
    elif isinstance(parent, str):
        parent = Unit.objects.get(code=parent)
    return compute(load_inputs(parse_period(period), parent, as_of))


def bulletin_json(
    period: str | Period, parent: Unit | str | None = None, as_of: datetime | None = None
) -> dict:
    """The JSON contract for one period and parent (no permission check: see `bulletin_for`)."""
    return bulletin(period, parent, as_of).data


def bulletin_for(user, period: str | Period, parent: Unit) -> Bulletin:
    """The bulletin for a user: the parent must lie in the user's scope."""
    check(user, Cap.VIEW, parent)
    return bulletin(period, parent)
