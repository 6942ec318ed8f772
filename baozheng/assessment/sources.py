"""Where an item's figures come from: a registry of small providers.

A provider is `(unit_codes, period, params) -> {unit_code: Decimal | None}`. It asks the app
that owns the figure through that app's public function and never recomputes it here: the
statistics core owns growth, completion and status; key projects own project rates; tasks own
on-time and satisfaction rates; the contest owns its roll-up. Providers of other apps are
registered only when the owning module can be imported (`baozheng.assessment.providers`), so
the product runs with whatever parts are installed. `manual` and `adjustments` read this
app's own tables.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from baozheng.assessment.methods import SchemeError
from baozheng.assessment.periods import AssessmentPeriod

Fetch = Callable[[Sequence[str], AssessmentPeriod, Mapping[str, Any]], dict[str, Decimal | None]]


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    owner: str  # the app whose public function provides the figure
    fetch: Fetch
    required: tuple[str, ...] = ()
    help: str = ""
    choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # param → allowed values

    def describe(self, params: Mapping[str, Any]) -> str:
        detail = "，".join(f"{k}={v}" for k, v in params.items())
        return f"{self.label}（{detail}）" if detail else self.label


SOURCES: dict[str, Source] = {}


def register(source: Source) -> None:
    SOURCES[source.key] = source


def validate(key: str, params: Any) -> None:
    source = SOURCES.get(key)
    if source is None:
        raise SchemeError(f"数据来源“{key}”不可用（所属模块未安装或尚未提供该数据）")
    if not isinstance(params, dict):
        raise SchemeError("来源参数应为 JSON 对象")
    missing = [name for name in source.required if not str(params.get(name, "")).strip()]
    if missing:
        raise SchemeError(f"数据来源“{source.label}”缺少参数：{'、'.join(missing)}")
    for name, allowed in source.choices.items():
        if name in params and params[name] not in allowed:
            raise SchemeError(f"参数“{name}”只能是：{'、'.join(allowed)}")


def fetch(
    key: str, unit_codes: Sequence[str], period: AssessmentPeriod, params: Mapping[str, Any]
) -> dict[str, Decimal | None]:
    """Every requested unit gets an entry (None when the owner has no figure)."""
    validate(key, dict(params))
    found = SOURCES[key].fetch(unit_codes, period, params)
    return {code: found.get(code) for code in unit_codes}


_reads: ContextVar[dict | None] = ContextVar("assessment_shared_reads", default=None)


@contextmanager
def shared_reads() -> Iterator[None]:
    """Within one computation, ask each owner once per key (`shared_read`). Nested, the
    outer one's answers serve: for a run of computations between which no owner's figures
    change (the demo's seven runs, four of them on the same two bulletins)."""
    if _reads.get() is not None:
        yield
        return
    token = _reads.set({})
    try:
        yield
    finally:
        _reads.reset(token)


def shared_read(key: tuple, read: Callable[[], Any]) -> Any:
    memo = _reads.get()
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    return memo[key]


def decimal_or_none(value: Any) -> Decimal | None:
    """Owners hand over floats (the engine's figures) or Decimals; go through str for floats
    so 8.2 stays 8.2 rather than its binary neighbour."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def _manual(
    unit_codes: Sequence[str], period: AssessmentPeriod, params: Mapping[str, Any]
) -> dict[str, Decimal | None]:
    from baozheng.assessment.models import ManualFigure

    rows = ManualFigure.objects.filter(
        key=params["key"],
        unit__code__in=unit_codes,
        period_kind=period.kind,
        period_year=period.year,
        period_month=period.month,
    ).values_list("unit__code", "value")
    return dict(rows)


def _adjustments(
    unit_codes: Sequence[str], period: AssessmentPeriod, params: Mapping[str, Any]
) -> dict[str, Decimal | None]:
    """The sum of the entries' points per unit; no entry is 0, not missing."""
    from baozheng.assessment.models import Adjustment

    sums = dict(
        Adjustment.objects.filter(
            key=params["key"],
            unit__code__in=unit_codes,
            period_kind=period.kind,
            period_year=period.year,
            period_month=period.month,
        )
        .values("unit__code")
        .annotate(total=Sum("points"))
        .values_list("unit__code", "total")
    )
    return {code: sums.get(code, Decimal(0)) for code in unit_codes}


register(
    Source(
        "manual",
        "手工录入数据",
        "assessment",
        _manual,
        ("key",),
        '{"key":"service_support"}：按编码读取录入的数值（须附佐证）',
    )
)
register(
    Source(
        "adjustments",
        "加减分记录",
        "assessment",
        _adjustments,
        ("key",),
        '{"key":"sangeyipi_bonus"}：该编码下本期加分或减分之和',
    )
)
