"""API tokens: one per external system, each acting through an account of its own.

A token is backed by a service account (`User` with an unusable password) that holds the
token's role, owner unit and unit scope. Every check the pages make (`org.permissions`)
therefore applies to a token unchanged, and every change it makes is audited with that
account as the actor. Only a SHA-256 of the secret is stored: the secret is random (256
bits), so a slow password hash would add nothing but latency to every request.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.db import models
from django.utils import timezone

from baozheng.org.models import Unit


class ApiToken(models.Model):
    name = models.CharField("系统名称", max_length=60, unique=True)
    key_id = models.CharField("令牌编号", max_length=16, unique=True)
    secret_hash = models.CharField("密钥摘要", max_length=64)
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="接口账户",
        on_delete=models.PROTECT,
        related_name="api_token",
    )
    owner_unit = models.ForeignKey(
        Unit, verbose_name="所属单位", on_delete=models.PROTECT, related_name="api_tokens"
    )
    expires_at = models.DateTimeField("有效期至", null=True, blank=True)
    allowed_addresses = models.TextField(
        "允许的客户端地址",
        blank=True,
        help_text="每行一个 IP 地址或网段（如 10.1.2.0/24）；留空不限",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="签发人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("签发时间", auto_now_add=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    last_used_from = models.GenericIPAddressField("最近使用地址", null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def state(self) -> str:
        if self.revoked_at:
            return "已吊销"
        if self.is_expired:
            return "已过期"
        return "有效"

    def networks(self) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
        return [
            ipaddress.ip_network(line.strip(), strict=False)
            for line in self.allowed_addresses.split()
            if line.strip()
        ]

    def allows(self, address: str | None) -> bool:
        networks = self.networks()
        if not networks:
            return True
        if not address:
            return False
        try:
            client = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(client in network for network in networks)


class ApiRequest(models.Model):
    """One request made with a token: the access record of a system, as logins are a
    person's. Changes themselves are in the audit trail with the token's account."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="requests")
    at = models.DateTimeField("时间", default=timezone.now)
    method = models.CharField("方法", max_length=8)
    path = models.CharField("路径", max_length=300)
    status = models.PositiveSmallIntegerField("状态码")
    address = models.GenericIPAddressField("客户端地址", null=True, blank=True)

    class Meta:
        verbose_name = "接口访问记录"
        verbose_name_plural = "接口访问记录"
        ordering = ["-at"]
        indexes = [models.Index(fields=["token", "-at"], name="api_request_token_at")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.status}"
