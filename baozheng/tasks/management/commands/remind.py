"""`baozheng remind`: send the due reminders of tracked tasks; safe to run from cron."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from baozheng.lib import once
from baozheng.tasks.reminders import NO_CHANNEL_TEXT, send_due
from baozheng.tasks.services import today


class Command(BaseCommand):
    help = "发送督办事项提醒（蓝灯临期、黄灯滞后、红灯超期升级），可由 cron 每几分钟运行一次，不会重复发送"

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="只列出将要发送的提醒，不发送、不记录"
        )
        parser.add_argument("--date", help="按指定日期（YYYY-MM-DD）判断灯色，默认今天")

    def handle(self, *args, dry_run: bool, date: str | None, **options) -> None:
        on = today()
        if date:
            try:
                on = _parse(date)
            except ValueError:
                raise CommandError(f"日期“{date}”格式不对，应为 YYYY-MM-DD") from None
        report = send_due(on, dry_run=dry_run)
        verb = "将发送" if dry_run else "已发送"
        for line in report.sent:
            self.stdout.write(f"{verb}：{line}")
        for line in report.skipped:
            self.stdout.write(f"跳过：{line}")
        for line in report.failed:
            self.stderr.write(f"失败（下次运行时重试）：{line}")
        self.stdout.write(
            f"{verb} {len(report.sent)} 条，此前已发送 {report.already} 条，"
            f"跳过 {len(report.skipped)} 条（{NO_CHANNEL_TEXT}），失败 {len(report.failed)} 条"
        )
        if not dry_run:
            self.stdout.write(f"已清理过期表单提交记录 {once.prune()} 条")
        if report.failed:
            raise CommandError("部分提醒发送失败")


def _parse(text: str) -> date:
    return date.fromisoformat(text)
