"""The run as an official assessment notice (考评通报): xlsx as offices exchange tables, docx
in the form of a 公文. Both carry the public ranking; the per-item points are included only
for a reader whose scope holds every assessed unit (the same rule as the results page)."""

from __future__ import annotations

from decimal import Decimal

from baozheng.assessment import standings
from baozheng.assessment.models import RankTargetRecord, Run
from baozheng.lib import office
from baozheng.lib.places import podium_sentence
from baozheng.lib.vocabulary import STATUS_LABELS
from baozheng.org.permissions import in_scope


def notice_title(run: Run) -> str:
    """关于2023年第二季度主要经济指标位次考评结果的通报."""
    name = run.scheme.name if run.scheme.name.endswith("考评") else f"{run.scheme.name}考评"
    return f"关于{run.period.label}{name}结果的通报"


def _points(value: Decimal | None) -> str:
    """100, 25, 12.5: points without trailing zeros."""
    if value is None:
        return "—"
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _change(value: int | None) -> str:
    if value is None:
        return "—"
    return f"↑{value}" if value > 0 else (f"↓{-value}" if value < 0 else "—")


def notice_table(run: Run, user) -> tuple[list[str], list[list[object]], list[str]]:
    rows = list(run.rows.select_related("unit").prefetch_related("items"))
    full = all(in_scope(user, row.unit) for row in rows)
    item_names = [(i.key, i.name) for i in rows[0].items.all()] if (rows and full) else []
    maxima = {i.key: i.points for i in run.scheme.items.all()}
    targets = {
        r.unit_id: r.target
        for r in RankTargetRecord.objects.filter(scheme_code=run.scheme.code, year=run.period_year)
    }
    headers = [
        "名次",
        "单位",
        *[
            f"{name}（{_points(maxima[key])}分）" if key in maxima else f"{name}得分"
            for key, name in item_names
        ],
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


def _subtitle(run: Run) -> str:
    return f"满分{_points(run.full_points)}分（另设加减分）"


def _draft(run: Run) -> str:
    return "" if run.is_published else "征求意见稿"


def _without_empty_targets(headers: list, rows: list) -> tuple[list, list]:
    """No target set for anyone: the two target columns say nothing, leave them out."""
    if any(row[-2] != "—" for row in rows):
        return headers, rows
    return headers[:-2], [row[:-2] for row in rows]


def notice_filename(run: Run, suffix: str) -> str:
    return f"{notice_title(run)}.{suffix}"


def notice_xlsx(run: Run, user) -> bytes:
    """The notice as a workbook, with the reader's rows (`notice_table`)."""
    headers, rows, statuses = notice_table(run, user)
    rows = [[float(v) if isinstance(v, Decimal) else v for v in row] for row in rows]
    headers, rows = _without_empty_targets(headers, rows)
    wb = office.new_workbook()
    draft = f"（{_draft(run)}）" if _draft(run) else ""
    ws = office.table_sheet(
        wb,
        notice_title(run) + draft,
        headers,
        rows,
        subtitle=_subtitle(run),
        number_format="0.00",
        sheet_name="考评结果",
    )
    if headers[-1] == "目标状态":
        first_data_row = 4
        for offset, status in enumerate(statuses):
            fill = office.status_fill(status)
            if fill:
                ws.cell(first_data_row + offset, len(headers)).fill = fill
    return office.workbook_bytes(wb)


def notice_docx(run: Run, user, head=None) -> bytes:
    """The notice as a 公文; the ranking table as its landscape 附件."""
    headers, rows, statuses = notice_table(run, user)
    headers, rows = _without_empty_targets(headers, rows)
    if head is None:
        from baozheng.documents.settings import letterhead

        head = letterhead("assessment_notice", year=run.period_year)
    doc = office.official_document(notice_title(run), head=head, draft=_draft(run))
    ranked = [(r[0], str(r[1])) for r in rows if isinstance(r[0], int)]
    lead = podium_sentence(ranked)
    doc.add_paragraph(
        f"根据{run.scheme.name}办法，现将{run.period.label}考评结果通报如下（{_subtitle(run)}）。"
        + lead
        + "请各单位对照考评结果，查找差距，补齐短板。"
    )
    fills = []
    if headers[-1] == "目标状态":
        fills = statuses
    office.add_table(
        doc,
        headers,
        rows,
        decimals=2,
        status_column=len(headers) - 1 if fills else None,
        status_of=fills or None,
        annex=f"{run.period.label}{run.scheme.name}结果",
        notes=["注：得分相同的单位名次并列；“—”表示该项无数据或不适用。"],
    )
    return office.document_bytes(doc)
