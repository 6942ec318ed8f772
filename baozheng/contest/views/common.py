"""Helpers shared by the contest's setup pages (not views themselves): the posted data of a
request, and the single-form page that saves, says so and goes back."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from baozheng.contest.models import Contest
from baozheng.lib import races


def posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def form_page(
    request: HttpRequest,
    form: Any,
    *,
    contest: Contest,
    title: str,
    back: str,
    saved: str,
    lock: str = "",
) -> HttpResponse:
    """Render a single-form page; on a valid POST save, say so and go back. `lock` is the
    reason the row cannot change (shown, and every POST refused with it)."""
    if request.method == "POST":
        if lock:
            messages.error(request, lock)
        elif form.is_valid() and races.saved(form) is not None:
            messages.success(request, saved)
            return redirect(back)
    return render(
        request,
        "contest/setup_form.html",
        {
            "form": form,
            "contest": contest,
            "title": title,
            "back": back,
            "lock": lock,
        },
    )
