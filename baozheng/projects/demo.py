"""Demo key projects: about 260 plausible Nanyang projects across the 13 counties with
the statistics year's monthly progress, "三个一批" batches and support requests, so that
every warning appears at the reporting month — the demo timeline's released month
(`baozheng.org.timeline`). Dates are counted back from the end of that month (the
story was first told ending at 2023-12-31; `REFERENCE_END`), so every anchor gets the
same mix of scenarios. Deterministic (a fixed random state), idempotent (skipped when demo projects
exist) and fast (bulk_create)."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from baozheng.lib import bulk
from baozheng.org.demo import COUNTIES, one_load
from baozheng.org.models import Unit, User
from baozheng.org.timeline import of as timeline_of
from baozheng.projects import versioning
from baozheng.projects.models import (
    Batch,
    BatchEntry,
    Category,
    Industry,
    ProgressReport,
    Project,
    Stage,
    SupportCategory,
    SupportRoute,
)
from baozheng.projects.rules import STAGE_KEYS
from baozheng.projects.services import default_support_unit, open_support_request

REFERENCE_END = date(2023, 12, 31)
PROJECTS_PER_COUNTY = 20
RANDOM_STATE = 411300

PRODUCTS = {
    Industry.NEW_ENERGY: [
        "年产5GW光伏组件",
        "储能电池",
        "分散式风电",
        "氢能产业园",
        "锂电池正极材料",
        "抽水蓄能配套",
    ],
    Industry.EQUIPMENT: [
        "智能防爆电机",
        "新能源汽车零部件",
        "高端数控机床",
        "农机装备",
        "汽车减震器",
        "输变电装备",
    ],
    Industry.BIOMEDICINE: [
        "中药饮片",
        "艾草制品精深加工",
        "生物疫苗",
        "医疗器械",
        "原料药",
        "仲景宛西制药扩能",
    ],
    Industry.FOOD: [
        "牧原肉食加工",
        "年产10万吨面制品",
        "香菇精深加工",
        "黄牛屠宰及深加工",
        "猕猴桃果汁",
        "调味品",
    ],
    Industry.OPTOELECTRONICS: ["光学镜头", "精密光学元件", "激光器件", "光电显示模组", "红外光学"],
    Industry.TEXTILE: ["高端纺织服装", "丝绸制品", "家纺产业园", "无纺布"],
    Industry.NEW_MATERIALS: ["超硬材料", "石墨烯新材料", "特种钢", "铝基新材料", "新型建材"],
    Industry.LOGISTICS: ["冷链物流园", "公铁联运物流港", "智慧仓储中心", "农产品批发物流"],
    Industry.DIGITAL: ["数据中心", "软件和信息服务产业园", "电子信息产业园"],
    Industry.TOURISM: ["伏牛山文旅康养", "丹江湖旅游度假区", "卧龙岗文化园提升"],
    Industry.INFRASTRUCTURE: ["城区道路改造", "污水处理厂提标", "供水管网改造"],
}
MANUFACTURING = {
    Industry.NEW_ENERGY,
    Industry.EQUIPMENT,
    Industry.BIOMEDICINE,
    Industry.FOOD,
    Industry.OPTOELECTRONICS,
    Industry.TEXTILE,
    Industry.NEW_MATERIALS,
}
BRANDS = [
    "华鑫",
    "中原",
    "豫宛",
    "伏牛",
    "卧龙",
    "汉冶",
    "白河",
    "丹江",
    "仲景",
    "天冠",
    "宛达",
    "众诚",
    "南阳",
    "金宇",
    "昌盛",
    "恒瑞",
    "新纪元",
    "盛达",
    "龙升",
    "瑞丰",
]
LEADERS = ["陈静", "王建国", "李红梅", "张志强", "刘卫东", "赵雪梅", "孙国强"]
WEAK_COUNTIES = {"411321", "411327", "411330"}  # no big manufacturing project recently signed

# The four latest "三个一批" activities, quarterly, as days before the reporting month's end.
BATCH_DAYS_BEFORE = (376, 278, 186, 96)
GAPS = {
    "landed": (20, 60),
    "started": (30, 120),
    "producing": (240, 480),
    "at_capacity": (150, 330),
}


def _rand_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


@dataclass(frozen=True)
class Calendar:
    """The reporting month's end and the dates of the story counted back from it."""

    end: date

    @property
    def year(self) -> int:
        return self.end.year

    def on(self, reference: date) -> date:
        """A date of the reference story (ending 2023-12-31) moved to end at `end`."""
        return self.end - (REFERENCE_END - reference)

    def batches(self) -> list[tuple[str, date]]:
        days = [self.end - timedelta(days=n) for n in BATCH_DAYS_BEFORE]
        return [(f"{d.year}年第{(d.month - 1) // 3 + 1}期“三个一批”项目建设活动", d) for d in days]


