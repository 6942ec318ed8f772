"""Overload answered with 503 and Retry-After, never with a 500.

Two places can find the server full: the admission control in front of Django
(`baozheng.lib.admission`, too many requests queued in this worker) and the database
(no pooled connection free within the pool's timeout, PostgreSQL out of connection
slots, SQLite busy past its timeout). Both are temporary, so the client is told to retry
instead of being shown an error page; a proxy or a browser retry then succeeds.
"""

from __future__ import annotations

import sys

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.views.defaults import server_error as django_server_error

RETRY_AFTER_SECONDS = 5
BUSY_HTML = (
    '<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8"><title>服务器繁忙</title>'
    "</head><body><h1>服务器繁忙</h1><p>当前访问人数较多，请 {seconds} 秒后刷新重试。</p>"
    '<p><a href="/">返回首页</a></p></body></html>'
)
# PostgreSQL's "too many connections", "cannot connect now", and a transaction chosen as
# the victim of a deadlock or a serialization conflict (rolled back whole, safe to retry);
# SQLite's busy database.
BUSY_SQLSTATES = ("53300", "57P03", "40P01", "40001")
BUSY_MESSAGES = ("database is locked", "couldn't get a connection", "too many clients")


def busy_body(seconds: int = RETRY_AFTER_SECONDS) -> bytes:
    return BUSY_HTML.format(seconds=seconds).encode()


def busy_response(seconds: int = RETRY_AFTER_SECONDS) -> HttpResponse:
    response = HttpResponse(busy_body(seconds), status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(seconds)
    return response


def is_overload(error: BaseException | None) -> bool:
    """A database error that says "full right now", as opposed to a fault."""
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) in BUSY_SQLSTATES:
        return True
    if _is_pool_timeout(cause):
        return True
    message = str(error).lower()
    return any(text in message for text in BUSY_MESSAGES)


def _is_pool_timeout(cause: BaseException | None) -> bool:
    """The connection pool's timeout. Its module is not imported to ask: a process that
    never loaded it (on SQLite) cannot have raised it, and loading it loads psycopg, 0.05 s
    of every start on SQLite."""
    pool = sys.modules.get("psycopg_pool")
    return pool is not None and isinstance(cause, pool.PoolTimeout)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: Django calls it while the uncaught exception is being handled."""
    if is_overload(sys.exc_info()[1]):
        return busy_response()
    return django_server_error(request)
