"""Who is importing, what they may touch, and how names resolve to rows (shared by every
importer). `user=None` is the command line, run by the operator of the installation:
full authority, and its observations are approved on arrival."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from baozheng.lib.tabular import ImportReport, match_one, parse_decimal
from baozheng.org.models import Unit, User
from baozheng.org.permissions import can, visible_units
from baozheng.stats.models import ImportBatch, Indicator

_SPACES = re.compile(r"\s+")
CLEAR_MARKS = {"-", "—", "－", "–"}


class NotSupplied:
    """An empty cell: keep whatever is stored (clearing needs an explicit "-")."""

    def __repr__(self) -> str:
        return "NOT_SUPPLIED"


NOT_SUPPLIED = NotSupplied()
Cell = Decimal | None | NotSupplied


def squeeze(text: str) -> str:
    """Names as statistics tables print them ("宛 城 区") compare without spaces."""
    return _SPACES.sub("", text)


_PLAIN: dict[tuple[int, int], re.Pattern] = {}


def _plain(max_digits: int, decimal_places: int) -> re.Pattern:
    """A plain number that certainly fits the column (no separators, no exponent)."""
    pattern = _PLAIN.get((max_digits, decimal_places))
    if pattern is None:
        pattern = re.compile(
            rf"-?\d{{1,{max_digits - decimal_places}}}(\.\d{{1,{decimal_places}}})?"
        )
        _PLAIN[(max_digits, decimal_places)] = pattern
    return pattern


def parse_figure(text: str, max_digits: int, decimal_places: int) -> Cell:
    """An optional figure: "" → not supplied, "-" → clear, else a number that fits the column."""
    if not text:
        return NOT_SUPPLIED
    if _plain(max_digits, decimal_places).fullmatch(text):
        return Decimal(text)  # the common case, checked by the pattern alone
    text = text.strip()
    if not text:
        return NOT_SUPPLIED
    if text in CLEAR_MARKS:
        return None
    number = parse_decimal(text)
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -decimal_places:
        number = number.normalize()
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -decimal_places:
            raise ValueError(f"“{text}”小数位数超过 {decimal_places} 位")
    if abs(number) >= Decimal(10) ** (max_digits - decimal_places):
        raise ValueError(f"“{text}”数值过大")
    return number


@dataclass
class ImportContext:
    user: User | None = None
    channel: str = "cli"
    reason: str = ""
    _units: dict[str, Unit] | None = field(default=None, repr=False)
    _unit_names: list[tuple[str, str]] = field(default_factory=list, repr=False)
    _visible: set[str] = field(default_factory=set, repr=False)
    _unit_cache: dict[str, Unit | str] = field(default_factory=dict, repr=False)
    _indicators: dict[str, Indicator] | None = field(default=None, repr=False)
    _indicator_cache: dict[str, Indicator | str] = field(default_factory=dict, repr=False)

    @property
    def is_operator(self) -> bool:
        return self.user is None

    def may(self, cap: str, unit: Unit | None = None) -> bool:
        return self.user is None or can(self.user, cap, unit)

    def _load_units(self) -> dict[str, Unit]:
        if self._units is None:
            self._units = {u.code: u for u in Unit.objects.select_related("peer_group")}
            visible = (
                set(self._units)
                if self.user is None
                else set(visible_units(self.user).values_list("code", flat=True))
            )
            self._unit_names = [
                (c, squeeze(u.name)) for c, u in self._units.items() if c in visible
            ]
            self._visible = visible
        return self._units

    def unit(self, text: str) -> Unit:
        """A unit in the importer's scope by code or exact name; ValueError lists candidates."""
        found = self._unit_cache.get(text)
        if found is None:
            found = self._resolve_unit(text)
            self._unit_cache[text] = found
        if isinstance(found, str):
            raise ValueError(found)
        return found

    def _resolve_unit(self, text: str) -> Unit | str:
        units = self._load_units()
        key = text.strip()
        if key in units and key not in self._visible:
            return f"地区“{key}”不在您的数据范围内，无权导入"
        try:
            return units[match_one(squeeze(key), self._unit_names, "地区")]
        except ValueError as exc:
            return str(exc)

    def known_unit(self, code: str) -> Unit | None:
        """Any unit by code, in scope or not (for parents of new units)."""
        return self._load_units().get(code)

    def unit_by_pk(self, pk: int | None) -> Unit | None:
        return next((u for u in self._load_units().values() if u.pk == pk), None)

    def indicator(self, text: str) -> Indicator:
        found = self._indicator_cache.get(text)
        if found is None:
            if self._indicators is None:
                self._indicators = {
                    i.code: i for i in Indicator.objects.select_related("department")
                }
            try:
                pairs = [(code, squeeze(i.name)) for code, i in self._indicators.items()]
                found = self._indicators[match_one(squeeze(text), pairs, "指标")]
            except ValueError as exc:
                found = str(exc)
            self._indicator_cache[text] = found
        if isinstance(found, str):
            raise ValueError(found)
        return found


def record_batch(ctx: ImportContext, report: ImportReport, file_name: str) -> ImportBatch:
    """The audit event of an import attempt, dry runs and refused files included."""
    return ImportBatch.objects.create(
        user=ctx.user,
        channel=ctx.channel,
        kind=report.kind,
        file_name=file_name[:200],
        file_hash=report.file_hash,
        rows=report.rows,
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
        errors=len(report.errors),
        dry_run=report.dry_run,
        reason=ctx.reason,
    )


def update_counts(batch: ImportBatch, report: ImportReport) -> None:
    """The final counts of an import whose batch was recorded before its write began."""
    fields = ("rows", "created", "updated", "unchanged")
    for name in fields:
        setattr(batch, name, getattr(report, name))
    batch.save(update_fields=fields)


def failed(report: ImportReport) -> ImportReport:
    """A report with errors changed nothing: its counts would only mislead."""
    report.created = report.updated = report.unchanged = 0
    return report


class Recorded:
    """The statistics imports' audit event (`ImportBatch`) for the importer skeleton
    (`baozheng.lib.tabular.Importer.record`): mixed in before the skeleton's class."""

    ctx: ImportContext
    file_name: str

    def record(self, report: ImportReport, batch: object = None) -> ImportBatch:
        if batch is None:
            return record_batch(self.ctx, report, self.file_name)
        assert isinstance(batch, ImportBatch)
        update_counts(batch, report)
        return batch
