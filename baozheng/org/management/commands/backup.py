"""`baozheng backup FILE`: database, uploads, reports and secret key in one file."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from baozheng.lib.backup import BackupError, backup


class Command(BaseCommand):
    help = "备份：数据库、上传附件、生成的报告和密钥写入一个文件（服务运行时也可备份）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="备份文件路径，如 /backup/baozheng-2026-12-01.tar.gz")

    def handle(self, *args, **options) -> None:
        path = Path(options["file"]).resolve()
        if not path.parent.is_dir():
            raise CommandError(f"目录不存在：{path.parent}")
        try:
            manifest = backup(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"已备份到 {path}（{manifest['engine']} 数据库、附件、报告和密钥；文件含密钥，请妥善保管）"
        )
