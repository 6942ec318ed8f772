"""Small request helpers shared by views."""

from __future__ import annotations

import re

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, default: str) -> str:
    """The `next` address posted with a form when it stays on this site, else `default`.

    A redirect to whatever `next` says is an open redirect (a link to our site that lands
    on a phishing page): `https://evil.example/` and `//evil.example/` are both refused.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


WEB_SCHEMES = ("http://", "https://")
SCHEME = re.compile(r"\s*([A-Za-z][A-Za-z0-9+.-]*):")


def web_link(text: str) -> str:
    """`text` when it is an http(s) address that may be shown as a link, else "".

    Checking for "://" alone lets `javascript:alert(1)//://x` through; only the two web
    schemes are ever rendered as `href`.
    """
    text = (text or "").strip()
    return text if text.lower().startswith(WEB_SCHEMES) else ""


def link_problem(text: str) -> str | None:
    """A Chinese reason to refuse a stored link or path, or None: either an http(s) address
    or a file path without any scheme (no `javascript:`, `data:`, `file:`...)."""
    text = (text or "").strip()
    if not text or web_link(text):
        return None
    scheme = SCHEME.match(text)
    if scheme and len(scheme.group(1)) > 1:  # one letter is a Windows drive (D:\\录像)
        return "链接只能以 http:// 或 https:// 开头，或填写文件路径"
    return None
