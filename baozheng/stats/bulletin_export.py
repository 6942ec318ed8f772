"""The bulletin as a statistics office's workbook (xlsx) and as an official monthly
bulletin (docx). Both print figures as r(x) to one decimal (DOMAIN §5) and colour the
status; words follow the bulletins' idiom: "1-6月，全市社会消费品零售总额xx亿元，同比增长
x.x%，高于全省x.x个百分点，居全省第x位"."""

from __future__ import annotations

from datetime import date

from baozheng.analysis.rounding import r
from baozheng.lib.office import (
    add_table,
    document_bytes,
    grouped_table_sheet,
    new_workbook,
    official_document,
    workbook_bytes,
)
from baozheng.org.models import Unit, UnitKind
from baozheng.stats.bulletin import Bulletin
from baozheng.stats.models import Indicator, Kind, tier_label

STATUS_LABELS = {
    "exceeds": "超争先",
    "on_track": "达保底",
    "at_risk": "预警",
    "off_track": "落后",
    "no_target": "无目标",
    "no_data": "无数据",
}
AREA_WORDS = {
    UnitKind.PROVINCE: "全省",
    UnitKind.CITY: "全市",
    UnitKind.COUNTY_CITY: "全市",
    UnitKind.COUNTY: "全县",
    UnitKind.DISTRICT: "全区",
    UnitKind.ZONE: "全区",
    UnitKind.COUNTRY: "全国",
}


def area_word(unit: Unit | None) -> str:
    return AREA_WORDS.get(unit.kind, unit.name) if unit else ""


def span(b: Bulletin) -> str:
    """ "1-6月" of "2023年1-6月"."""
    return b.inputs.period.label.split("年", 1)[1]


def one(x: float | None) -> str:
    return "—" if x is None else f"{r(x):.1f}"


def amount(x: float | None, indicator: Indicator) -> str:
    if x is None:
        return "—"
    if indicator.kind == Kind.COUNT and indicator.cumulative:
        return f"{r(x):.0f}"
    return one(x)


def _rows_by_indicator(b: Bulletin) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for row in b.data["rows"]:
        grouped.setdefault(row["indicator"], []).append(row)
    return grouped


def _grandparent(b: Bulletin) -> Unit | None:
    return (
        b.units.get(b.inputs.parent.path.strip("/").split("/")[-2])
        if b.inputs.parent.parent_id
        else None
    )


def _change(x: int | None) -> str:
    if x is None:
        return "—"
    return f"↑{x}" if x > 0 else (f"↓{-x}" if x < 0 else "—")


def summary_sentence(b: Bulletin, indicator: Indicator, row: dict) -> str:
    """One line of the bulletin's opening: value, growth, versus the level above, rank."""
    here, above = area_word(b.inputs.parent), area_word(_grandparent(b))
    text = f"{span(b)}，{here}{indicator.name}"
    is_rate = indicator.is_rate or (indicator.measure == "%" and not indicator.growth_only)
    if row["value"] is not None and not indicator.growth_only:
        text += f"{amount(row['value'], indicator)}{indicator.measure}，"
    growth = None if is_rate else row["growth"]
    change = row.get("change_pp")
    if change is not None:
        # A rate moves in percentage points, never by a growth rate (DOMAIN §3).
        moved = "上升" if r(change) > 0 else ("下降" if r(change) < 0 else "持平")
        text += (
            "比上年同期持平"
            if moved == "持平"
            else f"比上年同期{moved}{abs(r(change)):.1f}个百分点"
        )
    if growth is not None:
        text += ("同比增长" if r(growth) >= 0 else "同比下降") + f"{abs(r(growth)):.1f}%"
        pp = row["vs_parent_pp"]
        if pp is not None and above:
            if pp > 0:
                text += f"，高于{above}{r(pp):.1f}个百分点"
            elif pp < 0:
                text += f"，低于{above}{abs(r(pp)):.1f}个百分点"
            else:
                text += f"，与{above}持平"
    elif row["value"] is None:
        text += "暂无数据"
    text = text.rstrip("，")
    if row["rank"] is not None and above and (row["rank_of"] or 0) > 1:
        text += f"，居{above}第{row['rank']}位"
    if row["completion_pct"] is not None:
        target = _target_word(row)
        progress = "应完成" if row.get("expected_source") == "phase" else "时序进度"
        text += f"，完成{target}的{one(row['completion_pct'])}%（{progress}{one(row['expected_pct'])}%）"
    required = row["required_growth_floor"]
    if required is not None:
        if r(required) >= 0:
            text += f"；完成全年保底目标，余下月份需增长{one(required)}%"
        else:
            text += f"；余下月份增速不低于{one(required)}%即可完成全年保底目标"
    return text + "。"


