"""Keeping robots off the public request form without a captcha.

Three checks, each cheap for a person and costly for a script: a honeypot field hidden by
CSS (`website`), a signed token carrying the time the form was served (a post without a
served form, or faster than `TASKS_PUBLIC_FORM_MIN_SECONDS`, is refused; the token expires
after two hours), and at most `TASKS_PUBLIC_FORM_PER_HOUR` requests per address per hour,
counted from the stored requests themselves so that every server process agrees.
"""

from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.http import HttpRequest
from django.utils import timezone

from baozheng.tasks.models import ServiceRequest

SALT = "baozheng.tasks.public-request"
TOKEN_MAX_AGE_SECONDS = 2 * 60 * 60


def form_token(now: float | None = None) -> str:
    return signing.dumps({"served": now if now is not None else time.time()}, salt=SALT)


def token_problem(token: str, now: float | None = None) -> str | None:
    now = now if now is not None else time.time()
    try:
        served = signing.loads(token, salt=SALT, max_age=TOKEN_MAX_AGE_SECONDS)["served"]
    except (signing.BadSignature, KeyError, TypeError):
        return "表单已失效，请刷新页面后重新填写"
    if now - served < settings.TASKS_PUBLIC_FORM_MIN_SECONDS:
        return "提交过快，请核对填写内容后再提交"
    return None


def client_address(request: HttpRequest) -> str:
    """The visitor's address; behind BAOZHENG_PROXY_COUNT proxies, taken from X-Forwarded-For."""
    proxies = settings.AXES_IPWARE_PROXY_COUNT or 0
    forwarded = [
        a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()
    ]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "0.0.0.0")


def rate_limited(address: str) -> bool:
    since = timezone.now() - timedelta(hours=1)
    recent = ServiceRequest.objects.filter(submitted_from=address, received_at__gte=since).count()
    return recent >= settings.TASKS_PUBLIC_FORM_PER_HOUR
