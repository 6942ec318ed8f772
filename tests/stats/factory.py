"""Small stand-ins for stats tests: a few indicators of every kind, built on the org personas."""

from __future__ import annotations

from decimal import Decimal

from baozheng.org.models import Unit
from baozheng.stats.models import Indicator, Observation, Status


def indicators() -> dict[str, Indicator]:
    swj = Unit.objects.get(code="411300SWJ")
    gxj = Unit.objects.get(code="411300GXJ")
    specs = [
        dict(
            code="RETAIL", name="社会消费品零售总额", measure="亿元", kind="amount", department=swj
        ),
        dict(
            code="GDP",
            name="地区生产总值",
            measure="%",
            kind="growth",
            frequency="quarterly",
            additive=False,
            cumulative=False,
            department=None,
        ),
        dict(code="FIVEG", name="新建5G基站", measure="个", kind="count", department=gxj),
        dict(
            code="TRADE",
            name="进出口总额",
            measure="亿元",
            kind="amount",
            merged_jan_feb=False,
            department=swj,
        ),
        dict(
            code="JOBLESS",
            name="城镇调查失业率",
            measure="%",
            kind="rate",
            direction="down",
            additive=False,
            cumulative=False,
            department=None,
        ),
        dict(
            code="SRDI",
            name="专精特新中小企业数",
            measure="个",
            kind="count",
            frequency="yearly",
            department=gxj,
        ),
    ]
    return {s["code"]: Indicator.objects.create(**s) for s in specs}


def approved(
    indicator: Indicator,
    unit: Unit,
    year: int,
    month: int,
    value: str | None = None,
    growth: str | None = None,
    status: str = Status.APPROVED,
) -> Observation:
    return Observation.objects.create(
        indicator=indicator,
        unit=unit,
        year=year,
        month=month,
        status=status,
        value=Decimal(value) if value is not None else None,
        growth=Decimal(growth) if growth is not None else None,
        has_approved=True,
    )


def csv(text: str) -> bytes:
    return text.strip().encode("utf-8") + b"\n"
