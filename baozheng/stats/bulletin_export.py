"""The bulletin as a statistics office's workbook (xlsx) and as an official monthly
bulletin (docx). Both print figures as r(x) to one decimal (docs/rules.md §3) and colour the
status; words follow the bulletins' idiom: "1-6月，全市社会消费品零售总额xx亿元，同比增长
x.x%，高于全省x.x个百分点，居全省第x位"."""

from __future__ import annotations

from datetime import date

from baozheng.analysis.rounding import r
from baozheng.documents.settings import letterhead
from baozheng.lib.gongwen import Letterhead, date_text
from baozheng.lib.numbers import never_raises
from baozheng.lib.office import (
    STATUS_FILLS,
    add_annex_group,
    document_bytes,
    grouped_table_sheet,
    new_workbook,
    official_document,
    workbook_bytes,
)
from baozheng.lib.vocabulary import STATUS_LABELS, legend, reason_words
from baozheng.org.models import Unit, UnitKind
from baozheng.stats import bulletin_sentences as sentences
from baozheng.stats.bulletin import Bulletin
from baozheng.stats.models import Indicator, Kind, tier_label

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


@never_raises
def one(x: float | None) -> str:
    return "—" if x is None else f"{r(x):.1f}"


@never_raises
def amount(x: float | None, indicator: Indicator) -> str:
    if x is None:
        return "—"
    if indicator.kind == Kind.COUNT and indicator.cumulative:
        return f"{r(x):.0f}"
    return one(x)


def _sheet_name(name: str, used: set[str]) -> str:
    """The indicator's Chinese name as the tab (Excel allows 31 characters, no []:*?/\\)."""
    base = "".join(ch for ch in name if ch not in "[]:*?/\\")[:28] or "指标"
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base}{n}", n + 1
    used.add(candidate)
    return candidate


def _rows_by_indicator(b: Bulletin) -> dict[str, list[dict]]:
    """Rows per indicator, as printed: a rate (失业率) has no growth; until it is ranked by
    its level (kind `rate`), its growth-based rank and vs-parent are not printed either."""
    grouped: dict[str, list[dict]] = {}
    for row in b.data["rows"]:
        ind = b.indicators[row["indicator"]]
        if sentences.is_rate(ind, row):
            row = {**row, "growth": None, "month_growth": None, "required_growth_floor": None}
            if ind.kind != "rate":
                row.update(rank=None, rank_change=None, vs_parent_pp=None)
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
    """One line of the bulletin's opening (rules in `bulletin_sentences`)."""
    return sentences.summary_sentence(
        indicator,
        row,
        month=b.inputs.period.month,
        span=span(b),
        here=area_word(b.inputs.parent),
        above=area_word(_grandparent(b)),
    )


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


def _rounded(values: list, whole: set[int] = frozenset()) -> list:
    """Official tables carry the printed figure: r(x), so a sum in Excel matches the page;
    counts (`whole` columns of a count indicator) are integers."""
    return [
        (int(r(v)) if i in whole else r(v)) if isinstance(v, float) else v
        for i, v in enumerate(values)
    ]


def _whole(ind: Indicator, columns: set[int]) -> set[int]:
    return columns if ind.kind == Kind.COUNT and ind.cumulative else set()


def _sheet_rows(b: Bulletin, rows: list[dict]) -> tuple[list[dict], dict[int, str]]:
    """An indicator sheet's rows in `county_sections` order, and the sub-heading rows
    (功能区) by the index of the row they stand before."""
    ordered: list[dict] = []
    subheadings: dict[int, str] = {}
    for heading, part in county_sections(b, rows):
        if heading:
            subheadings[len(ordered)] = heading
        ordered += part
    return ordered, subheadings