def _target_word(row: dict) -> str:
    """“年度目标”, or the phase target in force (“一季度目标”)."""
    period = row.get("target_period") or ""
    return tier_label(int(period[5:])) if len(period) > 4 else "年度目标"


def _target_heading(parent_row: dict) -> str:
    """An indicator sheet's target heading: “年度目标”, or “一季度目标” when the parent is
    judged against a phase target at this period."""
    return _target_word(parent_row)


def _growth_column(row: dict, indicator: Indicator):
    """A rate's column holds its change in points; every other indicator's its growth."""
    return row.get("change_pp") if indicator.is_rate else row["growth"]


def _label(b: Bulletin, row: dict) -> str:
    unit = b.units.get(row["unit"])
    return unit.display_name if unit else row["unit"]


def _table_row(b: Bulletin, row: dict) -> list:
    return [
        _label(b, row),
        row["value"],
        row["value_last_year"],
        _growth_column(row, b.indicators[row["indicator"]]),
        row["month_value"],
        row["month_growth"],
        row["vs_parent_pp"],
        row["pull_pp"],
        row["contribution_pct"],
        row["rank"],
        row["rank_change"],
        row["target_floor"],
        row["target_stretch"],
        row["completion_pct"],
        row["expected_pct"],
        row["required_growth_floor"],
        row["required_growth_stretch"],
        STATUS_LABELS[row["status"]],
    ]


def _rounded(values: list) -> list:
    """Official tables carry the printed figure: r(x), so a sum in Excel matches the page."""
    return [r(v) if isinstance(v, float) else v for v in values]


def bulletin_xlsx(b: Bulletin) -> bytes:
    wb = new_workbook()
    here = area_word(b.inputs.parent)
    period_label = b.inputs.period.label
    grouped = _rows_by_indicator(b)
    indicators = b.indicators
    overview = []
    statuses = []
    for code, rows in grouped.items():
        ind, row = indicators[code], rows[0]
        overview.append(
            _rounded(
                [
                    ind.name,
                    ind.measure,
                    row["value"],
                    _growth_column(row, ind),
                    row["vs_parent_pp"],
                    row["rank"],
                    row["rank_change"],
                    row["target_floor"],
                    row["target_stretch"],
                    row["completion_pct"],
                    row["required_growth_floor"],
                    STATUS_LABELS[row["status"]],
                ]
            )
        )
        statuses.append(row["status"])
    above = area_word(_grandparent(b)) or "上级"
    grouped_table_sheet(
        wb,
        f"{b.inputs.parent.name}{period_label}主要指标",
        [
            ("指标", ["指标"]),
            ("计量单位", ["计量单位"]),
            (f"{span(b)}", ["累计值", "同比增长(%)/比率变化(百分点)"]),
            (f"比{above}", [f"比{above}(百分点)"]),
            ("位次", [f"{above}位次", "位次变化"]),
            ("本期目标", ["保", "争"]),
            ("进度", ["完成率(%)", "保底需增速(%)"]),
            ("状态", ["状态"]),
        ],
        overview,
        subtitle=f"生成日期：{date.today():%Y年%m月%d日}；本期目标：阶段目标生效时为阶段目标，否则为年度目标",
        sheet_name="总表",
        status_column=11,
        status_of=statuses,
        formats={5: "0", 6: "+0;-0;0"},
    )
    for code, rows in grouped.items():
        ind = indicators[code]
        measure = ind.measure or "—"
        grouped_table_sheet(
            wb,
            f"{period_label}{ind.name}",
            [
                ("地区", ["地区"]),
                (f"{span(b)}累计（{measure}）", ["本期", "上年同期"]),
                ("增长", ["比上年同期(百分点)" if ind.is_rate else "同比增长(%)"]),
                ("当期", ["当期值", "当期增长(%)"]),
                ("比较", [f"比{here}(百分点)", "拉动(百分点)", "贡献率(%)"]),
                ("位次", ["位次", "位次变化"]),
                (_target_heading(rows[0]), ["保", "争"]),
                ("进度", ["完成率(%)", "时序进度(%)"]),
                ("倒算", ["保底需增速(%)", "争先需增速(%)"]),
                ("状态", ["状态"]),
            ],
            [_rounded(_table_row(b, row)) for row in rows],
            subtitle=f"计量单位：{measure}；增速、比重：%",
            sheet_name=f"{code} {ind.name}"[:31],
            status_column=17,
            status_of=[row["status"] for row in rows],
            formats={9: "0", 10: "+0;-0;0"},
        )
    return workbook_bytes(wb)


