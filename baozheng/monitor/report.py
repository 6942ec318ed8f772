"""The bulletin of the statistics core, shaped for the monitoring pages.

`baozheng.stats.bulletin` computes the rows (through `monitor.cache`) (docs/rules.md §3) and is the only place
figures are computed; this module only attaches the indicator and unit records to each
row, groups the rows the way the pages show them and filters them to the user's scope.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from baozheng.analysis.periods import Period
from baozheng.analysis.rounding import r
from baozheng.monitor.cache import bulletin_data
from baozheng.monitor.labels import WARNING_STATUSES
from baozheng.org.models import PeerGroup, Unit
from baozheng.org.permissions import in_scope
from baozheng.stats.models import Indicator


class Row:
    """One bulletin row: the contract's keys as attributes, plus the records it names."""

    def __init__(
        self, data: dict[str, Any], indicator: Indicator, unit: Unit, is_parent: bool
    ) -> None:
        self.data = data
        self.indicator = indicator
        self.unit = unit
        self.is_parent = is_parent

    def __getattr__(self, key: str) -> Any:
        try:
            return self.__dict__["data"][key]
        except KeyError:
            raise AttributeError(key) from None

    @property
    def is_warning(self) -> bool:
        return self.data["status"] in WARNING_STATUSES

    @cached_property
    def floor_gap(self) -> float | None:
        """How far the row is from its floor, positive = ahead, in percentage points:
        growth targets r(g) − floor; cumulative level targets r(completion) − r(expected)
        (behind the seasonal or time progress); other level targets r(V) − floor in the
        indicator's measure. Direction "down" mirrors the sign."""
        d = self.data
        if d.get("target_floor") is None:
            return None
        if d.get("target_basis") == "growth":
            mine, bar = r(d.get("growth")), r(d["target_floor"])
        elif d.get("completion_pct") is not None and d.get("expected_pct") is not None:
            return r(r(d["completion_pct"]) - r(d["expected_pct"]))
        else:
            mine, bar = r(d.get("value")), r(d["target_floor"])
        if mine is None or bar is None:
            return None
        gap = mine - bar if self.indicator.direction == "up" else bar - mine
        return r(gap)

    @property
    def gap_kind(self) -> str:
        if self.data.get("target_basis") == "growth":
            return "pp"
        if self.data.get("completion_pct") is not None:
            return "progress"
        return "level"


@dataclass
class Report:
    period: Period
    parent: Unit
    indicators: list[Indicator]
    rows: list[Row]
    groups: dict[str, PeerGroup] = field(default_factory=dict)
    _by_indicator: dict[str, list[Row]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_indicator = {}
        for row in self.rows:
            self._by_indicator.setdefault(row.indicator.code, []).append(row)

    def parent_row(self, indicator: Indicator) -> Row | None:
        return next(
            (row for row in self._by_indicator.get(indicator.code, []) if row.is_parent), None
        )

    def child_rows(self, indicator: Indicator) -> list[Row]:
        return [row for row in self._by_indicator.get(indicator.code, []) if not row.is_parent]

    def rows_of(self, unit: Unit) -> list[Row]:
        return [row for row in self.rows if row.unit == unit]

    def status_counts(self) -> Counter:
        return Counter(row.status for row in self.rows)

    def warnings(self) -> list[Row]:
        return [row for row in self.rows if row.is_warning]

    def by_group(self, indicator: Indicator) -> list[tuple[PeerGroup | None, list[Row]]]:
        """The children of one indicator, each peer group ranked apart (docs/rules.md §1)."""
        grouped: dict[str | None, list[Row]] = {}
        for row in self.child_rows(indicator):
            grouped.setdefault(row.peer_group, []).append(row)
        return [(self.groups.get(code) if code else None, rows) for code, rows in grouped.items()]


class Records:
    """The indicator, unit and peer-group records that bulletins name, read once for every
    bulletin one page shows (the headline shows three: the latest releases of its
    calendars and the releases before them, all naming the same records)."""

    def __init__(self) -> None:
        self.indicators: dict[str, Indicator] = {}
        self.units: dict[str, Unit] = {}
        self.groups: dict[int, dict[str, PeerGroup]] = {}

    def read(self, raw_rows: list[dict[str, Any]]) -> None:
        """Reads the records of `raw_rows` not read before."""
        codes = {row["indicator"] for row in raw_rows} - self.indicators.keys()
        if codes:
            found = Indicator.objects.filter(code__in=codes).select_related("department")
            self.indicators.update((i.code, i) for i in found)
        codes = {row["unit"] for row in raw_rows} - self.units.keys()
        if codes:
            self.units.update((u.code, u) for u in Unit.objects.filter(code__in=codes))

    def groups_of(self, parent: Unit) -> dict[str, PeerGroup]:
        if parent.pk not in self.groups:
            found = PeerGroup.objects.filter(parent=parent)
            self.groups[parent.pk] = {g.code: g for g in found}
        return self.groups[parent.pk]


def load_report(
    period: Period,
    parent: Unit,
    user,
    data: dict | None = None,
    records: Records | None = None,
) -> Report:
    """The bulletin for `parent` at `period` with only the rows of units in the user's scope;
    `records` when the page shows several bulletins."""
    data = data if data is not None else bulletin_data(period, parent)
    raw_rows = data["rows"]
    records = records or Records()
    records.read(raw_rows)
    indicators, units = records.indicators, records.units
    shown_units = {
        code
        for code in {row["unit"] for row in raw_rows}
        if code in units and in_scope(user, units[code])  # a unit deleted since: no row
    }
    rows = [
        Row(row, indicators[row["indicator"]], units[row["unit"]], row["unit"] == parent.code)
        for row in raw_rows
        if row["unit"] in shown_units
    ]
    shown = {row.indicator.code for row in rows}
    ordered = sorted((indicators[code] for code in shown), key=lambda i: (i.order, i.code))
    return Report(period, parent, ordered, rows, records.groups_of(parent))