def _chain(rng: random.Random, anchor: str, anchor_date: date) -> dict[str, date]:
    """Dates of every stage, going back and forward from the anchor stage."""
    dates = {anchor: anchor_date}
    i = STAGE_KEYS.index(anchor)
    for k in range(i - 1, -1, -1):
        dates[STAGE_KEYS[k]] = dates[STAGE_KEYS[k + 1]] - timedelta(
            days=rng.randint(*GAPS[STAGE_KEYS[k + 1]])
        )
    for k in range(i + 1, len(STAGE_KEYS)):
        dates[STAGE_KEYS[k]] = dates[STAGE_KEYS[k - 1]] + timedelta(
            days=rng.randint(*GAPS[STAGE_KEYS[k]])
        )
    return dates


def _scenario(rng: random.Random) -> str:
    roll = rng.random()
    for name, share in (
        ("producing", 0.20),
        ("started", 0.44),
        ("stats_yellow", 0.03),
        ("stats_red", 0.03),
        ("signed", 0.18),
        ("start_yellow", 0.05),
    ):
        if roll < share:
            return name
        roll -= share
    return "start_red"


def _dates(
    rng: random.Random, scenario: str, batch: tuple[int, str] | None, cal: Calendar
) -> tuple[dict, dict, date | None]:
    """(actual dates reached by the month's end, planned dates, 入统 date) for a scenario."""
    on, END = cal.on, cal.end
    if batch is not None:
        index, side = batch
        chain = _chain(rng, side, cal.batches()[index][1])
    elif scenario == "producing":
        chain = _chain(
            rng, "producing", _rand_date(rng, on(date(2023, 1, 10)), on(date(2023, 11, 20)))
        )
    elif scenario == "started":
        chain = _chain(
            rng, "started", _rand_date(rng, on(date(2022, 3, 1)), on(date(2023, 10, 25)))
        )
    elif scenario == "stats_yellow":
        chain = _chain(
            rng, "started", _rand_date(rng, on(date(2023, 11, 1)), on(date(2023, 11, 28)))
        )
    elif scenario == "stats_red":
        chain = _chain(
            rng, "started", _rand_date(rng, on(date(2023, 7, 1)), on(date(2023, 10, 20)))
        )
    else:  # signed, possibly with its planned start passed
        chain = _chain(rng, "signed", _rand_date(rng, on(date(2022, 10, 1)), on(date(2023, 6, 30))))
        late_start = {
            "start_yellow": on(date(2023, rng.choice([10, 11]), 15)),
            "start_red": on(date(2023, rng.randint(4, 9), 15)),
        }.get(scenario)
        chain["started"] = late_start or _rand_date(
            rng, on(date(2024, 2, 1)), on(date(2024, 9, 30))
        )
        for k in ("producing", "at_capacity"):
            chain[k] = chain["started"] + timedelta(
                days=rng.randint(*GAPS[k]) * (1 + (k == "at_capacity"))
            )
        chain["landed"] = max(
            chain["signed"] + timedelta(days=5),
            min(chain["landed"], chain["started"] - timedelta(days=10)),
        )
    actual = {k: d for k, d in chain.items() if d <= END}
    if batch is None and (scenario.startswith("start_") or scenario == "signed"):
        actual = {k: d for k, d in actual.items() if STAGE_KEYS.index(k) < 2}
    planned = {}
    for k, d in chain.items():
        if k in actual:
            planned[k] = d - timedelta(days=rng.randint(0, 25))
        else:
            planned[k] = (
                d if d > END or k == "started" else END + timedelta(days=rng.randint(15, 200))
            )
    for before, after in itertools.pairwise(STAGE_KEYS):
        planned[after] = max(planned[after], planned[before])
    started = actual.get("started")
    stats = None
    if started and not scenario.startswith("stats_"):
        stats = started + timedelta(days=rng.randint(10, 40))
    return actual, planned, stats


