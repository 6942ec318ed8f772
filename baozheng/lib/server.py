"""The gunicorn worker of `baozheng serve`: each worker listens on its own socket.

With one listening socket shared by all workers, every asyncio worker is woken for each
new connection and the first one accepts everything pending: in a measured burst all 10
and all 50 keep-alive connections went to one of two workers, which did all the work
while the other idled. Here each worker binds its own socket to the public address with
`SO_REUSEPORT`, and the kernel spreads new connections evenly over the workers' sockets.
The gunicorn master then only supervises (restarts, timeouts, graceful reloads): it binds
a private Unix socket that nothing connects to (`baozheng serve` sets this up).
"""

from __future__ import annotations

import os
import socket
import sys

from gunicorn.arbiter import Arbiter
from uvicorn.server import Server
from uvicorn_worker import UvicornWorker

LISTEN_ENV = "BAOZHENG_LISTEN"  # host:port every worker binds with SO_REUSEPORT


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
        self.config.app = self.wsgi
        server = Server(config=self.config)
        self._install_sigquit_handler()
        await server.serve(sockets=sockets)
        if not server.started:
            sys.exit(Arbiter.WORKER_BOOT_ERROR)
