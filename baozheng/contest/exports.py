"""Exports: prize list, score tables (xlsx and docx), the certificates list and the public
notice (公示) as a Word document in the product's official-document layout."""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH

from baozheng.contest import formula
from baozheng.contest.models import Contest, Notice
from baozheng.contest.standings import Standing, contest_standings
from baozheng.lib.office import (
    add_table,
    document_bytes,
    new_workbook,
    official_document,
    table_sheet,
    workbook_bytes,
)

SCORE_HEADERS = [
    "名次",
    "参赛编号",
    "姓名",
    "学校",
    "一线教师均分",
    "教研员均分",
    "最终得分",
    "评分表（已交/应交）",
    "奖项",
]
PRIZE_HEADERS = ["组别", "奖项", "名次", "参赛编号", "姓名", "学校", "最终得分"]
CERTIFICATE_HEADERS = ["证书编号", "姓名", "学校", "组别", "奖项"]


TIE_NOTE = "注：最终得分相同时，依次比较一线教师组、教研员组平均分确定名次。"


def _num(value) -> str:
    return "—" if value is None else str(value)


def _score(value) -> float | None:
    """Scores are numbers in the workbook (sortable, summable), printed with two decimals."""
    return None if value is None else float(value)


def score_rows(rows: list[Standing], number=_num) -> list[list[object]]:
    return [
        [
            s.rank if s.complete else s.state,
            s.contestant.number,
            s.contestant.name,
            s.contestant.school.name,
            number(s.frontline_display),
            number(s.researcher_display),
            number(s.final) if s.complete else "—",
            f"{s.sheets}/{s.expected}",
            s.prize_label or "—",
        ]
        for s in rows
    ]


def prize_rows(contest: Contest, number=_num) -> list[list[object]]:
    out = []
    for division, rows in contest_standings(contest).items():
        out += [
            [
                str(division),
                s.prize_label,
                s.rank,
                s.contestant.number,
                s.contestant.name,
                s.contestant.school.name,
                number(s.final),
            ]
            for s in rows
            if s.prize
        ]
    return out


def certificate_rows(contest: Contest) -> list[list[object]]:
    out = []
    for index, (division, rows) in enumerate(contest_standings(contest).items(), start=1):
        for s in rows:
            if s.prize:
                out.append(
                    [
                        f"{contest.code}-{index:02d}-{s.contestant.number}",
                        s.contestant.name,
                        s.contestant.school.name,
                        str(division),
                        s.prize_label,
                    ]
                )
    return out


def subtitle(contest: Contest) -> str:
    return f"评分公式版本 {formula.VERSION}；一线教师权重 {contest.frontline_weight}，教研员权重 {contest.researcher_weight}"


def scores_xlsx(contest: Contest) -> bytes:
    wb = new_workbook()
    for index, (division, rows) in enumerate(contest_standings(contest).items(), start=1):
        table_sheet(
            wb,
            f"{contest.name} {division} 成绩表",
            SCORE_HEADERS,
            score_rows(rows, _score),
            subtitle=subtitle(contest),
            number_format="0.00",
            sheet_name=f"{index:02d}{division.get_school_stage_display()}{division.subject}"[:31],
            notes=[TIE_NOTE],
        )
    if not wb.sheetnames:
        table_sheet(wb, f"{contest.name} 成绩表", SCORE_HEADERS, [], subtitle=subtitle(contest))
    return workbook_bytes(wb)


def scores_docx(contest: Contest) -> bytes:
    doc = official_document(f"{contest.name}成绩表", subtitle(contest), doc_type="contest")
    for division, rows in contest_standings(contest).items():
        doc.add_heading(str(division), level=2)
        add_table(doc, SCORE_HEADERS, score_rows(rows))
    doc.add_paragraph(TIE_NOTE)
    return document_bytes(doc)


def prizes_xlsx(contest: Contest) -> bytes:
    wb = new_workbook()
    table_sheet(
        wb,
        f"{contest.name}获奖名单",
        PRIZE_HEADERS,
        prize_rows(contest, _score),
        subtitle=subtitle(contest),
        number_format="0.00",
        sheet_name="获奖名单",
        notes=[TIE_NOTE],
    )
    return workbook_bytes(wb)


def prizes_docx(contest: Contest) -> bytes:
    """One subheading per 组别 instead of the division repeated on every row."""
    doc = official_document(f"{contest.name}获奖名单", subtitle(contest), doc_type="contest")
    rows = prize_rows(contest)
    for division in dict.fromkeys(row[0] for row in rows):
        doc.add_heading(division, level=2)
        add_table(doc, PRIZE_HEADERS[1:], [row[1:] for row in rows if row[0] == division])
    doc.add_paragraph(TIE_NOTE)
    return document_bytes(doc)


def certificates_xlsx(contest: Contest) -> bytes:
    wb = new_workbook()
    table_sheet(
        wb,
        f"{contest.name}获奖证书名单",
        CERTIFICATE_HEADERS,
        certificate_rows(contest),
        sheet_name="证书名单",
    )
    return workbook_bytes(wb)


NOTICE_HEADERS = ["奖项", "名次", "参赛编号", "姓名", "学校", "最终得分"]


def chinese_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def notice_rows(notice: Notice) -> list[tuple[str, list[list[object]]]]:
    """Prize winners per division within the notice's scope."""
    out = []
    for division, rows in contest_standings(notice.contest).items():
        if not notice.covers(division):
            continue
        winners = [
            [
                s.prize_label,
                s.rank,
                s.contestant.number,
                s.contestant.name,
                s.contestant.school.name,
                _num(s.final),
            ]
            for s in rows
            if s.prize
        ]
        if winners:
            out.append((str(division), winners))
    return out


def notice_docx(notice: Notice) -> bytes:
    contest = notice.contest
    scope = str(notice.stage) if notice.stage_id else ""
    if notice.scope_divisions:
        scope = f"（{notice.scope_label}）"
    doc = official_document(f"关于{contest.name}{scope}获奖名单的公示")
    workdays = contest.notice_workdays
    doc.add_paragraph(
        f"经评审，现将{contest.name}{scope}获奖名单予以公示。公示期为"
        f"{chinese_date(notice.starts)}至{chinese_date(notice.ends)}（{workdays}个工作日）。"
        f"公示期间如有异议，请以书面形式向{notice.issuer}反映，须署真实姓名并留联系方式。"
        f"受理方式：{notice.objection_channel}。"
    )
    doc.add_paragraph(f"公示范围：{notice.scope_label}。")
    doc.add_paragraph(f"成绩按评分公式（版本 {formula.VERSION}）由评委原始评分表计算。")
    for division, rows in notice_rows(notice):
        doc.add_heading(division, level=2)
        add_table(doc, NOTICE_HEADERS, rows)
    for text in (notice.issuer, chinese_date(notice.starts)):
        paragraph = doc.add_paragraph(text)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return document_bytes(doc)
