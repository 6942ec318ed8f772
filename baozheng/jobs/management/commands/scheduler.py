"""`baozheng scheduler [--once] [--interval 10]`: enqueue the periodic jobs when due."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from baozheng.jobs.scheduler import PERIODIC, tick


class Command(BaseCommand):
    help = (
        "定时调度：到期时把督办提醒、推送补发、过期记录清理排入后台任务队列；"
        "可在多台服务器上同时运行，同一次任务只排入一次"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="检查一次后退出")
        parser.add_argument(
            "--interval", type=float, default=10.0, help="两次检查之间的秒数（默认 10）"
        )

    def handle(self, *args, once: bool, interval: float, **options) -> None:
        names = "、".join(p.title for p in PERIODIC)
        if not once:
            self.stdout.write(f"定时调度已启动（{names}），每 {interval:g} 秒检查一次")
        try:
            while True:
                for job in tick():
                    self.stdout.write(f"已排入：{job.title}（{job.pk}）")
                if once:
                    return
                time.sleep(interval)
                close_old_connections()  # as a server does between requests
        except KeyboardInterrupt:
            self.stdout.write("定时调度已停止")
