"""`baozheng serve`: the production server (gunicorn with uvicorn's ASGI workers)."""

from __future__ import annotations

import os
import socket
import sys
import tempfile

from django.core.management.base import BaseCommand

from baozheng.lib.server import (
    LISTEN_ENV,
    ServeApplication,
    environment_settings,
    listening_socket,
)


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
        gunicorn: dict[str, object] = {
            "worker_class": "baozheng.lib.server.SpreadWorker",
            "workers": workers,
            "timeout": timeout,
            "graceful_timeout": 20,
            "accesslog": "-",
            **environment_settings(),
        }
        if hasattr(socket, "SO_REUSEPORT") and not bind.startswith(("unix:", "fd://")):
            # Each worker binds `bind` itself (baozheng/lib/server.py); the master binds a
            # private Unix socket so that it does not take a share of the connections.
            # Fail now, in Chinese, if another program (not using SO_REUSEPORT) holds the port.
            listening_socket(bind).close()
            private = tempfile.mkdtemp(prefix="baozheng-serve-")
            os.environ[LISTEN_ENV] = bind
            gunicorn["bind"] = [f"unix:{private}/master.sock"]
        else:
            gunicorn["bind"] = [bind]
        self.stdout.write(f"启动服务：{bind}，{workers} 个工作进程")
        sys.stdout.flush()
        ServeApplication(gunicorn).run()
