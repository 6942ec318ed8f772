"""The monthly key-project bulletin (月通报): counties ranked by investment completion
against time progress, the two-year introduction rule, leaders' projects, and the list of
lagging projects — as a dict (JSON) and rendered to xlsx and docx with `baozheng.lib.office`.
"""

from __future__ import annotations

import json
from decimal import Decimal

from django.db.models import QuerySet

from baozheng.lib import office
from baozheng.org.models import Unit
from baozheng.projects.facts import load_facts
from baozheng.projects.figures import GroupFigures, county_figures, lagging, leader_figures
from baozheng.projects.models import Project, WarningSettings
from baozheng.projects.rules import LEVEL_LABELS, Month, time_progress


def ranked_counties() -> list[Unit]:
    """The county-level units ranked against each other: every member of the partitioning
    peer groups (县市区) that hold projects, in code order. Functional zones lie inside
    districts, so their group is not ranked here."""
    groups = Unit.objects.filter(projects__isnull=False, peer_group__partitions=True).values(
        "peer_group"
    )
    return list(Unit.objects.filter(peer_group__in=groups).order_by("code"))


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _group_row(g: GroupFigures) -> dict:
    row = {
        "rank": g.rank,
        "code": g.key,
        "name": g.name,
        "projects": g.projects,
        "signed_this_year": g.signed_this_year,
        "landed_this_year": g.landed_this_year,
        "started_this_year": g.started_this_year,
        "producing_this_year": g.producing_this_year,
        "over_1_yi": g.over_one_yi,
        "over_10_yi": g.over_ten_yi,
        "total_investment": _number(g.total_investment),
        "annual_plan": _number(g.annual_plan),
        "invested_ytd": _number(g.invested_ytd),
        "completion": _number(g.completion),
        "time_progress": _number(g.expected),
        "gap": _number(g.gap),
        "signed": g.signed,
        "signed_and_started": g.signed_and_started,
        "start_rate": _number(g.start_rate),
        "yellow": g.yellow,
        "red": g.red,
    }
    if g.rule is not None:
        row.update(
            rule_met=g.rule.met, rule_over_10_yi=g.rule.over_ten, rule_over_5_yi=g.rule.over_five
        )
    return row


def build(projects: QuerySet[Project], counties: list[Unit], month: Month) -> dict:
    facts = load_facts(projects, month)
    county_rows = county_figures(facts, [(u.code, u.display_name) for u in counties], month)
    thresholds = WarningSettings.current()
    return {
        "period": str(month),
        "label": month.span_label,
        "time_progress": float(time_progress(month)),
        "thresholds": {
            k: _number(v) if isinstance(v, Decimal) else v for k, v in vars(thresholds).items()
        },
        "counties": [_group_row(g) for g in county_rows],
        "leaders": [_group_row(g) for g in leader_figures(facts, month)],
        "lagging": [
            {
                "code": p.code,
                "name": p.name,
                "county": p.county_name,
                "leader": p.leader_name,
                "level": p.level,
                "completion": _number(p.completion()),
                "alerts": [
                    {"rule": a.rule, "level": a.level, "message": a.message} for a in p.alerts
                ],
            }
            for p in lagging(facts)
        ],
    }


def to_json(bulletin: dict) -> bytes:
    return json.dumps(bulletin, ensure_ascii=False, indent=2).encode()


COUNTY_HEADERS = [
    "位次",
    "县市区",
    "项目数",
    "本年签约",
    "本年落地",
    "本年开工",
    "本年投产",
    "亿元以上",
    "10亿元以上",
    "年度计划投资（万元）",
    "本年累计完成（万元）",
    "投资完成率（%）",
    "时序进度（%）",
    "签约项目开工率（%）",
    "黄灯",
    "红灯",
    "两年引进制造业大项目",
]


