"""`baozheng import units|indicators|observations|targets|projects|forms|boundaries FILE [--dry-run]`.

The one front door for imports from the command line. Statistics kinds go to
`baozheng.stats.imports`; the other kinds belong to the apps above the statistics core
(key projects, report forms, unit boundaries), which declare them as `import_kinds` on their
AppConfig, so that this core app never imports the apps built on it."""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from baozheng.lib.tabular import ImportFileError
from baozheng.stats.imports import KINDS, run_import

MAX_ERRORS_SHOWN = 200


def other_kinds() -> dict[str, tuple[str, str]]:
    """Import kinds declared by the apps (kind → importer's dotted path, label)."""
    kinds: dict[str, tuple[str, str]] = {}
    for config in apps.get_app_configs():
        kinds.update(getattr(config, "import_kinds", {}))
    return kinds


class Command(BaseCommand):
    help = "导入单位、指标、数据、目标、重点项目或报表（CSV/XLSX，中英文表头）；任何一行有错则不做任何修改"

    def add_arguments(self, parser) -> None:
        others = other_kinds()
        parser.add_argument(
            "kind",
            choices=[*KINDS, *others],
            help="导入类型："
            + "、".join(
                [f"{k} {v}" for k, v in KINDS.items()] + [f"{k} {v[1]}" for k, v in others.items()]
            ),
        )
        parser.add_argument("file", help="CSV 或 XLSX 文件")
        parser.add_argument(
            "--dry-run", action="store_true", help="试导入：只报告将发生的变化，不保存"
        )
        parser.add_argument("--reason", default="", help="修改已锁定数据的理由")
        parser.add_argument(
            "--indicator", default="", help="宽表：指标编码或名称（与 --period 一起使用）"
        )
        parser.add_argument("--period", default="", help="宽表：期间，如 2023-06 或 2023年1-6月")

    def handle(
        self,
        *args,
        kind: str,
        file: str,
        dry_run: bool,
        reason: str,
        indicator: str,
        period: str,
        **options,
    ) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        if kind != "observations" and (indicator or period):
            raise CommandError("--indicator 和 --period 只用于数据（observations）宽表导入")
        if bool(indicator) != bool(period):
            raise CommandError("宽表导入须同时指定 --indicator 和 --period")
        others = other_kinds()
        if kind in others and reason:
            raise CommandError("--reason 只用于统计数据导入")
        try:
            if kind in others:
                importer = import_string(others[kind][0])
                report = importer(path.read_bytes(), path.name, dry_run=dry_run)
            else:
                report = run_import(
                    kind,
                    path.read_bytes(),
                    path.name,
                    None,
                    dry_run=dry_run,
                    reason=reason,
                    indicator=indicator,
                    period=period,
                )
        except ImportFileError as exc:
            raise CommandError(str(exc)) from None
        for error in report.errors[:MAX_ERRORS_SHOWN]:
            self.stderr.write(str(error))
        if len(report.errors) > MAX_ERRORS_SHOWN:
            self.stderr.write(f"……另有 {len(report.errors) - MAX_ERRORS_SHOWN} 处错误未列出")
        if report.errors:
            raise CommandError(report.summary())
        self.stdout.write(report.summary())
