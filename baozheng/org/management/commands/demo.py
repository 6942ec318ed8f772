"""`baozheng demo`: build (or reuse) the demo database, print the accounts, serve."""

from __future__ import annotations

import signal
import subprocess
import sys
from datetime import date
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from baozheng.lib.schema import migrate_or_create
from baozheng.lib.server import listening_socket
from baozheng.org.demo import accounts_table
from baozheng.org.timeline import Timeline
from baozheng.org.timeline import of as timeline_of

# Every app with a demo.py, in the order of INSTALLED_APPS: later parts read what earlier
# ones built. Named as modules, not imported here: org stands below the apps it loads.
DEMOS = (
    "baozheng.org.demo",
    "baozheng.stats.demo",
    "baozheng.reporting.demo",
    "baozheng.tasks.demo",
    "baozheng.projects.demo",
    "baozheng.contest.demo",
    "baozheng.assessment.demo",
    "baozheng.documents.demo",
    "baozheng.headline.demo",
)


def _anchor_file() -> Path:
    return Path(settings.DATA_DIR) / "demo-as-of.txt"


class Command(BaseCommand):
    help = "创建（或复用）南阳演示数据库，打印演示账户，并在 127.0.0.1:8000 启动服务"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
        parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
        parser.add_argument("--no-serve", action="store_true", help="只准备数据，不启动服务")
        parser.add_argument(
            "--as-of",
            type=date.fromisoformat,
            default=None,
            help="演示时间线的“今天”（YYYY-MM-DD，默认今天；已建好的演示库沿用建库时的日期）",
        )

    def handle(
        self, *args, host: str, port: int, no_serve: bool, as_of: date | None, **options
    ) -> None:
        self.stdout.write(f"数据目录：{settings.DATA_DIR}")
        # The port first: taken, it is refused before the demo spends seconds on its data;
        # bound, it accepts from here on, so the line saying the demo serves is true when read.
        listener = None if no_serve else listening_socket(f"{host}:{port}")
        migrate_or_create()
        line = self._timeline(as_of)
        for module in DEMOS:
            import_module(module).load(self.stdout.write, as_of=line.anchor)
        self.stdout.write(line.summary())
        self.stdout.write(accounts_table())
        if listener is None:
            return
        self.stdout.write(
            self.style.SUCCESS(f"演示服务已启动：http://{host}:{port}/  （Ctrl+C 停止）")
        )
        import uvicorn

        # One job worker beside the server (imports run as background jobs), stopped with it.
        # uvicorn hands a SIGTERM back to the process once it has shut down, and by default
        # that ends the process before `finally` runs, leaving the worker behind; a handler
        # of our own turns it into an exit that stops the worker first.
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        # This process has just run the system checks on the same settings.
        worker = subprocess.Popen(
            [sys.executable, "-m", "baozheng.cli", "worker", "-v", "0", "--skip-checks"]
        )
        try:
            config = uvicorn.Config(
                "baozheng.asgi:application", log_level="warning", lifespan="off"
            )
            uvicorn.Server(config).run(sockets=[listener])
        finally:
            worker.terminate()
            worker.wait(timeout=30)

    def _timeline(self, as_of: date | None) -> Timeline:
        """The anchor the demo database was built on (kept in the data directory, so a
        second run tells the same story), else `--as-of`, else today."""
        stored = _anchor_file()
        if stored.exists():
            built = date.fromisoformat(stored.read_text().strip())
            if as_of is not None and as_of != built:
                self.stdout.write(
                    self.style.WARNING(
                        f"演示数据已按 {built:%Y-%m-%d} 建好，--as-of 未生效；"
                        "如需按新日期重建，请换一个数据目录（BAOZHENG_DATA_DIR）"
                    )
                )
            return timeline_of(built)
        line = timeline_of(as_of)
        stored.parent.mkdir(parents=True, exist_ok=True)
        stored.write_text(line.anchor.isoformat())
        return line
