"""`baozheng worker`: run background jobs from the database queue: imports, documents,
assessment runs, release snapshots, pushes, reminders and pruning."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "启动后台任务进程（数据导入、文档生成、考评计算、发布原件、推送、提醒等耗时工作；"
        "可在多台服务器上各启动若干个）"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--interval", type=float, default=1.0, help="队列为空时的轮询间隔秒数（默认 1）"
        )
        parser.add_argument("--batch", action="store_true", help="处理完当前队列中的任务后退出")

    def handle(self, *args, interval: float, batch: bool, **options) -> None:
        # django-tasks-db's worker: claims one job at a time with SELECT … FOR UPDATE SKIP
        # LOCKED on PostgreSQL (an exclusive transaction on SQLite), so any number of
        # workers on any number of machines can share the queue.
        argv = ["--queue-name", "*", "--interval", str(interval), "--no-reload"]
        if batch:
            argv += ["--batch", "--no-startup-delay"]
        call_command("db_worker", *argv, verbosity=options.get("verbosity", 1))
