"""Submission progress (报送进度): who has not submitted a period's figures by the deadline."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from baozheng.monitor.context import parse_period, period_choices
from baozheng.monitor.progress import collection_period, completeness, reporting_units
from baozheng.org.permissions import require
from baozheng.org.roles import Cap
from baozheng.stats.models import Indicator


@require(Cap.VIEW)
def progress(request: HttpRequest) -> HttpResponse:
    units = reporting_units(request.user)
    text = request.GET.get("period")
    period = parse_period(text, None) if text else collection_period(units)
    rows = completeness(units, list(Indicator.objects.all()), period)
    return render(
        request,
        "monitor/progress.html",
        {
            "period": period,
            "periods": period_choices(period, period),
            "rows": rows,
            "today": date.today(),
            "late_units": sum(1 for row in rows if row.overdue),
        },
    )
