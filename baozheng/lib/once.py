"""Idempotency keys: one POST of a rendered form acts at most once.

Every page gets a fresh `form_key` (the context processor below) and every POST form
carries it (templates/form_key.html, included after each `{% csrf_token %}`). A view that
creates something is decorated with `@once`: the key, bound to the form's address, is
claimed in the same transaction as the view's work, so a second POST with it (a double
click, a retry after a timeout, the back button, even a concurrent one, which waits for
the first to commit) creates nothing and is sent to the page the first one went to.
A response that is not a redirect (the form again, with its errors) releases the key,
unless the view called `created` (it shows its result on the page it answers with).
Judges' score sheets have had their own key from the start.

Used keys are deleted after BAOZHENG_ONCE_KEEP_DAYS days by `prune` (run by the
scheduler's daily clean-up job, `baozheng.jobs.tasks.prune`): a form left open longer than
that is one that no one will post twice by accident.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

KEY = re.compile(r"[0-9a-f]{32}")
DUPLICATE_MESSAGE = "该表单已经提交过，未重复创建"
REDIRECTS = (301, 302, 303)


def form_key(request: HttpRequest) -> dict:
    """Context processor: a new key for the forms of the page being rendered."""
    return {"form_key": uuid.uuid4().hex}


def _claim(key: str, path: str) -> str:
    """The stored key: the page's key bound to the address posted to, so that two forms
    of one page (one key) posting to two views never take each other for a repeat."""
    return hashlib.sha256(f"{key}:{path}".encode()).hexdigest()[:32]


def once(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """View decorator for create views; see the module docstring.

    A POST without a valid key (a script, an old page) or from an anonymous visitor (the
    public forms have their own rate limits) is served as before.
    """
    from baozheng.org.models import FormSubmission

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        key = request.POST.get("form_key", "") if request.method == "POST" else ""
        if not KEY.fullmatch(key) or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        claim = _claim(key, request.path)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    row = FormSubmission.objects.create(key=claim, user=request.user)
            except IntegrityError:
                earlier = FormSubmission.objects.filter(key=claim, user=request.user).first()
                messages.info(request, DUPLICATE_MESSAGE)
                return redirect(earlier.result_url if earlier and earlier.result_url else "home")
            response = view(request, *args, **kwargs)
            result = getattr(request, "once_result", "")
            if not result and response.status_code in REDIRECTS:
                result = response.get("Location", "")
            if result:
                row.result_url = result[:200]
                row.save(update_fields=["result_url"])
            else:
                row.delete()
            return response

    wrapped.once = True  # type: ignore[attr-defined]
    return wrapped


def created(request: HttpRequest, url: str) -> None:
    """Mark a create done by a view that answers with a page instead of a redirect (a new
    token's secret is shown once): a repeat of the POST is sent to `url`."""
    request.once_result = url  # type: ignore[attr-defined]


def prune(now=None) -> int:
    """Delete keys older than BAOZHENG_ONCE_KEEP_DAYS; returns how many."""
    from baozheng.org.models import FormSubmission

    cutoff = (now or timezone.now()) - timedelta(days=settings.ONCE_KEEP_DAYS)
    deleted, _ = FormSubmission.objects.filter(created_at__lt=cutoff).delete()
    return deleted