def _total(rng: random.Random, county: str, manufacturing: bool) -> Decimal:
    roll = rng.random()
    if roll < 0.55:
        value = rng.randint(5000, 30000)
    elif roll < 0.8:
        value = rng.randint(30000, 80000)
    elif roll < 0.95:
        value = rng.randint(80000, 200000)
    else:
        value = rng.randint(200000, 600000)
    if manufacturing and county in WEAK_COUNTIES:
        value = min(value, 45000)
    return Decimal(value)


def _completion(rng: random.Random, scenario: str) -> float:
    if scenario.startswith("start_"):
        return rng.uniform(0.05, 0.4)
    roll = rng.random()
    if roll < 0.7:
        return rng.uniform(0.93, 1.15)
    if roll < 0.85:
        return rng.uniform(0.72, 0.88)
    return rng.uniform(0.35, 0.65)


# A demo month's progress report as a row of values (`bulk.insert_rows`).
REPORT_FIELDS = ("project", "year", "month", "invested_month", "invested_ytd", "narrative")


def _reports(
    rng: random.Random,
    project: Project,
    first_month: int,
    start_month: int,
    completion: float,
    end: date,
) -> list[tuple]:
    """Reports (REPORT_FIELDS) from signing (or January) to the reporting month; months
    before the start carry only preparatory spending, so late starters lag time progress
    as real ones do. The year's spending is spread over all twelve months, so by the
    reporting month a project stands near its share of the plan."""
    weights = [
        rng.uniform(0.6, 1.4) if m >= start_month else rng.uniform(0.2, 0.5)
        for m in range(first_month, 13)
    ]
    target = float(project.annual_plan) * completion
    cumulative, rows = Decimal(0), []
    for offset, month in enumerate(range(first_month, end.month + 1)):
        amount = Decimal(str(round(target * weights[offset] / sum(weights), 2)))
        cumulative += amount
        narrative = _narrative(rng, project, month)
        rows.append((project.pk, end.year, month, amount, cumulative, narrative))
    return rows


def _narrative(rng: random.Random, project: Project, month: int) -> str:
    return rng.choice(
        [
            "主体结构施工中",
            "设备安装调试",
            "厂房封顶，正在内部装修",
            "场地平整完成",
            "钢结构吊装",
            "生产线试运行",
            "办理施工许可等前期手续",
            "配套道路施工",
        ]
    )


def month_end(year: int, month: int) -> date:
    following = date(year + (month == 12), month % 12 + 1, 1)
    return following - timedelta(days=1)


# The demo city's 对口单位 per kind of support request (department codes of org.demo).
SUPPORT_ROUTES = {
    SupportCategory.LAND: "411300ZRJ",
    SupportCategory.ENERGY: "411300FGW",
    SupportCategory.POWER: "411300GDG",
    SupportCategory.LABOUR: "411300SWJ",
    SupportCategory.FINANCE: "411300CZJ",
    SupportCategory.LOGISTICS: "411300SWJ",
    SupportCategory.APPROVAL: "411300FGW",
}


def create_support_routes() -> None:
    """The routes the dispatch office would set; a category already routed (by an earlier
    load, or changed by hand since) is left as it is."""
    units = Unit.objects.in_bulk(set(SUPPORT_ROUTES.values()), field_name="code")
    for category, code in SUPPORT_ROUTES.items():
        if code in units:
            SupportRoute.objects.get_or_create(category=category, defaults={"unit": units[code]})