def _tied_ranks(rows: list[dict], column: int) -> dict[tuple[int, int], str]:
    """The rank cells printed 并列3: still numbers, so the column sorts."""
    return {
        (i, column): sentences.TIED_FORMAT for i, row in enumerate(rows) if row.get("rank_tied")
    }


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
                ],
                _whole(ind, {2, 7, 8}),
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
        subtitle=f"生成日期：{date_text(date.today())}；本期目标：阶段目标生效时为阶段目标，否则为年度目标",
        sheet_name="总表",
        status_column=11,
        status_of=statuses,
        formats={5: "0", 6: "+0;-0;0"},
        cell_formats=_tied_ranks([rows[0] for rows in grouped.values()], 5),
    )
    used: set[str] = {"总表"}
    for code, rows in grouped.items():
        ind = indicators[code]
        measure = ind.measure or "—"
        rows, subheadings = _sheet_rows(b, rows)
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
            [_rounded(_table_row(b, row), _whole(ind, {1, 2, 4, 11, 12})) for row in rows],
            subtitle=f"计量单位：{measure}；增速、比重：%",
            sheet_name=_sheet_name(ind.name, used),
            status_column=17,
            status_of=[row["status"] for row in rows],
            formats={9: "0", 10: "+0;-0;0"},
            bold_rows=[0],
            notes=_notes(b, ind, rows),
            cell_formats=_tied_ranks(rows, 9),
            subheadings=subheadings,
        )
    return workbook_bytes(wb)


DOC_COLUMNS = [  # (header, key or None for the label) of a county table in the 附件
    ("累计值", "value"),
    ("同比增长(%)", "growth"),
    ("比上年同期(百分点)", "change_pp"),  # rates move in points, never by a growth rate
    ("比{above}(百分点)", "vs_parent_pp"),
    ("位次", "rank"),
    ("位次变化", "rank_change"),
    ("完成率(%)", "completion_pct"),
    ("保底需增速(%)", "required_growth_floor"),
]


def _cell(row: dict, key: str, ind: Indicator):
    if key == "value":
        return amount(row["value"], ind)
    if key == "rank_change":
        return _change(row["rank_change"]) if row["rank"] is not None else None
    if key == "rank":
        return sentences.rank_cell(row)
    return row[key]


def _county_table(b: Bulletin, ind: Indicator, rows: list[dict], above: str):
    """Headers and rows: empty columns left out; the status last."""
    keys = [(h.format(above=above), k) for h, k in DOC_COLUMNS]
    keys = [(h, k) for h, k in keys if any(_cell(row, k, ind) not in (None, "—") for row in rows)]
    headers = ["地区", *[h for h, _ in keys], "状态"]
    table = [
        [_label(b, row), *[_cell(row, k, ind) for _, k in keys], STATUS_LABELS[row["status"]]]
        for row in rows
    ]
    return headers, table


def _is_zone(b: Bulletin, row: dict) -> bool:
    unit = b.units.get(row["unit"])
    return bool(unit and unit.kind == UnitKind.ZONE)


ZONES = UnitKind.ZONE.label  # 功能区


def county_sections(b: Bulletin, rows: list[dict]) -> list[tuple[str, list[dict]]]:
    """How an indicator's rows are grouped in both the Word and the Excel bulletin: the
    parent (全市) row with the counties, then the functional zones under a heading of their
    own (功能区 rank in a series of their own and are not counties). A part without rows is
    left out."""
    counties = [row for row in rows[1:] if not _is_zone(b, row)]
    zones = [row for row in rows[1:] if _is_zone(b, row)]
    return [
        (heading, part) for heading, part in (("", rows[:1] + counties), (ZONES, zones)) if part
    ]


def _has_figure(row: dict) -> bool:
    return row["value"] is not None or row["growth"] is not None


def _places(b: Bulletin, rows: list[dict]) -> str:
    """分县市区看, the first three counties of the indicator, ties as 并列."""
    counties = county_sections(b, rows)[0][1][1:]
    return sentences.places_sentence(
        [(row["rank"], _label(b, row)) for row in counties if row["rank"] is not None]
    )


