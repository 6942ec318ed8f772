"""Issuing tokens for API tests, on the org personas' units."""

from __future__ import annotations

from django.test import Client

from baozheng.api import tokens
from baozheng.org.models import Unit


def token(name: str, role: str, *codes: str, **options) -> str:
    units = [Unit.objects.get(code=code) for code in codes]
    return tokens.issue(name, role, units, **options)[1]


class TokenClient:
    """A test client that sends one token with every request."""

    def __init__(self, secret: str, **extra) -> None:
        self.client = Client(**extra)
        self.header = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    def get(self, path: str, data: dict | None = None, **extra):
        return self.client.get(path, data or {}, **self.header, **extra)

    def post_json(self, path: str, body, **extra):
        return self.client.post(path, body, content_type="application/json", **self.header, **extra)

    def post_csv(self, path: str, text: str, **extra):
        return self.client.post(
            path, text.encode(), content_type="text/csv", **self.header, **extra
        )
