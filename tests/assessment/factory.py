"""Small builders for assessment tests: a scheme on the county group read from manual figures."""

from decimal import Decimal

from baozheng.assessment.models import Adjustment, ManualFigure, Scheme, SchemeItem
from baozheng.assessment.periods import AssessmentPeriod
from baozheng.org.models import PeerGroup, Unit

Q2 = AssessmentPeriod(2023, 6, "quarter")


def counties() -> list[Unit]:
    return list(Unit.objects.filter(peer_group__code="411300-COUNTY").order_by("code"))


def rank_target_form(unit: Unit) -> dict:
    """The rank-target page's form for `unit` under scheme "test" in 2023: floor 4th,
    stretch 2nd, top 1st."""
    return {
        "unit": unit.pk,
        "scheme_code": "test",
        "year": 2023,
        "floor": 4,
        "stretch": 2,
        "top": 1,
    }


def scheme(code: str = "test", tiers=None, **kwargs) -> Scheme:
    defaults = {
        "name": "测试方案",
        "peer_group": PeerGroup.objects.get(code="411300-COUNTY"),
        "period_kind": "quarter",
        "tiers": tiers or [{"label": "第一方阵", "max_rank": 4}, {"label": "第二方阵"}],
    }
    return Scheme.objects.create(code=code, **(defaults | kwargs))


def item(
    s: Scheme,
    key: str,
    points: int,
    method: str,
    params: dict,
    missing: str = "zero",
    source: str = "manual",
    group: str = "",
) -> SchemeItem:
    source_params = {"key": key}
    return SchemeItem.objects.create(
        scheme=s,
        key=key,
        name=key,
        group=group,
        points=Decimal(points),
        source=source,
        source_params=source_params,
        method=method,
        method_params=params,
        missing_rule=missing,
        order=SchemeItem.objects.count(),
    )


def figure(key: str, unit: Unit, value, period=Q2, user=None) -> ManualFigure:
    return ManualFigure.objects.create(
        key=key,
        unit=unit,
        value=Decimal(str(value)),
        period_kind=period.kind,
        period_year=period.year,
        period_month=period.month,
        evidence_text="佐证",
        entered_by=user,
    )


def adjustment(key: str, unit: Unit, points, kind="bonus", period=Q2, user=None) -> Adjustment:
    return Adjustment.objects.create(
        key=key,
        unit=unit,
        points=Decimal(str(points)),
        kind=kind,
        reason="事由",
        evidence_text="文件",
        period_kind=period.kind,
        period_year=period.year,
        period_month=period.month,
        entered_by=user,
    )


def growth_and_service_scheme():
    """A scheme of two items (growth ranked in steps, a directly scored service figure) with
    every county's figures: the world of the page and job tests."""
    made = scheme()
    item(made, "growth", 10, "rank_step", {"step": 1}, group="增长")
    item(made, "service", 10, "direct", {}, group="服务")
    for n, unit in enumerate(counties()):
        figure("growth", unit, 20 - n)
        figure("service", unit, 8)
    return made