DOC_HEADERS = [
    "地区",
    "累计值",
    "同比增长(%)",
    "比上级(百分点)",
    "位次",
    "位次变化",
    "完成率(%)",
    "保底需增速(%)",
    "状态",
]


def bulletin_docx(b: Bulletin, issuer: str = "") -> bytes:
    parent = b.inputs.parent
    doc = official_document(
        f"{parent.name}主要经济指标运行情况通报", f"（{b.inputs.period.label}）"
    )
    dated = doc.add_paragraph(
        f"{issuer or parent.name + '经济运行调度指挥部办公室'}    {date.today():%Y年%m月%d日}"
    )
    dated.alignment = 1
    grouped = _rows_by_indicator(b)
    indicators = b.indicators
    doc.add_heading("一、总体情况", level=2)
    for code, rows in grouped.items():
        doc.add_paragraph(summary_sentence(b, indicators[code], rows[0]))
    doc.add_heading("二、分地区情况", level=2)
    for code, rows in grouped.items():
        ind = indicators[code]
        children = rows[1:]
        if not children:
            continue
        doc.add_paragraph(f"{ind.name}（{ind.measure or '—'}）").runs[0].bold = True
        table_rows = [
            [
                _label(b, row),
                amount(row["value"], ind),
                _growth_column(row, ind),
                row["vs_parent_pp"],
                row["rank"],
                _change(row["rank_change"]),
                row["completion_pct"],
                row["required_growth_floor"],
                STATUS_LABELS[row["status"]],
            ]
            for row in children
        ]
        headers = list(DOC_HEADERS)
        if ind.is_rate:
            headers[1:3] = ["本期", "比上年同期(百分点)"]
        add_table(
            doc,
            headers,
            table_rows,
            status_column=8,
            status_of=[row["status"] for row in children],
        )
    doc.add_heading("三、预警提示", level=2)
    for status, heading in (
        ("off_track", "（一）红灯（落后于保底目标）"),
        ("at_risk", "（二）黄灯（接近保底目标，需加力）"),
    ):
        doc.add_paragraph(heading).runs[0].bold = True
        items = [
            (indicators[row["indicator"]], row) for row in b.data["rows"] if row["status"] == status
        ]
        if not items:
            doc.add_paragraph("无。")
        for ind, row in items:
            doc.add_paragraph(_warning_line(b, ind, row), style="List Bullet")
    return document_bytes(doc)


def _warning_line(b: Bulletin, ind: Indicator, row: dict) -> str:
    what = f"{_label(b, row)}：{ind.name}"
    if row["target_basis"] == "level" and row["completion_pct"] is not None:
        return (
            f"{what}完成{_target_word(row)}{one(row['completion_pct'])}%，"
            f"{'应完成' if row.get('expected_source') == 'phase' else '时序进度'}"
            f"{one(row['expected_pct'])}%"
        )
    if ind.is_rate:
        return (
            f"{what}{one(row['value'])}{ind.measure}，"
            f"{_target_word(row)}“保”{one(row['target_floor'])}{ind.measure}"
        )
    figure = f"同比增长{one(row['growth'])}%" if row["growth"] is not None else "暂无增速"
    return f"{what}{figure}，保底目标{one(row['target_floor'])}%"
