"""`baozheng push [--period 2023-09] [--parent CODE] [--release-version N] [--dry-run]`."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from baozheng.analysis.periods import Period
from baozheng.headline.push import note_release, push_release
from baozheng.headline.summary import headline_period
from baozheng.org.models import Unit


class Command(BaseCommand):
    help = "把一期的经济运行要览推送到企业微信、钉钉群机器人和邮件列表；每期每个渠道只推送一次"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--period", default="", help="期间，如 2023-09；默认最新一期")
        parser.add_argument("--parent", default="", help="单位编码；默认本级单位（如全市）")
        parser.add_argument(
            "--release-version", type=int, default=1, help="发布版本（更正后为 2、3…）"
        )
        parser.add_argument("--dry-run", action="store_true", help="只列出将推送的渠道，不发送")

    def handle(
        self, *args, period: str, parent: str, release_version: int, dry_run: bool, **options
    ):
        version = release_version
        unit = Unit.objects.filter(code=parent).first() if parent else Unit.objects.home()
        if unit is None:
            raise CommandError(f"找不到单位“{parent}”")
        if period:
            try:
                chosen = Period.parse(period)
            except ValueError as exc:
                raise CommandError(str(exc)) from None
        else:
            chosen = headline_period(unit)
            if chosen is None:
                raise CommandError("尚无已审核的数据，无法推送")
        if version < 1:
            raise CommandError("发布版本须为正整数")
        if not dry_run:
            note_release(chosen, unit, version)
        report = push_release(chosen, unit, version, dry_run=dry_run)
        for line in report.sent:
            self.stdout.write(f"{'将推送' if dry_run else '已推送'}：{line}")
        for line in report.failed:
            self.stderr.write(f"失败：{line}")
        self.stdout.write(f"{chosen.label} {unit.name}：{report.summary()}")
        if report.failed:
            raise CommandError("部分渠道推送失败")
