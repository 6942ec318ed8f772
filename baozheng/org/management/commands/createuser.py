"""`baozheng createuser`: create or update an account with a role and unit scope."""

from __future__ import annotations

import getpass
import sys

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from baozheng.org.models import Unit, User
from baozheng.org.roles import Role


class Command(BaseCommand):
    help = "创建或更新用户：指定角色、所在单位和数据范围（单位编码）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("username", help="用户名")
        parser.add_argument(
            "--role",
            required=True,
            choices=Role.values,
            help="角色：" + "，".join(f"{r.value}={r.label}" for r in Role),
        )
        parser.add_argument(
            "--unit",
            action="append",
            required=True,
            dest="units",
            help="数据范围的单位编码，可重复；第一个为所在单位",
        )
        parser.add_argument("--name", default="", help="姓名")
        parser.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码")

    def handle(
        self,
        *args,
        username: str,
        role: str,
        units: list[str],
        name: str,
        password_stdin: bool,
        **options,
    ) -> None:
        found = {u.code: u for u in Unit.objects.filter(code__in=units)}
        missing = [c for c in units if c not in found]
        if missing:
            raise CommandError(f"单位编码不存在：{'、'.join(missing)}")
        password = self._read_password(password_stdin)
        user = User(username=username, full_name=name)
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError("密码不符合要求：" + "；".join(exc.messages)) from None
        with transaction.atomic():
            user, created = User.objects.get_or_create(username=username)
            user.role = role
            user.full_name = name or user.full_name
            user.unit = found[units[0]]
            user.is_staff = user.is_superuser = role == Role.ADMIN
            user.set_password(password)
            user.save()
            user.scope.set(found[c] for c in units)
        verb = "已创建" if created else "已更新"
        self.stdout.write(
            f"{verb}用户 {username}（{Role(role).label}），数据范围：{'、'.join(found[c].name for c in units)}"
        )

    def _read_password(self, from_stdin: bool) -> str:
        if from_stdin:
            return sys.stdin.readline().rstrip("\n")
        if not sys.stdin.isatty():
            raise CommandError("非交互环境请使用 --password-stdin 提供密码")
        first = getpass.getpass("密码：")
        if first != getpass.getpass("再次输入密码："):
            raise CommandError("两次输入的密码不一致")
        return first
