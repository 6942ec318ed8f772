"""`baozheng demo`: build (or reuse) the demo database, print the accounts, serve."""

from __future__ import annotations

import subprocess
import sys
from importlib import import_module

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from baozheng.org.demo import accounts_table

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


class Command(BaseCommand):
    help = "创建（或复用）南阳演示数据库，打印演示账户，并在 127.0.0.1:8000 启动服务"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
        parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
        parser.add_argument("--no-serve", action="store_true", help="只准备数据，不启动服务")

    def handle(self, *args, host: str, port: int, no_serve: bool, **options) -> None:
        self.stdout.write(f"数据目录：{settings.DATA_DIR}")
        call_command("migrate", verbosity=0, interactive=False)
        for module in DEMOS:
            import_module(module).load(self.stdout.write)
        self.stdout.write(accounts_table())
        if no_serve:
            return
        self.stdout.write(
            self.style.SUCCESS(f"演示服务已启动：http://{host}:{port}/  （Ctrl+C 停止）")
        )
        import uvicorn

        # One job worker beside the server (imports run as background jobs), stopped with it.
        worker = subprocess.Popen([sys.executable, "-m", "baozheng.cli", "worker", "-v", "0"])
        try:
            uvicorn.run(
                "baozheng.asgi:application",
                host=host,
                port=port,
                log_level="warning",
                lifespan="off",
            )
        finally:
            worker.terminate()
            worker.wait(timeout=30)
