"""`baozheng serve`'s gunicorn: the application loaded once, each worker on its own socket.

With one listening socket shared by all workers, every asyncio worker is woken for each
new connection and the first one accepts everything pending: in a measured burst all 10
and all 50 keep-alive connections went to one of two workers, which did all the work
while the other idled. Here each worker binds its own socket to the public address with
`SO_REUSEPORT`, and the kernel spreads new connections evenly over the workers' sockets.
The gunicorn master then only supervises (restarts, timeouts, graceful reloads): it binds
a private Unix socket that nothing connects to (`baozheng serve` sets this up).

gunicorn runs inside `baozheng serve`'s own process and loads `baozheng.asgi` there once
(`preload_app`): the workers fork with Django set up and every view imported, sharing the
master's memory page by page. Before, the command started a second interpreter for gunicorn
and each worker loaded the application itself, 1.1 s of CPU per worker here. Loading it
opens no database connection and starts no thread, so the workers inherit neither (a
thread pool started before a fork, such as polars', deadlocks the child).
"""

from __future__ import annotations

import os
import shlex
import socket
import sys
from collections.abc import Mapping
from typing import NoReturn

from django.core.management.base import CommandError
from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter
from gunicorn.config import Config
from uvicorn.server import Server
from uvicorn_worker import UvicornWorker

LISTEN_ENV = "BAOZHENG_LISTEN"  # host:port every worker binds with SO_REUSEPORT
READY = "开始接受连接"  # logged by a worker once its socket listens

# gunicorn's settings that `baozheng serve` decides itself, and what to do instead.
SERVE_DECIDES = {
    "bind": "请用 baozheng serve --bind",
    "workers": "请用 baozheng serve --workers",
    "timeout": "请用 baozheng serve --timeout",
    "worker_class": "工作进程固定为 uvicorn ASGI，各自监听服务地址",
    "preload_app": "应用总在主进程中加载一次",
    "reuse_port": "各工作进程已自行以 SO_REUSEPORT 监听",
    "config": "不读取 gunicorn 配置文件，请把选项直接写在 GUNICORN_CMD_ARGS 中",
    "wsgi_app": "应用由 baozheng serve 加载",
    "paste": "应用由 baozheng serve 加载",
}
_EXITING = {"-h", "--help", "-v", "--version", "--check-config", "--print-config"}


def listening_socket(bind: str) -> socket.socket:
    """A socket listening on `bind` (host:port), or why not in Chinese: a malformed
    address, or a port another program holds."""
    host, _, port = bind.rpartition(":")
    host = host.strip("[]") or "0.0.0.0"
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, int(port)), family=family)
    except ValueError:
        raise CommandError(f"监听地址格式错误：“{bind}”，应为 地址:端口") from None
    except OSError as exc:
        raise CommandError(f"无法监听 {bind}：{exc.strerror}") from None


def reuse_port_socket(address: str, backlog: int) -> socket.socket:
    host, _, port = address.rpartition(":")
    host = host.strip("[]") or "0.0.0.0"
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, int(port)))
    sock.listen(backlog)
    sock.setblocking(False)
    return sock


class SpreadWorker(UvicornWorker):
    """UvicornWorker serving on a socket of its own (see the module docstring)."""

    async def _serve(self) -> None:
        address = os.environ.get(LISTEN_ENV)
        sockets = self.sockets
        if address:
            sockets = [reuse_port_socket(address, self.cfg.backlog)]
        self.log.info("工作进程 %s %s：%s", os.getpid(), READY, address or self.cfg.bind)
        self.config.app = self.wsgi
        server = Server(config=self.config)
        self._install_sigquit_handler()
        await server.serve(sockets=sockets)
        if not server.started:
            sys.exit(Arbiter.WORKER_BOOT_ERROR)


class _Refusing(Exception):
    pass


def environment_settings(environ: Mapping[str, str] = os.environ) -> dict[str, object]:
    """gunicorn's own settings from `GUNICORN_CMD_ARGS`, read as gunicorn reads them: an
    operator tunes keep-alive, worker recycling (`--max-requests`), graceful shutdown,
    request limits or log files as gunicorn's documentation says, without a flag of ours
    for each. What `baozheng serve` decides itself (`SERVE_DECIDES`), an unknown option
    and a bad value are refused in Chinese before anything starts; gunicorn alone would
    print an English usage line or ignore the variable."""
    text = environ.get("GUNICORN_CMD_ARGS", "")
    try:
        words = shlex.split(text)
    except ValueError:
        raise CommandError(f"GUNICORN_CMD_ARGS 格式错误（引号不成对）：{text}") from None
    if not words:
        return {}
    config = Config()
    parser = config.parser()

    def refuse(message: str) -> NoReturn:
        raise _Refusing(message)

    parser.error = refuse  # type: ignore[method-assign]
    try:
        if exiting := _EXITING.intersection(words):
            raise _Refusing(f"不支持 {' '.join(sorted(exiting))}")
        given, unknown = parser.parse_known_args(words)
    except _Refusing as exc:
        raise CommandError(f"GUNICORN_CMD_ARGS 中有无效的选项或取值（{exc}）") from None
    if unknown or given.args:
        raise CommandError(
            f"GUNICORN_CMD_ARGS 中有无法识别的内容：{' '.join(unknown + given.args)}"
        )
    found: dict[str, object] = {}
    for name, value in vars(given).items():
        if value is None or name == "args":
            continue
        option = config.settings[name].cli[-1]
        if name in SERVE_DECIDES:
            raise CommandError(f"GUNICORN_CMD_ARGS 不能设置 {option}：{SERVE_DECIDES[name]}")
        try:
            config.set(name, value)
        except (TypeError, ValueError):
            raise CommandError(f"GUNICORN_CMD_ARGS 中 {option} 的值无效：{value}") from None
        found[name] = value
    return found


class ServeApplication(BaseApplication):
    """gunicorn with the options `baozheng serve` gives it, loading the application in the
    master (see the module docstring)."""

    def __init__(self, options: dict[str, object]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in {**self.options, "preload_app": True}.items():
            self.cfg.set(key, value)

    def load(self):
        from baozheng.asgi import application

        return application
