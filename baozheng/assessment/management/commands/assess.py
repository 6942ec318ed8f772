"""`baozheng assess sangeyipi 2023-09 [--publish]`: compute a scheme's newest version for a period."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from baozheng.assessment import methods, services
from baozheng.assessment.models import FrozenError, Scheme
from baozheng.assessment.periods import PeriodError, parse_period


class Command(BaseCommand):
    help = "综合考评：按方案（最新版本）计算某期结果（草稿），可直接发布"

    def add_arguments(self, parser) -> None:
        parser.add_argument("scheme", help="方案编码，如 sangeyipi")
        parser.add_argument("period", help="期间截止月份，如 2023-09")
        parser.add_argument("--publish", action="store_true", help="计算后立即发布（冻结）")

    def handle(self, *args, **options) -> None:
        scheme = Scheme.objects.filter(code=options["scheme"]).order_by("-version").first()
        if scheme is None:
            raise CommandError(f"没有编码为“{options['scheme']}”的方案")
        try:
            period = parse_period(options["period"], scheme.period_kind)
            run = services.create_run(scheme, period)
            if options["publish"]:
                services.publish(run)
        except (PeriodError, methods.SchemeError, FrozenError, ValidationError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{run}：{run.get_status_display()}，{run.rows.count()}个单位")
        for row in run.rows.all():
            self.stdout.write(
                f"  {row.rank or '—':>3}  {row.unit_name}  {row.total if row.total is not None else '无数据'}"
            )
