"""The run as an official assessment notice (考评通报): xlsx as offices exchange tables, docx
in the form of a 公文. Both carry the public ranking; the per-item points are included only
for a reader whose scope holds every assessed unit (the same rule as the results page)."""

from __future__ import annotations

from decimal import Decimal

from baozheng.assessment import standings
from baozheng.assessment.models import RankTargetRecord, Run
from baozheng.lib import office
from baozheng.org.permissions import in_scope


def _title(run: Run) -> str:
    return f"{run.scheme.name}{run.period.label}考评结果通报"


def _change(value: int | None) -> str:
    if value is None:
        return "—"
    return f"↑{value}" if value > 0 else (f"↓{-value}" if value < 0 else "—")


def notice_table(run: Run, user) -> tuple[list[str], list[list[object]], list[str]]:
    rows = list(run.rows.select_related("unit").prefetch_related("items"))
    full = all(in_scope(user, row.unit) for row in rows)
    item_names = [(i.key, i.name) for i in rows[0].items.all()] if (rows and full) else []
    targets = {
        r.unit_id: r.target
        for r in RankTargetRecord.objects.filter(scheme_code=run.scheme.code, year=run.period_year)
    }
    headers = [
        "名次",
        "单位",
        *[name for _, name in item_names],
        "总分",
        "位次变化",
        "方阵",
        "位次目标",
        "目标状态",
    ]
    table, statuses = [], []
    for row in rows:
        points = {i.key: i.points for i in row.items.all()}
        target = targets.get(row.unit_id)
        status = standings.rank_target_status(row.rank, target)
        statuses.append(status)
        table.append(
            [
                row.rank or "无数据",
                row.unit_name,
                *[points.get(k) for k, _ in item_names],
                row.total,
                _change(row.rank_change),
                row.tier or "—",
                target.label if target else "—",
                STATUS_LABELS[status],
            ]
        )
    return headers, table, statuses


STATUS_LABELS = {
    "exceeds": "超额",
    "on_track": "达标",
    "at_risk": "预警",
    "off_track": "落后",
    "no_data": "无数据",
    "no_target": "未设目标",
}


def _subtitle(run: Run) -> str:
    state = "" if run.is_published else "（草稿，未发布）"
    return f"满分{run.full_points}分（另设加减分）　第{run.version}次计算{state}"


def notice_filename(run: Run, suffix: str) -> str:
    return f"{_title(run)}.{suffix}"


def notice_xlsx(run: Run, user) -> bytes:
    """The notice as a workbook, with the reader's rows (`notice_table`)."""
    headers, rows, statuses = notice_table(run, user)
    rows = [[float(v) if isinstance(v, Decimal) else v for v in row] for row in rows]
    wb = office.new_workbook()
    ws = office.table_sheet(
        wb,
        _title(run),
        headers,
        rows,
        subtitle=_subtitle(run),
        number_format="0.00",
        sheet_name="考评结果",
    )
    first_data_row = 4
    for offset, status in enumerate(statuses):
        fill = office.status_fill(status)
        if fill:
            ws.cell(first_data_row + offset, len(headers)).fill = fill
    return office.workbook_bytes(wb)


def notice_docx(run: Run, user) -> bytes:
    """The notice as a 公文, with the reader's rows (`notice_table`)."""
    headers, rows, _ = notice_table(run, user)
    doc = office.official_document(_title(run), _subtitle(run))
    ranked = [r for r in rows if isinstance(r[0], int)]
    if ranked:
        leaders = "、".join(str(r[1]) for r in ranked if r[0] <= 3)
        doc.add_paragraph(
            f"　　根据{run.scheme.name}，现将{run.period.label}考评结果通报如下。"
            f"{leaders}位列前三名。请各单位对照考评结果，查找差距，补齐短板。"
        )
    office.add_table(doc, headers, rows, decimals=2)
    return office.document_bytes(doc)
