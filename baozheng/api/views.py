"""The administrator's pages for API tokens: issue (the secret shown once), list with last
use, one token's recent requests, revoke."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from baozheng.api import tokens
from baozheng.api.forms import TokenForm
from baozheng.api.models import ApiToken
from baozheng.lib.once import created, once
from baozheng.org.permissions import require, scoped
from baozheng.org.roles import Cap


def _visible(request: HttpRequest):
    """Tokens owned by units in the administrator's scope."""
    return scoped(
        ApiToken.objects.select_related("account", "owner_unit"), request.user, "owner_unit"
    )


@require(Cap.MANAGE)
@once
def token_list(request: HttpRequest) -> HttpResponse:
    secret = None
    form = TokenForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            token, secret = tokens.issue(
                data["name"],
                data["role"],
                data["units"],
                owner_unit=data["owner_unit"],
                expires_at=data["expires_on"],
                allowed_addresses=data["allowed_addresses"],
                created_by=request.user,
            )
        except tokens.TokenError as exc:
            form.add_error(None, str(exc))
        else:
            created(request, reverse("api-token", args=[token.pk]))
            form = TokenForm(user=request.user)
            messages.success(
                request, f"已签发令牌“{token.name}”。密钥只显示这一次，请立即复制保存。"
            )
    return render(
        request,
        "api/tokens.html",
        {
            "tokens": _visible(request).prefetch_related("account__scope"),
            "form": form,
            "secret": secret,
        },
    )


@require(Cap.MANAGE)
def token_detail(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(_visible(request), pk=pk)
    return render(
        request,
        "api/token.html",
        {"token": token, "requests": token.requests.all()[:50], "scope": token.account.scope.all()},
    )


@require_POST
@require(Cap.MANAGE)
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(_visible(request), pk=pk)
    if token.revoked_at is None:
        tokens.revoke(token)
        messages.success(request, f"已吊销令牌“{token.name}”，使用它的请求将被拒绝。")
    return redirect("api-token", pk=token.pk)
