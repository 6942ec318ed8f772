"""Month-end load against `baozheng serve` on PostgreSQL, loopback only, bounded.

    DATABASE_URL=postgres://USER:PASSWORD@127.0.0.1:5432/bz_load \\
        python bench/load.py [--clients 50,200,500] [--seconds 20] [--workers 2] [--port 8201]

1. Builds (or reuses) the demo data in that database (`baozheng demo --no-serve`).
2. Starts `baozheng serve --workers N` on 127.0.0.1 and logs in a leader, a reviewer and
   two county clerks through the login form.
3. For each number of clients, two phases of closed-loop keep-alive clients, each capped in
   time (`--seconds`) and in requests (`--max-requests`):
   - baseline: every client asks for the trivial authenticated page (`/login/` → 302:
     session and user lookup, nothing else);
   - month-end mix: leaders on the 驾驶舱 and indicator pages (60 %), clerks opening the
     entry grid, saving drafts and submitting (22 %), reviewers opening the review list
     and approving (10 %), bulletin downloads (xlsx and docx, 8 %).
4. Prints per phase and request kind p50/p95/p99 (nearest rank), throughput, answers by
   status, the most PostgreSQL connections seen and the workers' memory (RSS), sampled
   twice a second, and writes them as JSON into the data directory.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Nanyang@2023"
TIMEOUT = 120.0  # seconds a single request may take before it counts as "timeout"
MIX = [  # (kind, role, weight)
    ("overview", "leader", 35),
    ("indicator", "leader", 25),
    ("entry", "clerk", 12),
    ("save", "clerk", 8),
    ("submit", "clerk", 2),
    ("review", "reviewer", 6),
    ("approve", "reviewer", 4),
    ("xlsx", "leader", 5),
    ("docx", "leader", 3),
]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))]


class Client:
    """One keep-alive HTTP/1.1 connection with a cookie jar (the bench's own; no dependency)."""

    def __init__(self, port: int, cookies: dict[str, str] | None = None) -> None:
        self.port = port
        self.cookies = dict(cookies or {})
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(
        self, method: str, path: str, form: dict | list | None = None
    ) -> tuple[int, bytes, dict]:
        body = urlencode(form, doseq=True).encode() if form is not None else b""
        head = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: keep-alive"]
        if self.cookies:
            head.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if method == "POST":
            head += [
                "Content-Type: application/x-www-form-urlencoded",
                f"Content-Length: {len(body)}",
                "Referer: http://127.0.0.1/",
                f"X-CSRFToken: {self.cookies.get('csrftoken', '')}",
            ]
        data = ("\r\n".join(head) + "\r\n\r\n").encode() + body
        for attempt in range(2):
            try:
                if self.writer is None:
                    self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
                self.writer.write(data)
                await self.writer.drain()
                return await self.response()
            except (ConnectionError, asyncio.IncompleteReadError):
                await self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    async def response(self) -> tuple[int, bytes, dict]:
        assert self.reader is not None
        status = int((await self.reader.readuntil(b"\r\n")).split()[1])
        headers: dict[str, str] = {}
        while (line := await self.reader.readuntil(b"\r\n")) != b"\r\n":
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
            headers[name] = value
        if headers.get("transfer-encoding") == "chunked":
            parts = []
            while size := int((await self.reader.readuntil(b"\r\n")).strip(), 16):
                parts.append((await self.reader.readexactly(size + 2))[:-2])
            await self.reader.readuntil(b"\r\n")
            body = b"".join(parts)
        else:
            body = await self.reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection") == "close":
            await self.close()
        return status, body, headers

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except ConnectionError:
                pass
        self.reader = self.writer = None


async def login(port: int, username: str) -> dict[str, str]:
    client = Client(port)
    _, page, _ = await client.request("GET", "/login/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    status, _, _ = await client.request(
        "POST",
        "/login/",
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    await client.close()
    if status != 302 or "sessionid" not in client.cookies:
        raise SystemExit(f"登录失败：{username}（{status}）")
    return client.cookies


class Load:
    def __init__(self, port: int, sessions: dict[str, list[dict]], seed: int) -> None:
        self.port, self.sessions = port, sessions
        self.random = random.Random(seed)
        self.indicators: list[str] = []

    async def prepare(self) -> None:
        client = Client(self.port, self.sessions["leader"][0])
        _, page, _ = await client.request("GET", "/monitor/")
        self.indicators = sorted(set(re.findall(rb"/monitor/indicator/([A-Z0-9]+)/", page)))[:10]
        self.indicators = [code.decode() for code in self.indicators] or ["B05"]
        await client.close()

    async def act(self, client: Client, kind: str) -> int:
        """One user action; returns the HTTP status of its (last) request."""
        if kind == "baseline":
            return (await client.request("GET", "/login/"))[0]
        if kind == "overview":
            return (await client.request("GET", "/monitor/"))[0]
        if kind == "indicator":
            code = self.random.choice(self.indicators)
            return (await client.request("GET", f"/monitor/indicator/{code}/"))[0]
        if kind in ("xlsx", "docx"):
            return (await client.request("GET", f"/monitor/bulletin/{kind}/"))[0]
        if kind == "entry":
            return (await client.request("GET", "/monitor/entry/"))[0]
        if kind == "review":
            return (await client.request("GET", "/monitor/review/"))[0]
        if kind in ("save", "submit"):
            status, page, _ = await client.request("GET", "/monitor/entry/")
            if status != 200:
                return status
            # Like the browser: every editable figure as shown, one growth changed.
            form = {
                name.decode(): value.decode()
                for name, value in re.findall(
                    rb'<input name="((?:value|growth)-\d+)" value="([^"]*)"(?![^>]*readonly)', page
                )
            }
            growths = [name for name in form if name.startswith("growth-")]
            if not growths:
                return status
            form[self.random.choice(growths)] = f"{self.random.uniform(3, 9):.1f}"
            if kind == "submit":  # a clerk completes the grid before submitting it
                for name in growths:
                    form[name] = form[name] or f"{self.random.uniform(3, 9):.1f}"
            form["csrfmiddlewaretoken"] = client.cookies.get("csrftoken", "")
            form["action"] = "submit" if kind == "submit" else "save"
            return (await client.request("POST", "/monitor/entry/", form))[0]
        if kind == "approve":
            status, page, _ = await client.request("GET", "/monitor/review/")
            ids = re.findall(rb'name="obs" value="(\d+)"', page)
            if status != 200 or not ids:
                return status
            chosen = [i.decode() for i in self.random.sample(ids, min(3, len(ids)))]
            form = {
                "csrfmiddlewaretoken": client.cookies.get("csrftoken", ""),
                "obs": chosen,
                "action": "approve",
            }
            return (await client.request("POST", "/monitor/review/act/", form))[0]
        raise ValueError(kind)

    def pick(self) -> tuple[str, str]:
        kinds, roles, weights = zip(*MIX, strict=True)
        index = self.random.choices(range(len(MIX)), weights)[0]
        return kinds[index], roles[index]

    async def phase(self, clients: int, seconds: float, cap: int, baseline: bool) -> dict:
        times: dict[str, list[float]] = defaultdict(list)
        statuses: dict[str, Counter] = defaultdict(Counter)
        issued = 0
        deadline = time.monotonic() + seconds
        connections = {
            role: [
                Client(self.port, self.sessions[role][i % len(self.sessions[role])])
                for i in range(clients)
            ]
            for role in self.sessions
        }

        async def loop(index: int) -> None:
            nonlocal issued
            while time.monotonic() < deadline and issued < cap:
                issued += 1
                kind, role = ("baseline", "leader") if baseline else self.pick()
                client = connections[role][index]
                started = time.perf_counter()
                try:
                    status = await asyncio.wait_for(self.act(client, kind), TIMEOUT)
                except TimeoutError:
                    status = "timeout"
                    await client.close()
                except (ConnectionError, asyncio.IncompleteReadError, OSError):
                    status = "connection"
                    await client.close()
                times[kind].append(time.perf_counter() - started)
                statuses[kind][str(status)] += 1

        started = time.monotonic()
        await asyncio.gather(*(loop(i) for i in range(clients)))
        elapsed = time.monotonic() - started
        for pool in connections.values():
            for client in pool:
                await client.close()
        return {
            kind: {
                "n": len(values),
                "p50_ms": percentile(values, 50) * 1000,
                "p95_ms": percentile(values, 95) * 1000,
                "p99_ms": percentile(values, 99) * 1000,
                "rps": len(values) / elapsed,
                "status": dict(statuses[kind]),
            }
            for kind, values in sorted(times.items())
        } | {
            "_all": {
                "n": sum(len(v) for v in times.values()),
                "rps": sum(len(v) for v in times.values()) / elapsed,
                "seconds": elapsed,
            }
        }


class Sampler:
    """PostgreSQL connections to the database and the workers' RSS, twice a second."""

    def __init__(self, master_pid: int, database_url: str) -> None:
        self.master_pid, self.database_url = master_pid, database_url
        self.connections: list[int] = []
        self.rss: dict[int, int] = {}
        self.running = True

    def workers(self) -> list[int]:
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.master_pid)], capture_output=True, text=True
        ).stdout
        return [int(pid) for pid in out.split()]

    def reset(self) -> None:
        self.connections, self.rss = [], {}

    async def run(self) -> None:
        import psycopg

        async with await psycopg.AsyncConnection.connect(self.database_url, autocommit=True) as db:
            while self.running:
                row = await (
                    await db.execute(
                        "SELECT count(*) - 1 FROM pg_stat_activity WHERE datname = current_database()"
                    )
                ).fetchone()
                self.connections.append(row[0])
                for pid in self.workers():
                    try:
                        status = Path(f"/proc/{pid}/status").read_text()
                    except OSError:
                        continue
                    kb = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
                    self.rss[pid] = max(self.rss.get(pid, 0), kb)
                await asyncio.sleep(0.5)


