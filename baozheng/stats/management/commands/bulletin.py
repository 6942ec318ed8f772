"""`baozheng bulletin --period 2023-06 [--parent 411300] --format json|xlsx|docx [--out FILE]`."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from baozheng.documents import cli as document_options
from baozheng.org.models import Unit
from baozheng.stats.bulletin import bulletin, parse_period
from baozheng.stats.bulletin_export import bulletin_docx, bulletin_xlsx


class Command(BaseCommand):
    help = "生成某期通报（JSON、Excel 或 Word）；未指定 --out 时 JSON 输出到标准输出"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--period", required=True, help="期间，如 2023-06 或 2023年1-6月")
        parser.add_argument("--parent", default="", help="上级单位编码（默认：本系统所属单位）")
        parser.add_argument(
            "--format", choices=["json", "xlsx", "docx"], default="json", help="输出格式"
        )
        parser.add_argument("--out", default="", help="输出文件；xlsx 和 docx 必须指定")
        document_options.add_arguments(parser)

    def handle(self, *args, period: str, parent: str, format: str, out: str, **options) -> None:
        try:
            when = parse_period(period)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        try:
            unit = Unit.objects.get(code=parent) if parent else Unit.objects.home()
        except Unit.DoesNotExist:
            raise CommandError(f"找不到单位“{parent}”") from None
        if format != "json" and not out:
            raise CommandError(f"{format} 格式须用 --out 指定输出文件")
        head = document_options.head_from(options, "stats_bulletin", when.year, when.month)
        result = bulletin(when, unit)
        if format == "json":
            text = json.dumps(result.data, ensure_ascii=False, indent=1, allow_nan=False)
            if not out:
                self.stdout.write(text)
                return
            Path(out).write_text(text + "\n", encoding="utf-8")
        else:
            Path(out).write_bytes(
                bulletin_xlsx(result)
                if format == "xlsx"
                else bulletin_docx(result, head=head, draft=options.get("draft") or "")
            )
        self.stdout.write(
            f"已生成 {result.data['period_label']} {unit.name} 通报：{out}（{len(result.data['rows'])} 行）"
        )
