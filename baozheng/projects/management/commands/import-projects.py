"""`baozheng import-projects FILE [--dry-run]`: load the key-project registry."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from baozheng.lib.tabular import ImportFileError
from baozheng.projects.importer import import_projects


class Command(BaseCommand):
    help = "导入重点项目清单（xlsx/csv）：逐行校验，有错误则不做任何修改；--dry-run 只报告将做的修改"

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="项目清单文件（.xlsx 或 .csv）")
        parser.add_argument("--dry-run", action="store_true", help="试导入：校验并报告，不保存")

    def handle(self, *args, file: str, dry_run: bool, **options) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        try:
            report = import_projects(path.read_bytes(), path.name, dry_run=dry_run)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from None
        for error in report.errors:
            self.stderr.write(str(error))
        if report.errors:
            raise CommandError(report.summary())
        self.stdout.write(report.summary())