def _county_table(bulletin: dict) -> list[list[object]]:
    return [
        [
            c["rank"] if c["rank"] is not None else "无数据",
            c["name"],
            c["projects"],
            c["signed_this_year"],
            c["landed_this_year"],
            c["started_this_year"],
            c["producing_this_year"],
            c["over_1_yi"],
            c["over_10_yi"],
            c["annual_plan"],
            c["invested_ytd"],
            c["completion"],
            c["time_progress"],
            c["start_rate"],
            c["yellow"],
            c["red"],
            f"{'达标' if c['rule_met'] else '未达标'}（10亿元以上{c['rule_over_10_yi']}个，5亿元以上{c['rule_over_5_yi']}个）",
        ]
        for c in bulletin["counties"]
    ]


LEADER_HEADERS = [
    "分包领导",
    "项目数",
    "年度计划投资（万元）",
    "本年累计完成（万元）",
    "投资完成率（%）",
    "黄灯",
    "红灯",
]


def _leader_table(bulletin: dict) -> list[list[object]]:
    return [
        [
            g["name"],
            g["projects"],
            g["annual_plan"],
            g["invested_ytd"],
            g["completion"],
            g["yellow"],
            g["red"],
        ]
        for g in bulletin["leaders"]
    ]


LAGGING_HEADERS = [
    "预警",
    "项目编码",
    "项目名称",
    "县市区",
    "分包领导",
    "投资完成率（%）",
    "预警事项",
]


def _lagging_table(bulletin: dict) -> list[list[object]]:
    return [
        [
            LEVEL_LABELS[p["level"]],
            p["code"],
            p["name"],
            p["county"],
            p["leader"],
            p["completion"],
            "；".join(a["message"] for a in p["alerts"]),
        ]
        for p in bulletin["lagging"]
    ]


def title(bulletin: dict) -> str:
    """The installation's own unit (data, not code) names the bulletin."""
    return f"{Unit.objects.home().name}重点项目建设月通报（{bulletin['label']}）"


NUMBER_FORMAT = "0.0"  # percentages: one decimal
AMOUNT_FORMAT = "#,##0.00"  # amounts (万元): thousands separators, always two decimals


def to_xlsx(bulletin: dict) -> bytes:
    wb = office.new_workbook()
    subtitle = f"时序进度 {bulletin['time_progress']}%　金额单位：万元"
    office.table_sheet(
        wb,
        title(bulletin),
        COUNTY_HEADERS,
        _county_table(bulletin),
        subtitle,
        number_format=NUMBER_FORMAT,
        sheet_name="县市区排名",
        formats={9: AMOUNT_FORMAT, 10: AMOUNT_FORMAT},
    )
    office.table_sheet(
        wb,
        "分包领导项目推进情况",
        LEADER_HEADERS,
        _leader_table(bulletin),
        subtitle,
        number_format=NUMBER_FORMAT,
        sheet_name="分包领导",
        formats={2: AMOUNT_FORMAT, 3: AMOUNT_FORMAT},
    )
    ws = office.table_sheet(
        wb,
        "滞后项目清单",
        LAGGING_HEADERS,
        _lagging_table(bulletin),
        subtitle,
        number_format=NUMBER_FORMAT,
        sheet_name="滞后项目",
    )
    start = 4  # title, subtitle, header, then data
    for offset, project in enumerate(bulletin["lagging"]):
        fill = office.status_fill(project["level"])
        if fill:
            ws.cell(start + offset, 1).fill = fill
    return office.workbook_bytes(wb)


DOC_COUNTY_HEADERS = [
    "位次",
    "县市区",
    "项目数",
    "年度计划投资（亿元）",
    "本年累计完成（亿元）",
    "投资完成率（%）",
    "与时序进度差（百分点）",
    "黄灯",
    "红灯",
    "两年引进制造业大项目",
]


def _yi(value: float | None) -> str:
    """万元 → 亿元, one decimal, half-up."""
    return "—" if value is None else f"{office.round_half_up(value / 10000):.1f}"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{office.round_half_up(value):.1f}"


