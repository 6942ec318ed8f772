"""`baozheng serve`: the production server (gunicorn with uvicorn's ASGI workers)."""

from __future__ import annotations

import os
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "以生产方式启动服务（gunicorn + uvicorn ASGI 工作进程，静态文件由 whitenoise 提供）"

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--bind", default="127.0.0.1:8000", help="监听地址:端口（默认 127.0.0.1:8000）"
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=max(2, os.cpu_count() or 1),
            help="工作进程数（默认为 CPU 核数，至少 2）",
        )
        parser.add_argument("--timeout", type=int, default=60, help="请求超时秒数")

    def handle(self, *args, bind: str, workers: int, timeout: int, **options) -> None:
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "baozheng.asgi:application",
            "--worker-class",
            "uvicorn_worker.UvicornWorker",
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--timeout",
            str(timeout),
            "--graceful-timeout",
            "20",
            "--access-logfile",
            "-",
        ]
        self.stdout.write(f"启动服务：{bind}，{workers} 个工作进程")
        sys.stdout.flush()
        os.execv(sys.executable, argv)
