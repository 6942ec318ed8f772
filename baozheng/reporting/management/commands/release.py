"""`baozheng release --period 2023-06 [--parent CODE] [--note TEXT]`."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from baozheng.analysis.periods import Period
from baozheng.org.models import Unit
from baozheng.reporting.models import PeriodError
from baozheng.reporting.releases import release_period


class Command(BaseCommand):
    help = "发布某期通报（保存为不可修改的快照；更正后再次发布形成新版本并列明更正内容）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--period", required=True, help="期间，如 2023-06 或 2023年1-6月")
        parser.add_argument("--parent", default="", help="上级单位编码（默认：本系统所属单位）")
        parser.add_argument("--note", default="", help="发布说明（如更正原因）")

    def handle(self, *args, period: str, parent: str, note: str, **options) -> None:
        try:
            when = Period.parse(period)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        try:
            unit = Unit.objects.get(code=parent) if parent else Unit.objects.home()
        except Unit.DoesNotExist:
            raise CommandError(f"找不到单位“{parent}”") from None
        try:
            release = release_period(None, when, unit, note, documents_now=True)
        except PeriodError as exc:
            raise CommandError(str(exc)) from None
        text = f"已发布{unit.name}{when.label}通报第{release.version}版"
        if release.version > 1:
            text += f"，更正 {len(release.differences)} 处"
        self.stdout.write(text)