def _doc_county_rows(bulletin: dict) -> list[list[str]]:
    return [
        [
            str(c["rank"]) if c["rank"] is not None else "—",
            c["name"],
            str(c["projects"]),
            _yi(c["annual_plan"]),
            _yi(c["invested_ytd"]),
            _pct(c["completion"]),
            _pct(c["gap"]),
            str(c["yellow"]),
            str(c["red"]),
            "达标" if c.get("rule_met") else "未达标",
        ]
        for c in bulletin["counties"]
    ]


def to_docx(bulletin: dict, *, head=None, draft: str = "") -> bytes:
    """A 公文: totals in a short text, the county ranking, the leaders' table and the
    red-light projects grouped by county as landscape 附件 (the full list is in the xlsx)."""
    year, month = (int(x) for x in bulletin["period"].split("-"))
    if head is None:
        from baozheng.documents.settings import letterhead

        head = letterhead("projects_bulletin", year=year, month=month)
    doc = office.official_document(title(bulletin), head=head, draft=draft)
    counties = bulletin["counties"]
    plan = sum(c["annual_plan"] or 0 for c in counties)
    done = sum(c["invested_ytd"] or 0 for c in counties)
    projects = sum(c["projects"] for c in counties)
    red = [p for p in bulletin["lagging"] if p["level"] == "red"]
    share = office.round_half_up(done / plan * 100) if plan else None
    text = f"{bulletin['label']}，纳入调度的{projects}个重点项目累计完成投资{_yi(done)}亿元"
    if share is not None:
        gap = share - office.round_half_up(bulletin["time_progress"])
        pace = "快于" if gap > 0 else "慢于"
        versus = f"{pace}时序进度{abs(gap):.1f}个百分点" if gap else "与时序进度持平"
        text += f"，占年度计划的{share:.1f}%，{versus}"
    text += f"。亮红灯项目{len(red)}个、亮黄灯项目{len(bulletin['lagging']) - len(red)}个。"
    doc.add_paragraph(text)
    met = [c["name"] for c in counties if c.get("rule_met")]
    missed = [c["name"] for c in counties if not c.get("rule_met")]
    doc.add_paragraph(
        "两年内引进10亿元以上制造业项目1个或5亿元以上2个的要求，"
        f"已达标的有{'、'.join(met) or '无'}；未达标的有{'、'.join(missed) or '无'}。"
    )
    doc.add_paragraph("请各县市区对照排名和红灯项目清单，逐一分析原因，加快推进。")
    note = f"注：时序进度{bulletin['time_progress']:.1f}%；与时序进度差为投资完成率减时序进度。"
    total = [
        "",
        "合计",
        str(projects),
        _yi(plan),
        _yi(done),
        _pct(share),
        _pct(None if share is None else share - bulletin["time_progress"]),
        str(sum(c["yellow"] for c in counties)),
        str(sum(c["red"] for c in counties)),
        "",
    ]
    office.add_table(
        doc,
        DOC_COUNTY_HEADERS,
        [total, *_doc_county_rows(bulletin)],
        annex=f"{bulletin['label']}县市区重点项目建设排名",
        notes=[note],
        bold_rows=[0],
    )
    office.add_table(
        doc,
        [
            "分包领导",
            "项目数",
            "年度计划投资（亿元）",
            "本年累计完成（亿元）",
            "投资完成率（%）",
            "黄灯",
            "红灯",
        ],
        [
            [
                g["name"],
                str(g["projects"]),
                _yi(g["annual_plan"]),
                _yi(g["invested_ytd"]),
                _pct(g["completion"]),
                str(g["yellow"]),
                str(g["red"]),
            ]
            for g in bulletin["leaders"]
        ],
        annex=f"{bulletin['label']}分包领导项目推进情况",
    )
    for county in sorted({p["county"] for p in red}):
        office.add_annex_group(
            doc,
            f"{bulletin['label']}红灯项目清单",
            county,
            ["项目编码", "项目名称", "分包领导", "投资完成率（%）", "预警事项"],
            [
                [
                    p["code"],
                    p["name"],
                    p["leader"] or "—",
                    _pct(p["completion"]),
                    "；".join(a["message"] for a in p["alerts"]),
                ]
                for p in red
                if p["county"] == county
            ],
        )
    return office.document_bytes(doc)
