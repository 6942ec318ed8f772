"""README's first command, end to end: `baozheng demo` serves the Chinese login page on
127.0.0.1 and every account it prints can log in."""

import http.cookiejar
import os
import re
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core import signing

from baozheng.headline.display import SALT
from tests.org.serving import ROOT, Output, start_serve
from tests.receivers import free_port

pytestmark = pytest.mark.slow
READY = "演示服务已启动"


def log_in(base: str, username: str, password: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(
        f"{base}/login/", data=data, headers={"Referer": f"{base}/login/"}
    )
    return opener.open(request).read().decode()


@dataclass
class DemoStart:
    process: subprocess.Popen
    output: str
    base: str
    data_dir: Path


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Iterator[DemoStart]:
    """`baozheng demo` started once in a new data folder (the first start: tables, demo data,
    server and job worker); the production-serving test below reuses its database instead
    of building another."""
    port = free_port()
    data_dir = tmp_path_factory.mktemp("demo")
    # Without PYTHONUNBUFFERED: the line reaches a pipe while the demo runs (a log, `tee`).
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("BAOZHENG_", "DATABASE_URL", "PYTHONUNBUFFERED"))
    }
    env["BAOZHENG_DATA_DIR"] = str(data_dir)
    process = subprocess.Popen(
        [sys.executable, "-m", "baozheng.cli", "demo", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        output = Output(process.stdout).wait_for(READY)
        yield DemoStart(process, output, f"http://127.0.0.1:{port}", data_dir)
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_demo_serves_the_login_page_and_every_printed_account_logs_in(demo):
    text, base, process = demo.output, demo.base, demo.process
    assert READY in text, text
    try:
        # At once, no retry: the line is printed once the port accepts.
        login_page = urllib.request.urlopen(f"{base}/login/").read().decode()
        assert "<h1>登录</h1>" in login_page
        password = re.search(r"密码均为 (\S+)）", text).group(1)
        accounts = re.findall(r"^  (\w+) ", text, flags=re.M)
        assert len(accounts) >= 7
        for username in accounts:
            home = log_in(base, username, password)
            # Leaders and the dispatch office land on the headline page (要览), others at home.
            assert "您好" in home or "经济运行要览" in home, username
        workers = children(process.pid)
        assert workers, "the demo runs a job worker beside the server"
        for pid in workers:  # the demo has just run them on the same settings
            assert "--skip-checks" in Path(f"/proc/{pid}/cmdline").read_text(), pid
    finally:
        process.terminate()
        process.wait(timeout=10)
    # Stopped as a service manager stops it (SIGTERM), the demo takes its worker with it.
    for _ in range(50):
        if not any(Path(f"/proc/{pid}").exists() for pid in workers):
            break
        time.sleep(0.1)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]


def children(parent: int) -> list[int]:
    """The processes whose parent is `parent` (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            found.append(int(stat.parent.name))
    return found


def test_serve_runs_production_mode_behind_gunicorn(demo, tmp_path):
    """`baozheng serve` with production settings answers on its bind address, sends
    secure cookies, serves static files itself (no CDN, no separate web server) and
    takes gunicorn's own options from GUNICORN_CMD_ARGS (here its access log); on a
    copy of the demo's database, built by the demo's first start. Its workers fork from a
    master that has loaded the application, and compute with polars all the same (a thread
    pool started in the master before the fork would hang them)."""
    database = tmp_path / "prod.sqlite3"
    with (
        sqlite3.connect(demo.data_dir / "baozheng.sqlite3") as source,
        sqlite3.connect(database) as copy,
    ):
        source.backup(copy)  # consistent even while the demo still runs
    secret = "s" * 40
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BAOZHENG_", "DATABASE_URL"))}
    env.update(
        BAOZHENG_DATA_DIR=str(tmp_path),
        BAOZHENG_PRODUCTION="true",
        BAOZHENG_SECRET_KEY=secret,
        BAOZHENG_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{database}",
        # gunicorn's own options, as its documentation gives them (lib/server.py).
        GUNICORN_CMD_ARGS=f"--access-logfile {tmp_path / 'access.log'} --max-requests 1000",
    )
    port = free_port()
    process = start_serve(env, port, workers=1)
    base = f"http://127.0.0.1:{port}"
    try:
        response = urllib.request.urlopen(f"{base}/login/")
        assert "<h1>登录</h1>" in response.read().decode()
        assert "secure" in response.headers["Set-Cookie"].lower()
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        css = urllib.request.urlopen(f"{base}/static/baozheng/app.css")
        assert css.status == 200 and "text/css" in css.headers["Content-Type"]
        (worker,) = children(process.pid)
        memory = smaps_rollup(worker)
        assert memory["Shared_Dirty"] > memory["Private_Dirty"], memory
        with sqlite3.connect(database) as db:
            pk, key = db.execute("SELECT id, key FROM headline_displaylink").fetchone()
        token = signing.dumps([pk, key[:12]], key=secret, salt=SALT, compress=False)
        screen = urllib.request.urlopen(f"{base}/headline/screen/{token}/", timeout=60)
        assert "地区生产总值" in screen.read().decode()  # the big screen's figures
        assert '"GET /login/ HTTP/1.1" 200' in (tmp_path / "access.log").read_text()
    finally:
        process.terminate()
        process.wait(timeout=20)


def smaps_rollup(pid: int) -> dict[str, int]:
    """A process's memory in kB by kind (Linux /proc): pages shared with its parent since
    the fork are Shared_Dirty until either writes them."""
    fields = (line.split() for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines())
    return {f[0].rstrip(":"): int(f[1]) for f in fields if len(f) == 3 and f[2] == "kB"}
