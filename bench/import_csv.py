"""Time a one-million-row observation CSV import on a fresh SQLite database (or the empty
PostgreSQL database named by BENCH_DATABASE_URL), beside a plain `csv.reader` pass over the
same file in the same run, with the process's peak RSS and the machine's load average.

    python bench/import_csv.py [DATA_DIR] [--rows 2000000]

Run by `bench/run.py` in its own process (its own data directory). The peak RSS is the
whole process's: Django, the generated file and the import.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.setup_django import start

PERIODS = 50
INDICATORS = 125  # × units × 50 periods; 160 units give 1,000,000 rows


def periods(file: int = 0) -> list[str]:
    """The 50 periods of the `file`-th file (each file five years after the one before)."""
    first = 2019 - 5 * file
    return [f"{year}-{month:02d}" for year in range(first, first + 5) for month in range(3, 13)]


def main(data_dir: str, rows: int, files: int) -> None:
    units_count = -(-rows // (INDICATORS * PERIODS))
    start(Path(data_dir))
    from baozheng.stats.imports import run_import

    units = io.StringIO()
    units.write("code,name,parent,kind,group,group_partitions\nIP,导入省,,省,,\n")
    for u in range(units_count):
        units.write(f"IP{u:03d},导入县{u:03d},IP,县,县市区,是\n")
    run_import("units", units.getvalue().encode(), "units.csv")
    indicators = io.StringIO()
    indicators.write("code,name,measure,kind\n")
    for i in range(INDICATORS):
        indicators.write(f"IM{i:03d},导入指标{i:03d},亿元,总量\n")
    run_import("indicators", indicators.getvalue().encode(), "indicators.csv")

    data = observations_csv(rows, units_count, files - 1)
    del units, indicators
    for file in range(files - 1):  # the earlier files of a --files run, one after another
        report = run_import("observations", observations_csv(rows, units_count, file), "f.csv")
        assert report.ok and report.created == rows, report.summary()
        print(
            f"FILE_{file + 1}_PEAK_RSS_MB={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}"
        )
    print(f"LOAD_AVERAGE_BEFORE={os.getloadavg()[0]:.2f}")
    print(f"RSS_BEFORE_IMPORT_MB={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}")
    started = time.perf_counter()
    for _ in csv.reader(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline="")):
        pass
    print(f"BASELINE_CSV_READER_SECONDS={time.perf_counter() - started:.2f}")
    started, cpu, db_cpu = time.perf_counter(), time.process_time(), database_cpu()
    report = run_import("observations", data, "million.csv")
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    db_cpu = database_cpu() - db_cpu
    assert report.ok and report.created == rows, report.summary()
    print(f"IMPORT_ROWS={rows} (rows in the database afterwards: {rows * files})")
    print(f"IMPORT_SECONDS={elapsed:.2f}")
    print(f"IMPORT_CPU_SECONDS={cpu:.2f}")
    if db_cpu:
        print(f"IMPORT_DATABASE_CPU_SECONDS={db_cpu:.2f}")
    print(f"IMPORT_PEAK_RSS_MB={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}")
    print(f"LOAD_AVERAGE_AFTER={os.getloadavg()[0]:.2f}")


def database_cpu() -> float:
    """CPU seconds of this connection's PostgreSQL backend (on this machine), else 0: on
    PostgreSQL the write's work is done there, not in the importing process."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def observations_csv(rows: int, units: int, file: int = 0) -> bytes:
    """`rows` rows: indicators × units × periods, in that order, cut at `rows`."""
    out = io.BytesIO()
    out.write(b"indicator,unit,period,value,growth\n")
    written = 0
    for i in range(INDICATORS):
        for u in range(units):
            lines = [
                f"IM{i:03d},IP{u:03d},{period},{(i + 1) * (u + 1) + n}.25,{(n % 30) - 5}.5\n"
                for n, period in enumerate(periods(file))
            ][: rows - written]
            out.write("".join(lines).encode())
            written += len(lines)
    return out.getvalue()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", nargs="?", default=None)
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows per file")
    parser.add_argument(
        "--files",
        type=int,
        default=1,
        help="files imported one after another in one process (one file holds at most "
        "1,048,576 rows, so 2 million rows are two files); the last one is timed",
    )
    options = parser.parse_args()
    main(options.data_dir or tempfile.mkdtemp(prefix="bz-import-"), options.rows, options.files)
