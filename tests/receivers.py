"""Local peers for tests of outgoing messages: a group-robot webhook receiver (HTTP) and a
mailbox for an SMTP server (aiosmtpd), both on loopback ports chosen by the system."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mailbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


def start_mail_server(mailbox: Mailbox) -> Controller:
    """An SMTP server delivering to `mailbox` on a loopback port, in a thread of its own.
    aiosmtpd is imported here, by the two classes that start one, not by every test process
    as it collects their modules (0.04 s)."""
    from aiosmtpd.controller import Controller

    server = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    server.start()
    return server


class Receiver(BaseHTTPRequestHandler):
    """A WeCom/DingTalk robot: records each POST (path, JSON body) and answers `answer`.
    Tests reset `posts` and `answer` in their setUp."""

    posts: list = []
    answer: dict = {"errcode": 0, "errmsg": "ok"}

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.posts.append((self.path, json.loads(body)))
        payload = json.dumps(Receiver.answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


def start_robots() -> HTTPServer:
    """A `Receiver` serving on a loopback port in a thread of its own. Its loop looks for the
    stop every 20 ms: `shutdown()` waits for that look, half a second at the default."""
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    ).start()
    return server
