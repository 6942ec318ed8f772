"""Time a one-million-row observation CSV import on a fresh SQLite database (or the empty
PostgreSQL database named by BENCH_DATABASE_URL).
Run by `bench/run.py` in its own process (its own data directory)."""

from __future__ import annotations

import io
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.setup_django import start

ROWS = 1_000_000
INDICATORS, UNITS = 125, 160  # × 50 periods = 1,000,000 rows


def periods() -> list[str]:
    return [f"{year}-{month:02d}" for year in range(2019, 2024) for month in range(3, 13)]


def main(data_dir: str) -> None:
    start(Path(data_dir))
    from baozheng.stats.imports import run_import

    units = io.StringIO()
    units.write("code,name,parent,kind,group,group_partitions\nIP,导入省,,省,,\n")
    for u in range(UNITS):
        units.write(f"IP{u:03d},导入县{u:03d},IP,县,县市区,是\n")
    run_import("units", units.getvalue().encode(), "units.csv")
    indicators = io.StringIO()
    indicators.write("code,name,measure,kind\n")
    for i in range(INDICATORS):
        indicators.write(f"IM{i:03d},导入指标{i:03d},亿元,总量\n")
    run_import("indicators", indicators.getvalue().encode(), "indicators.csv")

    lines = ["indicator,unit,period,value,growth"]
    for i in range(INDICATORS):
        for u in range(UNITS):
            for n, period in enumerate(periods()):
                lines.append(
                    f"IM{i:03d},IP{u:03d},{period},{(i + 1) * (u + 1) + n}.25,{(n % 30) - 5}.5"
                )
    data = ("\n".join(lines) + "\n").encode()
    assert len(lines) - 1 == ROWS
    started, cpu = time.perf_counter(), time.process_time()
    report = run_import("observations", data, "million.csv")
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert report.ok and report.created == ROWS, report.summary()
    print(f"IMPORT_SECONDS={elapsed:.2f}")
    print(f"IMPORT_CPU_SECONDS={cpu:.2f}")
    print(f"IMPORT_PEAK_RSS_MB={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="bz-import-"))
