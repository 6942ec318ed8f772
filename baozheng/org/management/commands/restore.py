"""`baozheng restore FILE`: put back what `baozheng backup` wrote (replaces current data)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from baozheng.lib.backup import BackupError, restore


class Command(BaseCommand):
    help = "恢复：用 baozheng backup 生成的文件替换当前的数据库、附件、报告和密钥（先停止服务）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="baozheng backup 生成的备份文件")
        parser.add_argument(
            "--yes", action="store_true", help="确认替换当前全部数据（不加此项只提示不执行）"
        )

    def handle(self, *args, **options) -> None:
        path = Path(options["file"]).resolve()
        if not path.is_file():
            raise CommandError(f"找不到备份文件：{path}")
        if not options["yes"]:
            raise CommandError("恢复会替换当前全部数据：请先停止服务，确认后加 --yes 再运行")
        try:
            manifest = restore(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"已从 {path} 恢复（备份时间 {manifest['created_at']}）。请重新启动服务。"
        )
        if manifest["key_differs"]:
            self.stdout.write(
                "注意：环境变量 BAOZHENG_SECRET_KEY 与备份中的密钥不同，评委评分链接将失效；"
                "请把它设为数据目录中 secret_key 文件的内容后再启动。"
            )
