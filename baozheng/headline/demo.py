"""Demo: the six headline indicators of the source interviews' city, the county outlines shipped in
`demo_data/` (see `demo_boundaries`), and one big-screen link for the dispatch office.
Idempotent: nothing is created twice."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from baozheng.headline.boundaries import import_boundaries
from baozheng.headline.demo_boundaries import DEMO_FILE
from baozheng.headline.models import DisplayLink, HeadlineIndicator
from baozheng.org.models import Unit
from baozheng.stats.models import Indicator

# GDP, above-scale industry, fixed investment, retail sales, budget revenue, foreign trade.
HEADLINE_CODES = ("A01", "A02", "A03", "B01", "B06", "B02")
CITY = "411300"


def load(out: Callable[[str], None], as_of: date | None = None) -> None:
    """`as_of` (the demo timeline's anchor) is taken like every part's; nothing here is dated."""
    if not HeadlineIndicator.objects.exists():
        found = {i.code: i for i in Indicator.objects.filter(code__in=HEADLINE_CODES)}
        for order, code in enumerate(HEADLINE_CODES, start=1):
            if code in found:
                HeadlineIndicator.objects.create(indicator=found[code], order=order)
    city = Unit.objects.filter(code=CITY).first()
    if city is None:
        return
    report = import_boundaries(DEMO_FILE.read_bytes(), DEMO_FILE.name)
    if not DisplayLink.objects.filter(unit=city).exists():
        DisplayLink.objects.create(name="调度指挥中心大屏", unit=city)
    out(
        f"领导要览：首页重点指标 {HeadlineIndicator.objects.count()} 个，"
        f"单位边界 {report.created + report.updated + report.unchanged} 个，大屏链接已就绪"
    )