@one_load()
def load(out: Callable[[str], None], as_of: date | None = None) -> None:
    line = timeline_of(as_of)
    create_support_routes()
    cal = Calendar(month_end(line.released.year, line.released.month))
    END, YEAR = cal.end, cal.year
    if Project.objects.filter(is_demo=True).exists():
        out(f"重点项目：已存在 {Project.objects.filter(is_demo=True).count()} 个演示项目，跳过")
        return
    rng = random.Random(RANDOM_STATE)
    units = {
        u.code: u
        for u in Unit.objects.filter(
            code__in=[c for c, _, _ in COUNTIES] + ["411300GXJ", "411300FGW", "411300SWJ"]
        )
    }
    leader_user = User.objects.filter(username="leader").first()
    batches = [Batch.objects.create(name=n, held_on=d, is_demo=True) for n, d in cal.batches()]
    projects, plans = [], []
    for county_code, county_name, _ in COUNTIES:
        for n in range(1, PROJECTS_PER_COUNTY + 1):
            industry = rng.choice(list(PRODUCTS))
            manufacturing = industry in MANUFACTURING
            scenario = _scenario(rng)
            category = rng.choices(
                [Category.PROVINCIAL, Category.CITY, Category.BATCH, Category.COUNTY],
                [15, 40, 30, 15],
            )[0]
            batch = None
            if category == Category.BATCH and scenario in ("producing", "started", "signed"):
                side = {
                    "producing": rng.choice(["started", "producing"]),
                    "started": rng.choice(["signed", "started"]),
                    "signed": "signed",
                }[scenario]
                batch = (rng.randrange(len(BATCH_DAYS_BEFORE)), side)
            elif category == Category.BATCH:
                category = Category.CITY
            leader_name = LEADERS[(n + int(county_code[-2:])) % len(LEADERS)]
            total = _total(rng, county_code, manufacturing)
            actual, planned, stats = _dates(rng, scenario, batch, cal)
            active = "started" in actual or planned["started"].year == YEAR
            plan = (
                (
                    total
                    * Decimal(
                        rng.uniform(0.05, 0.15)
                        if "started" not in actual
                        else rng.uniform(0.2, 0.5)
                    )
                ).quantize(Decimal("1"))
                if active
                else None
            )
            project = Project(
                code=f"NY{county_code[-2:]}{YEAR % 100}{n:03d}",
                name=f"{rng.choice(BRANDS)}{rng.choice(PRODUCTS[industry])}项目",
                county=units[county_code],
                industry=industry,
                is_manufacturing=manufacturing,
                department=units["411300GXJ" if manufacturing else "411300FGW"],
                total_investment=total,
                plan_year=YEAR if plan else None,
                annual_plan=plan,
                category=category,
                leader=leader_user if leader_name == "陈静" else None,
                leader_name=leader_name,
                lead_unit=units[county_code],
                task_force=f"{county_name}{Industry(industry).label}项目工作专班",
                entered_statistics_on=stats,
                is_demo=True,
            )
            projects.append(project)
            plans.append((project, scenario, actual, planned, batch))
    Project.objects.bulk_create(projects)
    stages, reports, entries = [], [], []
    for project, scenario, actual, planned, batch in plans:
        for kind in STAGE_KEYS:
            stages.append((project.pk, kind, planned.get(kind), actual.get(kind)))
        if batch is not None:
            entries.append(BatchEntry(batch=batches[batch[0]], project=project, side=batch[1]))
        if project.annual_plan:
            signed, started = actual.get("signed"), actual.get("started")
            first = signed.month if signed and signed.year == YEAR else 1
            start = started.month if started and started.year == YEAR else (1 if started else 13)
            reports.extend(
                _reports(rng, project, first, max(first, start), _completion(rng, scenario), END)
            )
    bulk.insert_rows(Stage, ("project", "kind", "planned_on", "actual_on"), stages)
    bulk.insert_objects(BatchEntry, entries)
    bulk.insert_rows(ProgressReport, REPORT_FIELDS, reports)
    versioning.bump()  # bulk inserts send no signals
    requests = _support_requests(rng, projects, line.anchor)
    out(
        f"重点项目：{len(projects)} 个（{len(batches)} 期“三个一批”），月度进展 {len(reports)} 条，"
        f"要素保障诉求 {requests} 条"
    )


def _support_requests(rng: random.Random, projects: list[Project], today: date) -> int:
    creator = User.objects.filter(username="dispatch").first()
    chosen = rng.sample(projects, 30)
    problems = {
        SupportCategory.LAND: "项目二期用地指标尚未落实，需协调新增建设用地指标",
        SupportCategory.ENERGY: "能耗指标不足，需协调用能权交易",
        SupportCategory.POWER: "110千伏专线报装进度慢，影响设备调试",
        SupportCategory.LABOUR: "熟练技工缺口约200人，需协调职业院校定向培训",
        SupportCategory.FINANCE: "流动资金贷款审批慢，需协调银行授信",
        SupportCategory.LOGISTICS: "原料运输需协调铁路专用线",
        SupportCategory.APPROVAL: "环评批复待省厅审批，需协调加快",
        SupportCategory.OTHER: "周边群众阻工，需属地协调",
    }
    for project in chosen:
        category = rng.choice(list(problems))
        open_support_request(
            project,
            category=category,
            description=problems[category],
            lead_unit=default_support_unit(project, category),
            owner=None,
            deadline=None,
            user=creator,
            opened_on=today - timedelta(days=rng.randint(0, 12)),
            is_demo=True,
        )
    return len(chosen)
