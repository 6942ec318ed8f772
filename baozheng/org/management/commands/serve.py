"""`baozheng serve`: the production server (gunicorn with uvicorn's ASGI workers)."""

from __future__ import annotations

import os
import socket
import sys
import tempfile

from django.core.management.base import BaseCommand, CommandError

from baozheng.lib.server import LISTEN_ENV


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
            "baozheng.lib.server.SpreadWorker",
            "--workers",
            str(workers),
            "--timeout",
            str(timeout),
            "--graceful-timeout",
            "20",
            "--access-logfile",
            "-",
        ]
        if hasattr(socket, "SO_REUSEPORT") and not bind.startswith(("unix:", "fd://")):
            # Each worker binds `bind` itself (baozheng/lib/server.py); the master binds a
            # private Unix socket so that it does not take a share of the connections.
            self.check_free(bind)
            private = tempfile.mkdtemp(prefix="baozheng-serve-")
            os.environ[LISTEN_ENV] = bind
            argv += ["--bind", f"unix:{private}/master.sock"]
        else:
            argv += ["--bind", bind]
        self.stdout.write(f"启动服务：{bind}，{workers} 个工作进程")
        sys.stdout.flush()
        os.execv(sys.executable, argv)

    @staticmethod
    def check_free(bind: str) -> None:
        """Fail now, in Chinese, if another program (not using SO_REUSEPORT) holds the port."""
        host, _, port = bind.rpartition(":")
        try:
            probe = socket.create_server((host.strip("[]") or "0.0.0.0", int(port)))
        except ValueError:
            raise CommandError(f"监听地址格式错误：“{bind}”，应为 地址:端口") from None
        except OSError as exc:
            raise CommandError(f"无法监听 {bind}：{exc.strerror}") from None
        probe.close()
