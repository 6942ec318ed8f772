"""Issuing, checking and revoking API tokens.

A token reads `bz_<key id>_<secret>`: the key id finds the row with one indexed lookup, the
secret is compared by its SHA-256 in constant time. The service account behind a token is
created with it and deactivated when it is revoked, so a revoked token's account cannot act
through any path.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from baozheng.api.models import ApiToken
from baozheng.org.models import Unit, User
from baozheng.org.roles import Role

PREFIX = "bz"
# Judges score through their QR links; a token never carries the judge role.
TOKEN_ROLES = tuple(role for role in Role if role != Role.JUDGE)


class TokenError(ValueError):
    """A token cannot be issued as asked (the message is shown to the administrator)."""


@dataclass(frozen=True)
class Refusal:
    status: int
    code: str
    message: str


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue(
    name: str,
    role: str,
    units: Iterable[Unit],
    *,
    owner_unit: Unit | None = None,
    expires_at: datetime | None = None,
    allowed_addresses: str = "",
    created_by: User | None = None,
) -> tuple[ApiToken, str]:
    """Create a token and its account; returns the token and the secret, shown only once."""
    name = name.strip()
    units = list(units)
    if not name:
        raise TokenError("请填写系统名称")
    if ApiToken.objects.filter(name=name).exists():
        raise TokenError(f"已有名为“{name}”的接口令牌")
    if role not in TOKEN_ROLES:
        choices = "、".join(f"{r.value}（{r.label}）" for r in TOKEN_ROLES)
        raise TokenError(f"角色“{role}”不能用于接口令牌，可选：{choices}")
    if not units:
        raise TokenError("请至少指定一个数据范围单位")
    if expires_at is not None and expires_at <= timezone.now():
        raise TokenError("有效期应晚于当前时间")
    probe = ApiToken(allowed_addresses=allowed_addresses)
    try:
        probe.networks()
    except ValueError as exc:
        raise TokenError(f"允许的客户端地址有误：{exc}") from None
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():  # the name taken meanwhile: the database decides
            account = User(
                username=f"api-{key_id}",
                full_name=f"接口：{name}"[:60],
                role=role,
                unit=owner_unit or units[0],
            )
            account.set_unusable_password()
            account.save()
            account.scope.set(units)
            token = ApiToken.objects.create(
                name=name,
                key_id=key_id,
                secret_hash=_digest(secret),
                account=account,
                owner_unit=owner_unit or units[0],
                expires_at=expires_at,
                allowed_addresses=allowed_addresses.strip(),
                created_by=created_by,
            )
    except IntegrityError:
        raise TokenError(f"已有名为“{name}”的接口令牌") from None
    return token, f"{PREFIX}_{key_id}_{secret}"


def revoke(token: ApiToken) -> None:
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        token.account.is_active = False
        token.account.save(update_fields=["is_active"])


def authenticate(raw: str, address: str | None) -> ApiToken | Refusal:
    """The token named by `raw`, or why it is refused (401 unknown/revoked/expired, 403 for
    an address outside the token's allow-list)."""
    parts = raw.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX:
        return Refusal(401, "invalid_token", "接口令牌格式不正确")
    token = (
        ApiToken.objects.select_related("account", "account__unit").filter(key_id=parts[1]).first()
    )
    if token is None or not hmac.compare_digest(token.secret_hash, _digest(parts[2])):
        return Refusal(401, "invalid_token", "接口令牌无效")
    if token.revoked_at is not None or not token.account.is_active:
        return Refusal(401, "revoked_token", "接口令牌已被吊销")
    if token.is_expired:
        return Refusal(401, "expired_token", "接口令牌已过期")
    if not token.allows(address):
        return Refusal(403, "address_refused", f"接口令牌不允许从地址 {address} 使用")
    return token


def touch(token: ApiToken, address: str | None) -> None:
    """Record the last use, at most once a minute per token (a polling screen must not turn
    every read into a write)."""
    now = timezone.now()
    if token.last_used_at and (now - token.last_used_at).total_seconds() < 60:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_from=address)