def wait_for_server(port: int, process: subprocess.Popen, limit: float = 60.0) -> None:
    import socket

    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("服务未能启动，见 serve.log")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            time.sleep(2)  # let every worker bind its socket
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("服务在 60 秒内未就绪")


def print_phase(clients: int, name: str, result: dict, sampler: Sampler) -> None:
    print(
        f"\n{clients} 个并发客户端 · {name}：{result['_all']['n']} 次请求，{result['_all']['rps']:.1f} 次/秒，"
        f"PostgreSQL 连接最多 {max(sampler.connections or [0])}，"
        f"工作进程内存峰值 {', '.join(f'{kb // 1024} MB' for kb in sampler.rss.values())}"
    )
    print(f"  {'请求':<10}{'次数':>7}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'次/秒':>8}  状态")
    for kind, row in result.items():
        if kind.startswith("_"):
            continue
        statuses = " ".join(f"{k}×{v}" for k, v in sorted(row["status"].items()))
        print(
            f"  {kind:<10}{row['n']:>7}{row['p50_ms']:>10.0f}{row['p95_ms']:>10.0f}"
            f"{row['p99_ms']:>10.0f}{row['rps']:>8.1f}  {statuses}"
        )


async def bench(args: argparse.Namespace, master_pid: int, database_url: str) -> dict:
    sessions = {
        "leader": [await login(args.port, "leader")],
        "reviewer": [await login(args.port, "dispatch")],
        "clerk": [await login(args.port, "wancheng"), await login(args.port, "wolong")],
    }
    load = Load(args.port, sessions, seed=20)
    await load.prepare()
    sampler = Sampler(master_pid, database_url)
    sampling = asyncio.create_task(sampler.run())
    results: dict = {}
    try:
        # Warm-up: every page once, so the first phase does not pay start-up costs alone.
        await load.phase(4, 5, 40, baseline=False)
        for clients in args.clients:
            for name, baseline in (("基准页（/login/ → 302）", True), ("月末混合负载", False)):
                sampler.reset()
                result = await load.phase(clients, args.seconds, args.max_requests, baseline)
                result["_server"] = {
                    "db_connections_max": max(sampler.connections or [0]),
                    "worker_rss_mb": [kb // 1024 for kb in sampler.rss.values()],
                }
                results[f"{clients}:{'baseline' if baseline else 'mix'}"] = result
                print_phase(clients, name, result, sampler)
                sys.stdout.flush()
    finally:
        sampler.running = False
        await sampling
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", default="50,200,500")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--max-requests", type=int, default=6000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8201)
    parser.add_argument("--data-dir", default=None)
    args = parser.parse_args()
    args.clients = [int(n) for n in args.clients.split(",")]
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        raise SystemExit("请设置 DATABASE_URL=postgres://…（负载基准在 PostgreSQL 上运行）")
    data_dir = Path(args.data_dir or tempfile.mkdtemp(prefix="bz-load-"))
    env = {**os.environ, "BAOZHENG_DATA_DIR": str(data_dir)}
    subprocess.run(
        [sys.executable, "-m", "baozheng.cli", "demo", "--no-serve"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    log = open(data_dir / "serve.log", "w")
    process = subprocess.Popen(
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
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_server(args.port, process)
        print(f"服务：baozheng serve --workers {args.workers}（PostgreSQL），数据目录 {data_dir}")
        results = asyncio.run(bench(args, process.pid, database_url))
    finally:
        process.terminate()
        process.wait(timeout=40)
    (data_dir / "load.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))
    print(f"\n结果已写入 {data_dir / 'load.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
