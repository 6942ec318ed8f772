"""Throughput of the job engine against the number of worker processes (PostgreSQL).

Enqueues N small import jobs (a dry run of a ROWS-row observations CSV each: read,
check and plan, no write, so every job does the same work) and measures, with 1, 2 and
4 `baozheng worker` processes, the time from the commit of the N jobs to the last one
finished, once every worker has run an untimed warm-up job. The baseline is the same N imports run inline, one after another, in this
process, in the same run. Bounded: at most 200 jobs, 300 s per phase; every worker
started is stopped by its PID. Prints the 1-minute load average beside each phase (the
machine is shared).

    BENCH_DATABASE_URL=postgres://USER:PASS@127.0.0.1:5432/EMPTY_DB \\
        .venv/bin/python bench/jobs.py --jobs 40
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.setup_django import ROOT, start

ROWS = 400  # 8 indicators × 10 units × 5 months
MAX_JOBS, PHASE_SECONDS = 200, 300


def csv_bytes() -> bytes:
    lines = ["indicator,unit,period,value,growth"]
    for i in range(8):
        for u in range(10):
            for month in range(3, 8):
                lines.append(f"JB{i},JU{u},2023-{month:02d},{(i + 1) * (u + 1) + month}.5,4.5")
    return ("\n".join(lines) + "\n").encode()


def setup() -> None:
    from baozheng.stats.imports import run_import

    units = "code,name,parent,kind,group,group_partitions\nJP,任务省,,省,,\n"
    units += "".join(f"JU{u},任务县{u},JP,县,县市区,是\n" for u in range(10))
    run_import("units", units.encode(), "units.csv")
    indicators = "code,name,measure,kind\n" + "".join(
        f"JB{i},任务指标{i},亿元,总量\n" for i in range(8)
    )
    run_import("indicators", indicators.encode(), "indicators.csv")


def inline(n: int, data: bytes) -> float:
    from baozheng.stats.imports import run_import

    started = time.perf_counter()
    for _ in range(n):
        report = run_import("observations", data, "jobs.csv", dry_run=True)
        assert report.ok, report.summary()
    return time.perf_counter() - started


def enqueue(n: int, data: bytes) -> list:
    from django.db import transaction

    from baozheng.jobs.models import Job
    from baozheng.jobs.tasks import import_file, upload_dir

    ids = []
    with transaction.atomic():
        for k in range(n):
            job = Job.objects.create(
                kind="import",
                title=f"试导入 {k}",
                params={"kind": "observations", "file_name": "jobs.csv", "dry_run": True},
            )
            folder = upload_dir(job.pk)
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "jobs.csv").write_bytes(data)
            import_file.enqueue(str(job.pk))
            ids.append(job.pk)
    return ids


def wait_finished(ids: list, seconds: float) -> None:
    from baozheng.jobs.models import Job

    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        if not Job.objects.filter(pk__in=ids, finished_at__isnull=True).exists():
            return
        time.sleep(0.05)


def ready(count: int, data: bytes) -> None:
    """Untimed warm-up jobs until every worker has run one: a worker still starting
    (importing Django under load takes seconds) is not counted against the engine."""
    from django_tasks_db.models import DBTaskResult

    since = DBTaskResult.objects.count()
    seen: set[str] = set()
    deadline = time.perf_counter() + 60
    while len(seen) < count and time.perf_counter() < deadline:
        wait_finished(enqueue(count, data), 30)
        done = DBTaskResult.objects.order_by("enqueued_at")[since:]
        seen = {w for r in done for w in r.worker_ids}


def with_workers(count: int, n: int, data: bytes, data_dir: Path) -> tuple[float, int]:
    """Seconds from the commit of `n` jobs to the last one finished, and how many ended
    in state done."""
    from baozheng.jobs.models import Job, JobState

    env = dict(os.environ, BAOZHENG_DATA_DIR=str(data_dir))
    env["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "baozheng.cli", "worker", "--interval", "0.1", "-v", "0"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(count)
    ]
    try:
        ready(count, data)
        ids = enqueue(n, data)
        started = time.perf_counter()
        wait_finished(ids, PHASE_SECONDS)
        elapsed = time.perf_counter() - started
        done = Job.objects.filter(pk__in=ids, state=JobState.DONE).count()
        return elapsed, done
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGINT)
        for worker in workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=40, help=f"jobs per phase (≤ {MAX_JOBS})")
    parser.add_argument("--workers", default="1,2,4", help="worker counts, e.g. 1,2,4")
    args = parser.parse_args()
    if not os.environ.get("BENCH_DATABASE_URL", "").startswith("postgres"):
        sys.exit("BENCH_DATABASE_URL must name an empty PostgreSQL database")
    n = min(args.jobs, MAX_JOBS)
    data_dir = Path(tempfile.mkdtemp(prefix="bz-bench-jobs-"))
    start(data_dir)
    setup()
    data = csv_bytes()
    inline(2, data)  # warm-up: imports loaded, connection open
    load = os.getloadavg()[0]
    seconds = inline(n, data)
    base = n / seconds
    print(f"jobs={n} rows_per_job={ROWS}")
    print(f"inline (same process, sequential): {seconds:.2f} s, {base:.2f} jobs/s, load {load:.2f}")
    for count in (int(c) for c in args.workers.split(",")):
        load = os.getloadavg()[0]
        elapsed, done = with_workers(count, n, data, data_dir)
        rate = done / elapsed
        print(
            f"{count} worker(s): {elapsed:.2f} s, {rate:.2f} jobs/s = {rate / base:.2f}× inline, "
            f"{done}/{n} done, load {load:.2f} → {os.getloadavg()[0]:.2f}"
        )


if __name__ == "__main__":
    main()