def _notes(b: Bulletin, ind: Indicator, rows: list[dict]) -> list[str]:
    basis = "；增速按可比价计算" if ind.kind in (Kind.AMOUNT, Kind.GROWTH) else ""
    notes = [f"注：1. 计量单位：{ind.measure or '—'}{basis}；本期数据为初步数。"]
    reasons = sorted(
        {
            reason_words(code)
            for row in rows
            for key, code in (row.get("reasons") or {}).items()
            if key in ("value", "growth", "rank") and code
        }
    )
    if reasons:
        notes.append(f"2. “—”表示无此项数据：{'；'.join(reasons)}。")
    notes.append(f"{len(notes) + 1}. 状态：{legend()}")
    return notes


def bulletin_docx(
    b: Bulletin, issuer: str = "", *, head: Letterhead | None = None, draft: str = ""
) -> bytes:
    """The bulletin as a 公文: summary sentences in the body, warnings grouped per indicator,
    the county tables as one landscape 附件 (全市 row first and bold, functional zones under
    their own heading, empty columns and all-empty tables left out). `draft` (未发布)
    marks a bulletin not yet released."""
    parent = b.inputs.parent
    period = b.inputs.period
    if head is None:
        head = letterhead_for_bulletin(b, issuer=issuer)
    title = f"关于{period.label}{parent.name}主要经济指标运行情况的通报"
    doc = official_document(title, head=head, draft=draft)
    grouped = _rows_by_indicator(b)
    indicators = b.indicators
    here, above = area_word(parent), area_word(_grandparent(b))
    doc.add_paragraph(
        f"现将{period.label}{parent.name}主要经济指标运行情况通报如下，分地区情况见附件。"
    )
    doc.add_heading("一、总体情况", level=1)
    for code, rows in grouped.items():
        doc.add_paragraph(
            sentences.summary_sentence(
                indicators[code], rows[0], month=period.month, span=span(b), here=here, above=above
            )
            + _places(b, rows)
        )
    doc.add_heading("二、预警提示", level=1)
    _warnings(doc, b, grouped)
    annex = f"{period.label}分地区主要经济指标"
    for code, rows in grouped.items():
        ind = indicators[code]
        tables = [
            (heading, shown)
            for heading, shown in county_sections(b, rows)
            if any(_has_figure(m) for m in (shown if heading else shown[1:]))
        ]
        for index, (heading, shown) in enumerate(tables):
            headers, table = _county_table(b, ind, shown, here)
            add_annex_group(
                doc,
                annex,
                f"{ind.name}（{heading}）" if heading else ind.name,
                headers,
                table,
                fills=[
                    (i, len(headers) - 1, STATUS_FILLS.get(m["status"], ""))
                    for i, m in enumerate(shown)
                ],
                bold_rows=[] if heading else [0],
                notes=_notes(b, ind, rows) if index == len(tables) - 1 else [],
            )
    return document_bytes(doc)


def letterhead_for_bulletin(b: Bulletin, **given) -> Letterhead:
    period = b.inputs.period
    return letterhead("stats_bulletin", year=period.year, month=period.month, **given)


def _warnings(doc, b: Bulletin, grouped: dict[str, list[dict]]) -> None:
    any_warning = False
    for status, heading in (("off_track", "（一）红灯"), ("at_risk", "（二）黄灯")):
        lines = []
        for code, rows in grouped.items():
            ind = b.indicators[code]
            names = [_label(b, row) for row in rows[1:] if row["status"] == status]
            if not names:
                continue
            basis = rows[1]["target_basis"] if len(rows) > 1 else "growth"
            if sentences.is_rate(ind, rows[0]):
                basis = "rate"
            counties = all(not _is_zone(b, row) for row in rows[1:] if row["status"] == status)
            lines.append(
                sentences.warning_sentence(ind.name, basis or "growth", status, names, counties)
            )
        if lines:
            any_warning = True
            doc.add_heading(heading, level=2)
            for line in lines:
                doc.add_paragraph(line)
    if not any_warning:
        doc.add_paragraph("本期各地区无红灯、黄灯指标。")
