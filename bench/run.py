"""`python bench/run.py [DATA_DIR]`: the statistics benchmark (issue 3), printed in one run.

1. Generates (once; reused afterwards) province-scale data in DATA_DIR/baozheng.sqlite3
   (default /tmp/bz-bench): ≈ 3.96 million observations.
2. For one period and parent: the database read, the bulletin computation (the engine),
   the floor (one polars group_by over exactly the rows the bulletin reads, in memory)
   and the naive pure-Python peer (`baozheng.analysis.reference`), with ratios.
3. The import of a one-million-row observation CSV into a fresh SQLite database.
Targets: bulletin ≤ 10 × floor, ≥ 20 × faster than the naive peer, import < 30 s.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.setup_django import start

PERIOD = "2023-06"
PARENT = "BC0100"


MEDIANS: dict[str, float] = {}


def best(fn, repeat: int, name: str = "") -> tuple[float, object]:
    """The best of `repeat` runs; the median is kept in MEDIANS[name] (the best flatters)."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    if name:
        MEDIANS[name] = statistics.median(times)
    return min(times), result


def main() -> None:
    data_dir = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/bz-bench")
    start(data_dir)
    import polars as pl

    from baozheng.analysis import reference
    from baozheng.analysis.engine import bulletin_columns, bulletin_rows, rows_of
    from baozheng.org.models import Unit
    from baozheng.stats.bulletin import load_inputs, parse_period
    from bench.generate import generate

    total = generate()
    period, parent = parse_period(PERIOD), Unit.objects.get(code=PARENT)
    read_s, inputs = best(lambda: load_inputs(period, parent), 5, "read")
    args = inputs.engine_args()
    frame = inputs.observations
    bulletin_rows(**args)  # warm-up
    columns_s, columns = best(lambda: bulletin_columns(**args), 7, "columns")
    dicts_s, _ = best(lambda: rows_of(columns), 7, "dicts")
    engine_s, rows = best(lambda: bulletin_rows(**args), 7, "engine")
    floor_s, _ = best(
        lambda: frame.group_by(["indicator", "unit"]).agg(
            pl.col("value").sum().alias("sum"),
            pl.col("value").last(),
            pl.col("growth").last(),
            pl.len(),
        ),
        5,
        "floor",
    )
    naive_s, naive_rows = best(lambda: reference.bulletin_rows(**args), 5, "naive")
    assert len(naive_rows) == len(rows)

    print(f"数据量：{total:,} 条观测值（{Unit.objects.count()} 个单位）")
    print(f"期间 {PERIOD}，上级 {PARENT}：通报 {len(rows)} 行，读取 {frame.height:,} 条观测值")
    m = MEDIANS
    print(f"  {'':26}{'最好':>9}{'中位数':>10}")
    for label, fastest, name in (
        ("数据库读取", read_s, "read"),
        ("通报计算（引擎，得出各列）", columns_s, "columns"),
        ("各列转为逐行字典", dicts_s, "dicts"),
        ("通报计算（引擎，逐行字典）", engine_s, "engine"),
        ("下限（polars 分组）", floor_s, "floor"),
        ("朴素纯 Python（逐行字典）", naive_s, "naive"),
    ):
        print(f"  {label:<26}{fastest * 1000:8.1f} ms{m[name] * 1000:8.1f} ms")
    print(
        f"  引擎/下限 = {columns_s / floor_s:5.1f}×（各列），{engine_s / floor_s:5.1f}×（逐行字典）"
        f"；中位数 {m['columns'] / m['floor']:5.1f}× / {m['engine'] / m['floor']:5.1f}×；目标 ≤ 10×"
    )
    print(
        f"  整份通报（读取 + 引擎逐行字典）/下限 = {(read_s + engine_s) / floor_s:5.1f}×"
        f"；中位数 {(m['read'] + m['engine']) / m['floor']:5.1f}×"
    )
    print(
        f"  朴素/引擎 = {naive_s / columns_s:5.1f}×（各列），{naive_s / engine_s:5.1f}×（逐行字典）"
        f"；中位数 {m['naive'] / m['columns']:5.1f}× / {m['naive'] / m['engine']:5.1f}×；目标 ≥ 20×"
    )

    if os.environ.get("BENCH_SKIP_IMPORT"):
        return
    with tempfile.TemporaryDirectory(prefix="bz-import-") as tmp:
        done = subprocess.run(
            [sys.executable, str(Path(__file__).with_name("import_csv.py")), tmp],
            capture_output=True,
            text=True,
            check=True,
        )
    figures = dict(
        line.split("=") for line in done.stdout.splitlines() if line.startswith("IMPORT_")
    )
    print(
        f"100 万行 CSV 导入（SQLite）{float(figures['IMPORT_SECONDS']):7.1f} s"
        f"（CPU {float(figures['IMPORT_CPU_SECONDS']):.1f} s；目标 < 30 s）"
    )
    print(f"机器负载（1 分钟平均）：{os.getloadavg()[0]:.1f}（{os.cpu_count()} 核）")


if __name__ == "__main__":
    main()
