"""`baozheng projects-bulletin --period 2023-06 --format json|xlsx|docx [--out FILE]`."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from baozheng.documents import cli as document_options
from baozheng.projects import bulletin
from baozheng.projects.facts import reporting_month
from baozheng.projects.models import Project
from baozheng.projects.rules import parse_month

RENDERERS = {"json": bulletin.to_json, "xlsx": bulletin.to_xlsx, "docx": bulletin.to_docx}


class Command(BaseCommand):
    help = "生成重点项目月通报（县市区排名、滞后项目清单），格式 json、xlsx 或 docx"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--period", help="期间，如 2023-06（默认：最近填报月份）")
        parser.add_argument(
            "--format", choices=sorted(RENDERERS), default="json", help="输出格式（默认 json）"
        )
        parser.add_argument("--out", help="输出文件（默认：json 打印到屏幕，其他格式写入当前目录）")
        document_options.add_arguments(parser)

    def handle(self, *args, period: str | None, format: str, out: str | None, **options) -> None:
        try:
            month = parse_month(period) if period else reporting_month()
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        data = bulletin.build(Project.objects.all(), bulletin.ranked_counties(), month)
        if format == "docx":
            head = document_options.head_from(options, "projects_bulletin", month.year, month.month)
            content = bulletin.to_docx(data, head=head, draft=options.get("draft") or "")
        else:
            content = RENDERERS[format](data)
        if out is None and format == "json":
            self.stdout.write(content.decode())
            return
        target = Path(out or f"重点项目月通报-{month}.{format}")
        target.write_bytes(content)
        self.stdout.write(f"已生成 {target}（{len(data['lagging'])} 个滞后项目）")
