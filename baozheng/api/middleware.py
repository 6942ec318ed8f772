"""Token authentication, rate limits, access records and ETags for the JSON API.

The token is resolved here, before the audit trail's middleware reads `request.user`, so
that a token's changes are audited with its account exactly as a person's are with theirs.
Requests without an `Authorization: Bearer` header fall through to the session login.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, set_response_etag

from baozheng.api import tokens
from baozheng.api.errors import error_response
from baozheng.api.models import ApiRequest
from baozheng.tasks.public import client_address

API_PREFIX = "/api/"


def _over_limit(key_id: str) -> int:
    """Seconds until the token may call again, or 0 within its per-minute allowance
    (a fixed one-minute window counted in the shared cache)."""
    limit = settings.API_RATE_LIMIT_PER_MINUTE
    now = time.time()
    window = int(now // 60)
    key = f"api-rate:{key_id}:{window}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    if count <= limit:
        return 0
    return max(1, int((window + 1) * 60 - now) + 1)


def _shaped(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """The API's one error shape for the refusals that never reach a route: an unknown
    path (Django's HTML 404 page) and a method the route lacks (ninja's plain-text 405).
    A client parses every error the same way (docs/api.md, 错误)."""
    if response.status_code == 404 and "json" not in response.get("Content-Type", ""):
        return error_response(404, f"没有这个接口：{request.path}")
    if response.status_code == 405 and "json" not in response.get("Content-Type", ""):
        shaped = error_response(405, f"该接口不支持 {request.method} 方法")
        shaped["Allow"] = response.get("Allow", "")
        return shaped
    return response


class ApiTokenMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        header = request.headers.get("Authorization", "")
        if not header.lower().startswith("bearer "):
            return self._conditional(request, _shaped(request, self.get_response(request)))
        address = client_address(request)
        found = tokens.authenticate(header[7:], address)
        if isinstance(found, tokens.Refusal):
            return error_response(found.status, found.message, found.code)
        request.user = found.account
        request.api_token = found
        wait = _over_limit(found.key_id)
        if wait:
            response = error_response(
                429,
                f"请求过于频繁：每个令牌每分钟最多 {settings.API_RATE_LIMIT_PER_MINUTE} 次，"
                f"请 {wait} 秒后重试",
            )
            response["Retry-After"] = str(wait)
        else:
            response = self._conditional(request, _shaped(request, self.get_response(request)))
        ApiRequest.objects.create(
            token=found,
            method=request.method[:8],
            path=request.get_full_path()[:300],
            status=response.status_code,
            address=address,
        )
        tokens.touch(found, address)
        return response

    @staticmethod
    def _conditional(request: HttpRequest, response: HttpResponse) -> HttpResponse:
        """An ETag on every successful read, and 304 when the client already has it, so that
        a big screen polling every few seconds costs the network nothing while nothing
        changes (the body is still computed: the cache behind the pages keeps that cheap)."""
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if response.streaming:
            return response
        set_response_etag(response)
        response["Cache-Control"] = "private, no-cache"
        return get_conditional_response(request, etag=response["ETag"], response=response)
