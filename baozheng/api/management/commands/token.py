"""`baozheng token …`: API tokens for other systems from the command line."""

from __future__ import annotations

from datetime import date, datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from baozheng.api import tokens
from baozheng.api.models import ApiToken
from baozheng.org.models import Unit


def _expiry(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"有效期“{text}”应写作 2024-12-31") from None
    return timezone.make_aware(datetime.combine(day, time.max))


class Command(BaseCommand):
    help = "接口令牌：create 签发（密钥只输出一次）；list 列出；revoke 吊销"

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="签发令牌，输出密钥（只此一次）")
        create.add_argument("name", help="系统名称，如 省统计联网直报")
        create.add_argument(
            "--role", required=True, help="角色：" + "、".join(r.value for r in tokens.TOKEN_ROLES)
        )
        create.add_argument(
            "--unit", action="append", required=True, help="数据范围单位编码（可重复）"
        )
        create.add_argument("--expires", help="有效期至（含当日），如 2024-12-31")
        create.add_argument(
            "--allow", action="append", default=[], help="允许的客户端地址或网段（可重复）"
        )
        sub.add_parser("list", help="列出令牌、状态和最近使用时间")
        revoke = sub.add_parser("revoke", help="吊销令牌")
        revoke.add_argument("name", help="系统名称")

    def handle(self, *args, action: str, **options) -> None:
        if action == "create":
            self.create(options)
        elif action == "list":
            for t in ApiToken.objects.select_related("account"):
                used = t.last_used_at.strftime("%Y-%m-%d %H:%M") if t.last_used_at else "从未使用"
                self.stdout.write(f"{t.name}\t{t.account.get_role_display()}\t{t.state}\t{used}")
        else:
            token = ApiToken.objects.filter(name=options["name"]).first()
            if token is None:
                raise CommandError(f"找不到名为“{options['name']}”的令牌")
            tokens.revoke(token)
            self.stdout.write(f"已吊销令牌“{token.name}”")

    def create(self, options: dict) -> None:
        codes = options["unit"]
        units = list(Unit.objects.filter(code__in=codes))
        missing = sorted(set(codes) - {u.code for u in units})
        if missing:
            raise CommandError(f"找不到单位：{'、'.join(missing)}")
        by_code = {u.code: u for u in units}
        try:
            token, secret = tokens.issue(
                options["name"],
                options["role"],
                [by_code[c] for c in codes],
                expires_at=_expiry(options.get("expires")),
                allowed_addresses="\n".join(options["allow"]),
            )
        except tokens.TokenError as exc:
            raise CommandError(str(exc)) from None
        self.stderr.write(f"已签发令牌“{token.name}”。密钥只输出这一次，请妥善保存：")
        self.stdout.write(secret)
