"""Demo schemes and runs, built on the other apps' demo data (loaded before this one).

- 三个一批 (Henan's quarterly method, 100 points + bonus/penalty) on the key projects,
  enterprise satisfaction and a manual service rating;
- 主要指标位次 (rank-based) on indicator growth ranks from the statistics core;
- 目标完成 (attainment-based) on the completion of level targets and the GDP target status;
- 部门督办 (departments) on task on-time rates and enterprise requests.
For each county scheme, on the demo timeline (`baozheng.org.timeline`): the quarter before
the latest one the released statistics reach published, that one as a draft (so rank
changes show); the
department scheme has a draft for the current quarter (the tasks demo lives in the present).
Items whose source app is not installed are left out; missing figures follow each item's
rule. Idempotent: schemes by (code, version 1), runs only when the scheme has none.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from baozheng.analysis.periods import Period
from baozheng.assessment import services, sources
from baozheng.assessment.models import (
    Adjustment,
    ManualFigure,
    RankTargetRecord,
    Scheme,
    SchemeItem,
    Subjects,
)
from baozheng.assessment.periods import END_MONTHS, AssessmentPeriod
from baozheng.lib import saved
from baozheng.org.demo import one_load
from baozheng.org.models import PeerGroup, Unit, UnitKind, User
from baozheng.org.timeline import of as timeline_of

COUNTY_GROUP = "411300-COUNTY"
TIERS = [
    {"label": "第一方阵", "max_rank": 4},
    {"label": "第二方阵", "max_rank": 9},
    {"label": "第三方阵"},
]


def demo_quarters(released: Period) -> tuple[AssessmentPeriod, AssessmentPeriod]:
    """(published, draft): the latest quarter the released statistics reach, and the one
    before it (into last year when needed)."""
    ends = [m for m in END_MONTHS["quarter"] if m <= released.month]
    year, month = (released.year, ends[-1]) if ends else (released.year - 1, 12)
    before = (year, month - 3) if month > 3 else (year - 1, 12)
    return AssessmentPeriod(*before, "quarter"), AssessmentPeriod(year, month, "quarter")


TABLE_15 = {
    "table": [
        {"from": 1, "to": 3, "points": 15},
        {"from": 4, "to": 6, "points": 12},
        {"from": 7, "to": 10, "points": 9},
    ],
    "otherwise": 6,
}
TABLE_25 = {
    "table": [
        {"from": 1, "to": 3, "points": 25},
        {"from": 4, "to": 6, "points": 20},
        {"from": 7, "to": 10, "points": 15},
    ],
    "otherwise": 10,
}

# (key, group, name, points, source, source params, method, method params, missing rule)
SANGEYIPI = [
    (
        "reserve",
        "谋划储备",
        "储备项目数",
        10,
        "project_figure",
        {"figure": "projects", "category": "batch"},
        "rank_step",
        {"step": "0.5", "decimals": 0},
        "zero",
    ),
    (
        "signed",
        "签约落地",
        "本年签约项目数",
        15,
        "project_figure",
        {"figure": "signed_this_year", "category": "batch"},
        "rank_table",
        TABLE_15 | {"decimals": 0},
        "zero",
    ),
    (
        "landed",
        "签约落地",
        "本年落地项目数",
        15,
        "project_figure",
        {"figure": "landed_this_year", "category": "batch"},
        "rank_step",
        {"step": 1, "decimals": 0},
        "zero",
    ),
    (
        "start_rate",
        "开工投产",
        "签约项目开工率",
        15,
        "project_figure",
        {"figure": "start_rate", "category": "batch"},
        "attainment_ratio",
        {"target": 100},
        "zero",
    ),
    (
        "producing",
        "开工投产",
        "本年投产项目数",
        15,
        "project_figure",
        {"figure": "producing_this_year", "category": "batch"},
        "rank_step",
        {"step": 1, "decimals": 0},
        "zero",
    ),
    (
        "output",
        "达产达效",
        "投资完成率与时序进度之差",
        20,
        "project_figure",
        {"figure": "gap", "category": "batch"},
        "linear",
        {"floor": -20, "stretch": 0, "floor_share": "0.4"},
        "exclude",
    ),
    (
        "satisfaction",
        "服务保障",
        "企业诉求满意率",
        5,
        "enterprise_request",
        {"figure": "satisfaction_rate"},
        "attainment_ratio",
        {"target": 100},
        "exclude",
    ),
    (
        "service",
        "服务保障",
        "要素保障服务评价",
        5,
        "manual",
        {"key": "sangeyipi_service"},
        "direct",
        {},
        "zero",
    ),
    (
        "bonus",
        "加减分",
        "加分",
        5,
        "adjustments",
        {"key": "sangeyipi_bonus"},
        "entries",
        {"kind": "bonus"},
        "zero",
    ),
    (
        "penalty",
        "加减分",
        "减分",
        5,
        "adjustments",
        {"key": "sangeyipi_penalty"},
        "entries",
        {"kind": "penalty"},
        "zero",
    ),
]
RANKS = [
    (
        "gdp",
        "增长",
        "地区生产总值增速",
        25,
        "indicator",
        {"indicator": "A01", "metric": "growth"},
        "rank_table",
        TABLE_25,
        "zero",
    ),
    (
        "industry",
        "增长",
        "规上工业增加值增速",
        25,
        "indicator",
        {"indicator": "A02", "metric": "growth"},
        "rank_step",
        {"step": "1.5"},
        "zero",
    ),
    (
        "investment",
        "增长",
        "固定资产投资增速",
        25,
        "indicator",
        {"indicator": "A03", "metric": "growth"},
        "rank_step",
        {"step": "1.5"},
        "zero",
    ),
    (
        "retail",
        "增长",
        "社会消费品零售总额增速",
        25,
        "indicator",
        {"indicator": "B01", "metric": "growth"},
        "rank_table",
        TABLE_25,
        "zero",
    ),
]
ATTAINMENT = [
    (
        "firms",
        "目标完成",
        "新增规上工业企业数完成率",
        20,
        "indicator",
        {"indicator": "C01", "metric": "completion_pct"},
        "attainment_steps",
        {
            "base": 75,
            "short_step": "0.2",
            "bands": [{"from": 75, "to": 100, "step": "0.2"}],
            "cap": 5,
        },
        "zero",
    ),
    (
        "5g",
        "目标完成",
        "新建5G基站完成率",
        20,
        "indicator",
        {"indicator": "C02", "metric": "completion_pct"},
        "attainment_ratio",
        {"target": 75, "cap": "1.2"},
        "zero",
    ),
    (
        "cloud",
        "目标完成",
        "上云企业数完成率",
        20,
        "indicator",
        {"indicator": "C03", "metric": "completion_pct"},
        "attainment_ratio",
        {"target": 75, "cap": "1.2"},
        "zero",
    ),
    (
        "signed",
        "目标完成",
        "亿元以上签约项目数完成率",
        20,
        "indicator",
        {"indicator": "C04", "metric": "completion_pct"},
        "linear",
        {"floor": 60, "stretch": 80, "floor_share": "0.5"},
        "exclude",
    ),
    (
        "gdp_status",
        "目标亮灯",
        "地区生产总值目标亮灯",
        20,
        "indicator",
        {"indicator": "A01", "metric": "status_level"},
        "tier",
        {"floor": 2, "stretch": 3, "floor_share": "0.8"},
        "zero",
    ),
]
DEPARTMENTS = [
    (
        "tasks",
        "督办落实",
        "督办事项按期办结率",
        50,
        "task_on_time",
        {},
        "attainment_ratio",
        {"target": 100},
        "exclude",
    ),
    (
        "requests",
        "企业服务",
        "企业诉求按期办结率",
        30,
        "enterprise_request",
        {"figure": "on_time_rate"},
        "attainment_ratio",
        {"target": 100},
        "exclude",
    ),
    (
        "rating",
        "综合评价",
        "调度办评价",
        20,
        "manual",
        {"key": "dept_rating"},
        "direct",
        {},
        "zero",
    ),
]


def _scheme(code: str, name: str, items: list, description: str, **fields) -> Scheme:
    scheme = Scheme.objects.filter(code=code, version=1).first()
    if scheme is None:
        scheme = Scheme.objects.create(
            code=code,
            version=1,
            name=name,
            description=description,
            is_demo=True,
            tiers=TIERS,
            **fields,
        )
        SchemeItem.objects.bulk_create(
            [
                SchemeItem(
                    scheme=scheme,
                    order=n,
                    key=key,
                    group=group,
                    name=label,
                    points=Decimal(points),
                    source=source,
                    source_params=sp,
                    method=method,
                    method_params=mp,
                    missing_rule=missing,
                )
                for n, (key, group, label, points, source, sp, method, mp, missing) in enumerate(
                    items
                )
                if source in sources.SOURCES
            ]
        )
    return scheme


def _manual_figures(
    key: str,
    units: list[Unit],
    period: AssessmentPeriod,
    rng: random.Random,
    low: int,
    high: int,
    by: User | None,
) -> None:
    """One figure per unit: a stored one changed as update_or_create changes it, the new
    ones written together, each as its own save would (`lib.saved.InTurn`), without
    update_or_create's read each."""
    where = {
        "key": key,
        "period_kind": period.kind,
        "period_year": period.year,
        "period_month": period.month,
    }
    stored = set(
        ManualFigure.objects.filter(**where, unit__in=units).values_list("unit_id", flat=True)
    )
    new = saved.InTurn(ManualFigure)
    for unit in units:
        value = Decimal(rng.randint(low * 10, high * 10)) / 10
        fields = {
            "value": value,
            "evidence_text": f"{period.label}要素保障服务督查评价表（演示）",
            "entered_by": by,
        }
        if unit.pk in stored:
            new.write()
            ManualFigure.objects.update_or_create(**where, unit=unit, defaults=fields)
        else:
            new.hold(ManualFigure(**where, unit=unit, **fields))
    new.write()


