"""Time the bulletin: engine vs reference vs one plain group-by over the rows read.

    python bench/bulletin.py            # 15 children × 200 indicators × 2 years (72k rows)
    python bench/bulletin.py --big      # the same parent inside a 4-million-row table

Prints median timings only; nothing is asserted (the machine is shared).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from baozheng.analysis import engine, reference
from baozheng.analysis.model import Indicator, PeerGroup, Target, Unit
from baozheng.analysis.periods import Period

CHILDREN = 15
INDICATORS = 200


def world(extra_units: int, years: tuple[int, ...], seed: int = 7):
    rnd = random.Random(seed)
    indicators = [
        Indicator(
            f"ind{n:03d}",
            kind=("amount", "count", "growth")[n % 3],
            frequency="quarterly" if n % 10 == 0 else "monthly",
            merged_jan_feb=n % 4 != 0,
            direction="down" if n % 17 == 0 else "up",
            additive=n % 3 != 2,
        )
        for n in range(INDICATORS)
    ]
    children = [f"county{n:02d}" for n in range(CHILDREN)]
    units = [Unit("city")] + [
        Unit(code, "city", ("county",) if n < 12 else ("zones",)) for n, code in enumerate(children)
    ]
    groups = [PeerGroup("county", "city", partitions=True), PeerGroup("zones", "city")]
    codes = ["city", *children] + [f"other{n:04d}" for n in range(extra_units)]
    cols: dict[str, list] = {
        k: [] for k in ("indicator", "unit", "year", "month", "value", "growth")
    }
    for ind in indicators:
        for unit in codes:
            level = rnd.uniform(50, 500)
            for year in years:
                for month in range(1, 13):
                    cols["indicator"].append(ind.code)
                    cols["unit"].append(unit)
                    cols["year"].append(year)
                    cols["month"].append(month)
                    growth_only = ind.kind == "growth"
                    cols["value"].append(
                        None if growth_only else level * month * rnd.uniform(0.9, 1.2)
                    )
                    cols["growth"].append(
                        rnd.uniform(-5, 15) if growth_only or rnd.random() < 0.3 else None
                    )
    observations = pl.DataFrame(
        cols,
        schema={
            "indicator": pl.String,
            "unit": pl.String,
            "year": pl.Int64,
            "month": pl.Int64,
            "value": pl.Float64,
            "growth": pl.Float64,
        },
    )
    targets = [
        Target(ind.code, unit.code, years[-1], "growth" if n % 2 else "level", 5000.0, 6000.0)
        for n, ind in enumerate(indicators)
        for unit in units
        if n % 3 != 2 or n % 2
    ]
    return indicators, units, groups, observations, targets


def median(fn, repeat: int) -> float:
    """The median wall time: the machine is shared, so the best run flatters."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--big", action="store_true", help="embed the parent in a 4M-row table")
    args = parser.parse_args()
    years = (2020, 2021, 2022, 2023) if args.big else (2022, 2023)
    extra = (4_000_000 // (INDICATORS * 12 * len(years)) - CHILDREN - 1) if args.big else 0
    indicators, units, groups, observations, targets = world(extra, years)
    period = Period(2023, 6)
    print(
        f"{observations.height:,} observation rows, {len(units)} units, {len(indicators)} indicators"
    )

    codes = {u.code for u in units}
    released = {i.code for i in engine.released_indicators(period, indicators)}
    read = observations.filter(
        pl.col("year").is_in([2022, 2023])
        & pl.col("unit").is_in(list(codes))
        & pl.col("indicator").is_in(list(released))
    )
    baseline = median(
        lambda: read.group_by(["indicator", "unit"]).agg(
            pl.col("value").sum(), pl.col("growth").mean(), pl.len()
        ),
        21,
    )
    call = (period, "city", indicators, units, groups)
    rows = engine.bulletin_rows(*call, observations, targets)
    t_engine = median(lambda: engine.bulletin_rows(*call, observations, targets), 11)
    t_read_only = median(lambda: engine.bulletin_rows(*call, read, targets), 11)
    print(f"rows in the bulletin:          {len(rows):,}")
    print(f"group_by over the {read.height:,} rows read: {baseline * 1000:8.1f} ms")
    print(
        f"engine.bulletin_rows (whole table): {t_engine * 1000:8.1f} ms  ({t_engine / baseline:.1f}× group_by)"
    )
    print(
        f"engine.bulletin_rows (rows read):   {t_read_only * 1000:8.1f} ms  ({t_read_only / baseline:.1f}× group_by)"
    )
    t_reference = median(lambda: reference.bulletin_rows(*call, read.to_dicts(), targets), 3)
    print(
        f"reference.bulletin_rows (rows read, as dicts): {t_reference * 1000:8.1f} ms  "
        f"({t_reference / t_read_only:.1f}× the engine)"
    )


if __name__ == "__main__":
    main()
