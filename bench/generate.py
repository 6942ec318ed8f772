"""Province-scale data for the benchmark: 180 units (a province, 17 cities, 162 counties)
× 200 monthly indicators × 10 years of releases (11 a year, 1-2月 merged) ≈ 3.96 million
approved observations, written with plain executemany. Deterministic (seeded).
Revision rows are not generated: the bulletin never reads them."""

from __future__ import annotations

import random
import time
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from baozheng.lib import bulk
from baozheng.org.models import PeerGroup, Unit, UnitKind
from baozheng.stats.models import Indicator, Observation, Target

YEARS = range(2014, 2024)
CITIES = 17
COUNTIES_PER_CITY = 162 // CITIES  # 9, plus the remainder spread over the first cities
INDICATORS = 200
PROVINCE = "BP0000"


def units() -> list[Unit]:
    province, _ = Unit.objects.get_or_create(
        code=PROVINCE, defaults={"name": "基准省", "kind": UnitKind.PROVINCE}
    )
    city_group, _ = PeerGroup.objects.get_or_create(
        code="BP-CITY", defaults={"name": "省辖市", "parent": province, "partitions": True}
    )
    made = [province]
    extra = 162 - COUNTIES_PER_CITY * CITIES
    for c in range(1, CITIES + 1):
        city, _ = Unit.objects.get_or_create(
            code=f"BC{c:02d}00",
            defaults={
                "name": f"基准市{c:02d}",
                "kind": UnitKind.CITY,
                "parent": province,
                "peer_group": city_group,
            },
        )
        group, _ = PeerGroup.objects.get_or_create(
            code=f"BC{c:02d}-COUNTY",
            defaults={"name": "县市区", "parent": city, "partitions": True},
        )
        made.append(city)
        for k in range(1, COUNTIES_PER_CITY + 1 + (1 if c <= extra else 0)):
            county, _ = Unit.objects.get_or_create(
                code=f"BC{c:02d}{k:02d}",
                defaults={
                    "name": f"基准县{c:02d}{k:02d}",
                    "kind": UnitKind.COUNTY,
                    "parent": city,
                    "peer_group": group,
                },
            )
            made.append(county)
    return made


def indicators() -> list[Indicator]:
    made = []
    for n in range(1, INDICATORS + 1):
        kind = "growth" if n % 7 == 0 else ("count" if n % 11 == 0 else "amount")
        indicator, _ = Indicator.objects.get_or_create(
            code=f"BI{n:03d}",
            defaults={
                "name": f"基准指标{n:03d}",
                "measure": "%" if kind == "growth" else "亿元",
                "kind": kind,
                "additive": kind != "growth",
                "cumulative": kind != "growth",
            },
        )
        made.append(indicator)
    return made


def generate() -> int:
    """Create the data unless it is there; return the number of observations."""
    existing = Observation.objects.filter(indicator__code__startswith="BI").count()
    if existing:
        return existing
    started = time.perf_counter()
    with transaction.atomic():
        all_units, all_indicators = units(), indicators()
    rng = random.Random(4)
    now = bulk.db_datetime(timezone.now())
    months = range(2, 13)
    total = 0
    for indicator in all_indicators:
        rows = []
        growth_only = indicator.kind == "growth"
        for unit in all_units:
            size = rng.uniform(5, 500) * (20 if unit.kind == UnitKind.CITY else 1)
            for year in YEARS:
                for month in months:
                    value = (
                        None
                        if growth_only
                        else round(size * month / 12 * (1 + rng.uniform(-0.1, 0.2)), 2)
                    )
                    growth = round(rng.uniform(-5, 15), 1)
                    rows.append(
                        (
                            indicator.pk,
                            unit.pk,
                            year,
                            month,
                            "approved",
                            value,
                            growth,
                            True,
                            "基准",
                            "",
                            now,
                        )
                    )
        with transaction.atomic():
            bulk.insert(
                Observation,
                (
                    "indicator",
                    "unit",
                    "year",
                    "month",
                    "status",
                    "value",
                    "growth",
                    "has_approved",
                    "source",
                    "note",
                    "updated_at",
                ),
                rows,
            )
        total += len(rows)
    with transaction.atomic():
        Target.objects.bulk_create(
            [
                Target(
                    indicator=i,
                    unit=u,
                    year=2023,
                    basis="growth",
                    floor=Decimal("6"),
                    stretch=Decimal("8"),
                )
                for i in all_indicators
                for u in all_units
            ],
            batch_size=5000,
        )
    print(f"生成 {total:,} 条数据用时 {time.perf_counter() - started:.1f} 秒")
    return total
