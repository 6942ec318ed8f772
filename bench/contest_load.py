"""Load and reliability test of on-site scoring against a real server on loopback.

    DATABASE_URL=postgres://baozheng:baozheng@127.0.0.1:5432/bz_contest_load \\
        /work/venv/bin/python bench/contest_load.py [--duration 60] [--compress 4] [--bursts 2] [--workers 2]

What it does (bounded: it stops by itself after --duration seconds plus setup and checks):
1. Builds, in its own database (flushed first!), the city round's shape: 22 venues, 2,876
   contestants, 200 judges seated nine per venue (six frontline teachers, three researchers).
2. Starts `baozheng serve` (gunicorn + uvicorn workers) on 127.0.0.1.
3. Each judge submits a sheet every 20–40 s of contest time (compressed --compress times),
   over keep-alive connections; 5 % of sheets are sent twice with the same idempotency key
   (a phone retrying). At --bursts moments all 200 judges submit within the same second, as
   the issue puts it: each judge at a moment drawn uniformly from that second. At
   --instant-bursts further moments all 200 send their sheets at the same instant, a
   stricter worst case reported on its own line.
4. Opens a live leaderboard (Server-Sent Events) and measures how long after a sheet is
   stored the board event arrives — the submission and the stream are served by different
   worker processes, so this exercises PostgreSQL LISTEN/NOTIFY.
5. Checks: every acknowledged sheet is stored exactly once, nothing unacknowledged is
   stored, every venue's leaderboard equals the formula applied to the sheets the judges
   sent; reports latency percentiles.
6. Times the pure ranking and prizes for 100,000 contestants.
Exit status 1 if any check fails.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import signal
import subprocess
import sys
import time
import urllib.request
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://baozheng:baozheng@127.0.0.1:5432/bz_contest_load")
os.environ.setdefault("BAOZHENG_DATA_DIR", "/tmp/bz-contest-load")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baozheng.settings")

from bench.contest_load_setup import JUDGES, build, burst_schedule, judge_bursts, pure_timing  # noqa: E402
from bench.http_client import Connection, read_events  # noqa: E402


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]  # nearest-rank percentile


class Load:
    def __init__(
        self,
        port: int,
        plan: dict,
        duration: float,
        compress: float,
        bursts: int,
        seed: int,
        instant: int = 0,
    ) -> None:
        self.port, self.plan, self.duration, self.compress = port, plan, duration, compress
        self.rng = random.Random(seed)
        self.schedule = burst_schedule(duration, bursts, instant)
        self.burst_times = [at for at, _kind in self.schedule]
        # "beside": normal sheets and retries sent while a same-instant burst is being worked off
        # (from 0.5 s before to 3 s after it); kept apart from the target like the burst.
        self.latency: dict[str, list[float]] = {
            "normal": [],
            "burst": [],
            "instant": [],
            "beside": [],
            "retry": [],
        }
        self.quiet: list[float] = []  # normal submissions more than 3 s away from any burst
        self.retries = 0
        self.acknowledged: dict[
            str, tuple[int, int, list[int]]
        ] = {}  # key -> (judge, contestant, points)
        self.failures: list[str] = []
        self.start = 0.0

    def form(self, judge: dict, contestant: int, key: str) -> tuple[bytes, list[int]]:
        points = [self.rng.randint(int(m * 0.6), int(m)) for m in self.plan["item_max"]]
        fields = {
            f"item-{item}": str(p) for item, p in zip(self.plan["item_ids"], points, strict=True)
        }
        fields["idempotency_key"] = key
        return urlencode(fields).encode(), points

    def beside_instant(self, offset: float) -> bool:
        return any(b - 0.5 <= offset <= b + 3 for b, kind in self.schedule if kind == "instant")

    async def submit(self, conn: Connection, judge: dict, contestant: int, kind: str) -> None:
        key = f"{judge['id']}-{contestant}-{self.rng.getrandbits(32):08x}"
        body, points = self.form(judge, contestant, key)
        path = f"/contest/score/{judge['token']}/{contestant}/"
        offset = asyncio.get_running_loop().time() - self.start
        started = time.perf_counter()
        status = await conn.post(path, body)
        latency = time.perf_counter() - started
        self.latency["beside" if kind == "normal" and self.beside_instant(offset) else kind].append(
            latency
        )
        if kind == "normal" and all(not b - 0.5 <= offset <= b + 3 for b in self.burst_times):
            self.quiet.append(latency)
        if status != 302:
            self.failures.append(f"{path} → HTTP {status}")
            return
        self.acknowledged[key] = (judge["id"], contestant, points)
        if (
            self.rng.random() < 0.05
        ):  # the phone did not see the answer and sends the same sheet again
            self.retries += 1
            offset = asyncio.get_running_loop().time() - self.start
            started = time.perf_counter()
            again = await conn.post(path, body)
            self.latency["beside" if self.beside_instant(offset) else "retry"].append(
                time.perf_counter() - started
            )
            if again != 302:
                self.failures.append(f"重复提交 {path} → HTTP {again}")

    async def judge_loop(self, judge: dict) -> None:
        conn = Connection("127.0.0.1", self.port)
        queue = list(judge["contestants"])
        bursts = judge_bursts(self.schedule, self.rng)
        next_at = self.rng.uniform(0, 30) / self.compress
        loop = asyncio.get_running_loop()
        try:
            while queue:
                now = loop.time() - self.start
                if bursts and bursts[0][0] <= next_at:
                    at, kind = bursts.pop(0)
                else:
                    at, kind = next_at, "normal"
                    next_at += self.rng.uniform(20, 40) / self.compress
                if at >= self.duration:
                    break
                await asyncio.sleep(max(0.0, at - now))
                await self.submit(conn, judge, queue.pop(0), kind)
        finally:
            await conn.close()

    async def run(self) -> None:
        self.start = asyncio.get_running_loop().time()
        await asyncio.gather(*(self.judge_loop(j) for j in self.plan["judges"]))


async def board_latency(port: int, plan: dict, samples: int) -> list[float]:
    """Time from a stored sheet (HTTP answer) to the leaderboard event on another connection."""
    probe = plan["probe"]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"GET /contest/board/{probe['venue']}/events/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Accept: text/event-stream\r\n\r\n".encode()
    )
    await writer.drain()
    events = read_events(reader)
    await anext(events)  # the initial board
    conn = Connection("127.0.0.1", port)
    delays = []
    rng = random.Random(7)
    for contestant in probe["contestants"][:samples]:
        fields = {
            f"item-{i}": str(int(m * 0.8))
            for i, m in zip(plan["item_ids"], plan["item_max"], strict=True)
        }
        fields["idempotency_key"] = f"probe-{contestant}-{rng.getrandbits(32)}"
        status = await conn.post(
            f"/contest/score/{probe['token']}/{contestant}/", urlencode(fields).encode()
        )
        stored = time.perf_counter()
        if status != 302:
            raise RuntimeError(f"probe sheet refused: HTTP {status}")
        await asyncio.wait_for(anext(events), timeout=5)
        delays.append(time.perf_counter() - stored)
    await conn.close()
    writer.close()
    return delays


def wait_for_server(port: int, proc: subprocess.Popen, limit: float = 40.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("服务进程已退出，见日志")
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{port}/contest/public/", timeout=2
            ) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("服务未能在限定时间内启动")


def verify(load: Load, port: int) -> list[str]:
    import json

    from baozheng.contest import formula
    from baozheng.contest.models import ScoreLine, ScoreSheet

    problems = []
    stored = dict(
        ScoreSheet.objects.filter(session__venue__zone__contest__code="LOAD")
        .exclude(idempotency_key__startswith="probe-")
        .values_list("idempotency_key", "judge_id")
    )
    missing = set(load.acknowledged) - set(stored)
    extra = set(stored) - set(load.acknowledged)
    if missing:
        problems.append(f"丢失 {len(missing)} 张已确认的评分表")
    if extra:
        problems.append(f"多出 {len(extra)} 张未确认的评分表")
    pairs = ScoreSheet.objects.filter(session__venue__zone__contest__code="LOAD").values_list(
        "judge_id", "contestant_id"
    )
    if len(set(pairs)) != len(pairs):
        problems.append("同一评委对同一选手有重复评分表")
    lines = ScoreLine.objects.filter(sheet__session__venue__zone__contest__code="LOAD").count()
    expected_lines = (
        len(stored) + ScoreSheet.objects.filter(idempotency_key__startswith="probe-").count()
    ) * len(load.plan["item_ids"])
    if lines != expected_lines:
        problems.append(f"评分项行数 {lines} ≠ {expected_lines}")
    # Leaderboards against the sheets the judges sent, through the same pure formula.
    group_of = {j["id"]: j["group"] for j in load.plan["judges"]}
    group_of[load.plan["probe"]["judge"]] = load.plan["probe"]["group"]
    probe_points = {
        c: [int(m * 0.8) for m in load.plan["item_max"]] for c in load.plan["probe"]["contestants"]
    }
    sent: dict[int, list[tuple[str, Decimal]]] = {}
    for judge, contestant, points in load.acknowledged.values():
        sent.setdefault(contestant, []).append((group_of[judge], Decimal(sum(points))))
    for contestant in ScoreSheet.objects.filter(idempotency_key__startswith="probe-").values_list(
        "contestant_id", flat=True
    ):
        sent.setdefault(contestant, []).append(
            (load.plan["probe"]["group"], Decimal(sum(probe_points[contestant])))
        )
    number_of = load.plan["numbers"]
    rules = formula.Rules()
    checked = 0
    for venue in load.plan["venues"]:
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/contest/board/{venue}/scores.json", timeout=10
        ) as r:
            board = json.load(r)
        for rows in board["divisions"].values():
            for row in rows:
                contestant = number_of[row["number"]]
                expected = formula.score(sent.get(contestant, []), rules).final
                if (str(expected) if expected is not None else None) != row["final"]:
                    problems.append(
                        f"赛点 {venue} 选手 {row['number']}：成绩屏 {row['final']}，按评分表应为 {expected}"
                    )
                checked += 1
    print(f"核对成绩屏：{len(load.plan['venues'])} 个赛点、{checked} 名选手")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--duration", type=float, default=60.0, help="压缩后的运行秒数")
    parser.add_argument(
        "--compress", type=float, default=4.0, help="时间压缩倍数（20–40 秒的间隔除以它）"
    )
    parser.add_argument(
        "--bursts", type=int, default=2, help="全体评委在同一秒内（各自随机时刻）提交的次数"
    )
    parser.add_argument(
        "--instant-bursts",
        type=int,
        default=1,
        help="全体评委在同一瞬间提交的次数（更严的最坏情况）",
    )
    parser.add_argument("--probe-samples", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    print(f"数据库：{connection.vendor} {connection.settings_dict['NAME']}")
    started = time.perf_counter()
    plan = build()
    print(
        f"准备数据：{time.perf_counter() - started:.1f} 秒（22 个赛点，2876 名选手，{JUDGES} 名评委）"
    )
    connection.close()

    log = open(Path(os.environ["BAOZHENG_DATA_DIR"]) / "serve.log", "w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "baozheng.cli",
            "serve",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    problems: list[str] = []
    try:
        wait_for_server(args.port, proc)
        load = Load(
            args.port,
            plan,
            args.duration,
            args.compress,
            args.bursts,
            seed=2022,
            instant=args.instant_bursts,
        )
        t0 = time.perf_counter()
        asyncio.run(load.run())
        elapsed = time.perf_counter() - t0
        delays = asyncio.run(board_latency(args.port, plan, args.probe_samples))
        problems += load.failures[:20]
        problems += verify(load, args.port)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()

    total = sum(len(v) for v in load.latency.values())
    print(
        f"提交：{len(load.acknowledged)} 张评分表确认，{total} 次请求（含 {load.retries} 次重复提交），"
        f"用时 {elapsed:.1f} 秒，{args.workers} 个工作进程"
    )
    for kind, label in (
        ("normal", "平时"),
        ("burst", "集中（200 人同一秒内）"),
        ("instant", "同时（200 人同一瞬间）"),
        ("beside", "同一瞬间集中提交期间的其他提交"),
        ("retry", "重复提交"),
    ):
        values = [v * 1000 for v in load.latency[kind]]
        if values:
            print(
                f"  {label:<14} n={len(values):>5}  p50={percentile(values, 50):6.1f} ms  "
                f"p95={percentile(values, 95):6.1f} ms  p99={percentile(values, 99):6.1f} ms  max={max(values):6.1f} ms"
            )
    quiet = [v * 1000 for v in load.quiet]
    if quiet:
        print(
            f"  {'平时（集中提交前后 3 秒以外）':<14} n={len(quiet):>5}  p50={percentile(quiet, 50):6.1f} ms  "
            f"p95={percentile(quiet, 95):6.1f} ms  p99={percentile(quiet, 99):6.1f} ms  max={max(quiet):6.1f} ms"
        )
    # The target: every submission of the day, bursts within a second included; the
    # same-instant bursts (and what is sent while they are worked off) are a stricter case than
    # the issue asks for and are reported apart.
    burst_p99 = percentile([v * 1000 for v in load.latency["burst"]], 99)
    every = [v * 1000 for kind in ("normal", "burst", "retry") for v in load.latency[kind]]
    p99 = percentile(every, 99)
    print(
        f"  同一秒内集中提交 p99 = {burst_p99:.1f} ms；全部提交（同一瞬间集中提交期间除外）p99 = {p99:.1f} ms（目标 < 200 ms）"
    )
    if load.latency["instant"]:
        print(
            f"  同一瞬间集中提交 p99 = {percentile([v * 1000 for v in load.latency['instant']], 99):.1f} ms"
            "（比议题要求更严的最坏情况，不计入目标）"
        )
    print(
        f"成绩屏更新（提交确认 → SSE 事件，跨进程 LISTEN/NOTIFY）：p50={percentile(delays, 50) * 1000:.1f} ms，"
        f"max={max(delays) * 1000:.1f} ms，n={len(delays)}"
    )
    pure = pure_timing()
    print(
        f"纯函数计时：100,000 名选手 × 8 张评分表算分 {pure['score']:.2f} 秒；排名与评奖 {pure['award']:.2f} 秒；"
        f"合计 {pure['score'] + pure['award']:.2f} 秒（目标 < 2 秒）"
    )
    if p99 >= 200:
        problems.append(f"全部提交 p99 {p99:.1f} ms ≥ 200 ms")
    if burst_p99 >= 200:
        problems.append(f"同一秒内集中提交 p99 {burst_p99:.1f} ms ≥ 200 ms")
    if max(delays) >= 1.0:
        problems.append("成绩屏更新超过 1 秒")
    if pure["score"] + pure["award"] >= 2.0:
        problems.append("十万选手排名与评奖超过 2 秒")
    for problem in problems:
        print("问题：" + problem)
    print("结论：" + ("全部通过" if not problems else f"{len(problems)} 项未通过"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
