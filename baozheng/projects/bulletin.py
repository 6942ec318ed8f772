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
    return f"南阳市重点项目建设月通报（{bulletin['label']}）"


NUMBER_FORMAT = "#,##0.0#"  # percentages print one decimal, amounts (万元) up to two


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
    )
    office.table_sheet(
        wb,
        "分包领导项目推进情况",
        LEADER_HEADERS,
        _leader_table(bulletin),
        subtitle,
        number_format=NUMBER_FORMAT,
        sheet_name="分包领导",
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


def to_docx(bulletin: dict) -> bytes:
    doc = office.official_document(
        title(bulletin), f"时序进度 {bulletin['time_progress']}%　金额单位：万元"
    )
    met = [c["name"] for c in bulletin["counties"] if c["rule_met"]]
    missed = [c["name"] for c in bulletin["counties"] if not c["rule_met"]]
    red = sum(p["level"] == "red" for p in bulletin["lagging"])
    doc.add_paragraph(
        f"截至{bulletin['label']}，全市纳入调度的重点项目中，亮红灯 {red} 个、亮黄灯 "
        f"{len(bulletin['lagging']) - red} 个。两年内引进10亿元以上制造业项目1个或5亿元以上2个的要求，"
        f"已达标：{'、'.join(met) or '无'}；未达标：{'、'.join(missed) or '无'}。"
    )
    doc.add_paragraph("一、县市区排名（按投资完成率）")
    office.add_table(doc, COUNTY_HEADERS, _stringify(_county_table(bulletin), amounts={9, 10}))
    doc.add_paragraph("二、分包领导项目推进情况")
    office.add_table(doc, LEADER_HEADERS, _stringify(_leader_table(bulletin), amounts={2, 3}))
    doc.add_paragraph("三、滞后项目清单")
    office.add_table(doc, LAGGING_HEADERS, _stringify(_lagging_table(bulletin), amounts=set()))
    return office.document_bytes(doc)


def _stringify(rows: list[list[object]], amounts: set[int]) -> list[list[object]]:
    """Percentages are rounded to one decimal already and amounts (万元) carry two; print
    them as they are, never re-rounding a float."""
    return [
        [
            (f"{v:,.2f}" if i in amounts else f"{v:.1f}") if isinstance(v, float) else v
            for i, v in enumerate(row)
        ]
        for row in rows
    ]
