"""Wide parents: the bulletin engine against its floor with 13, 150, 500 and 2,000 children
under one parent (a city's counties up to a province's townships), 100 indicators, 2 years.

    python bench/wide.py [--sizes 13,150,500,2000]

Each size runs in a fresh process (so that its peak memory is its own) and prints medians:
the engine (row dicts) and the floor (one polars group-by over the same rows), their
ratio, the ranking kernel alone beside the former pairwise kernel (same run, same data),
and the rise of peak RSS during one bulletin. Nothing is asserted (the machine is shared).
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

INDICATORS = 100
YEARS = (2022, 2023)


def world(children: int, seed: int = 11):
    import polars as pl

    from baozheng.analysis.model import Indicator, PeerGroup, Target, Unit

    rnd = random.Random(seed)
    indicators = [
        Indicator(
            f"ind{n:03d}",
            kind=("amount", "count", "growth")[n % 3],
            merged_jan_feb=n % 4 != 0,
            direction="down" if n % 17 == 0 else "up",
            additive=n % 3 != 2,
        )
        for n in range(INDICATORS)
    ]
    codes = [f"town{n:04d}" for n in range(children)]
    units = [Unit("parent")] + [Unit(code, "parent", ("towns",)) for code in codes]
    groups = [PeerGroup("towns", "parent", partitions=True)]
    cols: dict[str, list] = {
        k: [] for k in ("indicator", "unit", "year", "month", "value", "growth")
    }
    for ind in indicators:
        for unit in ["parent", *codes]:
            level = rnd.uniform(50, 500)
            for year in YEARS:
                for month in range(1, 13):
                    growth_only = ind.kind == "growth"
                    cols["indicator"].append(ind.code)
                    cols["unit"].append(unit)
                    cols["year"].append(year)
                    cols["month"].append(month)
                    cols["value"].append(
                        None if growth_only else level * month * rnd.uniform(0.9, 1.2)
                    )
                    cols["growth"].append(round(rnd.uniform(-5, 15), 1) if growth_only else None)
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
    targets = [Target(ind.code, "parent", YEARS[-1], "growth", 5.0, 6.0) for ind in indicators]
    return indicators, units, groups, observations, targets


def memory_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def median(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def pairwise_ranks(metric, down):
    """The former kernel: counts who is ahead of whom (members² memory per indicator row)."""
    import numpy as np

    key = np.where(down[:, None], -metric, metric)
    ahead = (key[:, None, :] > key[:, :, None]).sum(axis=2)
    ranked = ~np.isnan(key)
    return np.where(ranked, ahead + 1, 0), ranked.sum(axis=1)


def one(children: int) -> None:
    import numpy as np
    import polars as pl

    from baozheng.analysis import engine
    from baozheng.analysis.periods import Period
    from baozheng.analysis.ranking import ranks

    indicators, units, groups, observations, targets = world(children)
    period = Period(2023, 6)
    call = (period, "parent", indicators, units, groups, observations, targets)
    Path("/proc/self/clear_refs").write_text("5")  # peak RSS (VmHWM) := current RSS
    base = memory_kb("VmRSS")
    rows = engine.bulletin_rows(*call)
    rise_mb = (memory_kb("VmHWM") - base) / 1024
    floor = median(
        lambda: observations.group_by(["indicator", "unit"]).agg(
            pl.col("value").sum().alias("sum"),
            pl.col("value").last(),
            pl.col("growth").last(),
            pl.len(),
        ),
        7,
    )
    repeat = 3 if children >= 500 else 7
    engine_s = median(lambda: engine.bulletin_rows(*call), repeat)
    metric = np.round(np.random.default_rng(1).normal(5, 3, (INDICATORS, children)), 1)
    down = np.arange(INDICATORS) % 17 == 0
    sorted_s = median(lambda: ranks(metric, down), 5)
    pairwise_s = median(lambda: pairwise_ranks(metric, down), 3 if children >= 500 else 5)
    print(
        f"{children:>6}{len(rows):>9,}{engine_s * 1000:>11.1f}{floor * 1000:>10.1f}"
        f"{engine_s / floor:>8.1f}×{sorted_s * 1000:>10.2f}{pairwise_s * 1000:>11.1f}"
        f"{pairwise_s / sorted_s:>8.0f}×{rise_mb:>10.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="13,150,500,2000")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one(args.one)
        return
    print(f"{INDICATORS} 个指标 × {len(YEARS)} 年，一个上级；中位数（ms），每种规模一个新进程")
    print(
        f"{'下级数':>6}{'通报行':>9}{'引擎':>11}{'下限':>10}{'引擎/下限':>9}"
        f"{'排位(排序)':>10}{'排位(两两)':>11}{'两两/排序':>9}{'内存增长MB':>10}"
    )
    for size in (int(n) for n in args.sizes.split(",")):
        subprocess.run([sys.executable, __file__, "--one", str(size)], check=True)


if __name__ == "__main__":
    main()
