"""Delivering a reminder: e-mail through Django's SMTP settings (EMAIL_HOST, EMAIL_PORT …)
and group-robot webhooks in the two formats government offices use.

WeCom (企业微信群机器人): POST {"msgtype": "text", "text": {"content": …,
"mentioned_mobile_list": […]}}. DingTalk (钉钉自定义机器人): POST {"msgtype": "text",
"text": {"content": …}, "at": {"atMobiles": […], "isAtAll": false}}, with the optional
"加签" signature: timestamp (ms) and sign = Base64(HMAC-SHA256(secret, f"{timestamp}\n{secret}"))
appended to the URL. Both answer {"errcode": 0, …} on success.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from urllib.parse import quote_plus

from django.core.mail import send_mail

WEBHOOK_TIMEOUT_SECONDS = 10


class DeliveryError(Exception):
    """A reminder that could not be delivered; it will be tried again on the next run."""


def send_email(address: str, subject: str, body: str) -> None:
    try:
        send_mail(subject, body, None, [address], fail_silently=False)
    except Exception as exc:  # smtplib and socket errors alike
        raise DeliveryError(f"邮件发送失败（{address}）：{exc}") from exc


def wecom_payload(text: str, mobiles: Sequence[str] = ()) -> dict:
    return {"msgtype": "text", "text": {"content": text, "mentioned_mobile_list": list(mobiles)}}


def dingtalk_payload(text: str, mobiles: Sequence[str] = ()) -> dict:
    return {
        "msgtype": "text",
        "text": {"content": text},
        "at": {"atMobiles": list(mobiles), "isAtAll": False},
    }


def dingtalk_signed_url(url: str, secret: str, timestamp_ms: int | None = None) -> str:
    timestamp_ms = timestamp_ms if timestamp_ms is not None else int(time.time() * 1000)
    digest = hmac.new(
        secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256
    ).digest()
    sign = quote_plus(base64.b64encode(digest).decode())
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}timestamp={timestamp_ms}&sign={sign}"


def post_webhook(
    kind: str, url: str, text: str, mobiles: Sequence[str] = (), secret: str = ""
) -> None:
    if kind == "dingtalk":
        payload = dingtalk_payload(text, mobiles)
        url = dingtalk_signed_url(url, secret) if secret else url
    else:
        payload = wecom_payload(text, mobiles)
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode(),
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    try:
        with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT_SECONDS) as response:
            answer = json.loads(response.read().decode() or "{}")
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise DeliveryError(f"机器人消息发送失败：{exc}") from exc
    if answer.get("errcode", 0) != 0:
        raise DeliveryError(f"机器人消息被拒绝：{answer.get('errmsg', answer)}")