def _adjust(
    key: str, unit: Unit, kind: str, points: str, reason: str, period: AssessmentPeriod, by
) -> None:
    Adjustment.objects.get_or_create(
        key=key,
        unit=unit,
        kind=kind,
        reason=reason,
        period_kind=period.kind,
        period_year=period.year,
        period_month=period.month,
        defaults={
            "points": Decimal(points),
            "evidence_text": "市委督查室通报（演示）",
            "entered_by": by,
        },
    )


def current_quarter(today: date) -> AssessmentPeriod:
    return AssessmentPeriod(
        today.year, next(m for m in END_MONTHS["quarter"] if m >= today.month), "quarter"
    )


def _runs(scheme: Scheme, published: AssessmentPeriod | None, draft: AssessmentPeriod, by) -> int:
    if scheme.runs.exists():
        return 0
    if published is not None:
        services.publish(services.create_run(scheme, published, by, is_demo=True), by)
    services.create_run(scheme, draft, by, is_demo=True)
    return 1 + (published is not None)


@one_load()
@sources.shared_reads()  # its runs change no owner's figures: each asked once
def load(out: Callable[[str], None], as_of: date | None = None) -> None:
    line = timeline_of(as_of)
    published, draft = demo_quarters(line.released)
    group = PeerGroup.objects.filter(code=COUNTY_GROUP).first()
    if group is None:
        out("综合考评：缺少县市区分组，跳过")
        return
    rng = random.Random(8)
    dispatch = User.objects.filter(username="dispatch").first()
    counties = list(Unit.objects.filter(peer_group=group).order_by("code"))
    departments = list(
        Unit.objects.subtree(Unit.objects.home()).filter(kind=UnitKind.DEPARTMENT).order_by("code")
    )
    for period in (published, draft):
        _manual_figures("sangeyipi_service", counties, period, rng, 3, 5, dispatch)
    by_code = {u.code: u for u in counties}
    _adjust(
        "sangeyipi_bonus",
        by_code["411303"],
        "bonus",
        "2",
        "项目获评全省“三个一批”观摩优秀",
        published,
        dispatch,
    )
    _adjust(
        "sangeyipi_bonus",
        by_code["411381"],
        "bonus",
        "3",
        "引进10亿元以上制造业项目",
        draft,
        dispatch,
    )
    _adjust(
        "sangeyipi_penalty",
        by_code["411327"],
        "penalty",
        "1",
        "项目信息报送不及时",
        draft,
        dispatch,
    )
    for unit, floor, stretch, top in (
        (by_code["411303"], 3, 2, 1),
        (by_code["411302"], 5, 3, None),
    ):
        for code in ("sangeyipi", "zhibiao", "mubiao"):
            RankTargetRecord.objects.get_or_create(
                unit=unit,
                scheme_code=code,
                year=line.year,
                defaults={"floor": floor, "stretch": stretch, "top": top},
            )
    county = {"subjects": Subjects.PEER_GROUP, "peer_group": group, "period_kind": "quarter"}
    runs = 0
    runs += _runs(
        _scheme(
            "sangeyipi",
            "“三个一批”项目建设考评",
            SANGEYIPI,
            "河南省“三个一批”季度考评办法：谋划储备10分、签约落地30分、开工投产30分、达产达效20分、"
            "服务保障10分，另设加减分。",
            **county,
        ),
        published,
        draft,
        dispatch,
    )
    runs += _runs(
        _scheme(
            "zhibiao",
            "主要经济指标位次考评",
            RANKS,
            "按主要指标增速在县市区中的位次赋分。",
            **county,
        ),
        published,
        draft,
        dispatch,
    )
    runs += _runs(
        _scheme(
            "mubiao", "年度目标完成考评", ATTAINMENT, "按量化目标完成率与目标亮灯赋分。", **county
        ),
        published,
        draft,
        dispatch,
    )
    quarter = current_quarter(line.anchor)
    _manual_figures("dept_rating", departments, quarter, rng, 14, 20, dispatch)
    runs += _runs(
        _scheme(
            "bumen",
            "市直部门督办考评",
            DEPARTMENTS,
            "按督办事项与企业诉求办理情况考评市直部门。",
            subjects=Subjects.DEPARTMENTS,
            period_kind="quarter",
        ),
        None,
        quarter,
        dispatch,
    )
    out(
        f"综合考评：4个方案，新增{runs}次计算（县市区方案{published.label}已发布、{draft.label}为草稿；"
        f"部门方案{quarter.label}为草稿）"
    )
