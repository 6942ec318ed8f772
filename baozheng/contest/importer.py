"""Importing contestants from xlsx or csv (the product's import contract, `lib/tabular`).

Columns (Chinese or English headers): 参赛编号 number, 姓名 name, 学校 school (unit code or
exact name of a school unit), 比赛阶段 stage (县推市赛 / 乡推市赛 / 乡抽市赛 / 市级决赛, must be
configured for the contest), 学段 school_stage, 学科 subject, 推选方式 nomination (推荐 / 抽取),
and optionally 课堂录像 video and 场次编号 session (the number shown on the venue and session
pages; the session must be of the contestant's division, and a contestant with score sheets
cannot change session; an empty cell keeps the current session). A contestant is matched by number: the same file imported
twice changes nothing. A division (stage × subject × school stage) that does not exist yet
is created with the contest's first rubric. Any error in any row → nothing is written.
"""

from __future__ import annotations

from auditlog.models import LogEntry
from django.db import transaction

from baozheng.contest.models import (
    Contest,
    Contestant,
    Division,
    Nomination,
    SchoolStage,
    Session,
    Stage,
    StageKind,
)
from baozheng.lib.bounds import report_overlong
from baozheng.lib.tabular import (
    Column,
    ImportReport,
    conflicts_refused,
    file_digest,
    match_one,
    read_rows,
)
from baozheng.lib.web import link_problem
from baozheng.org.models import Unit, UnitKind

COLUMNS = [
    Column("number", ("number", "参赛编号")),
    Column("name", ("name", "姓名")),
    Column("school", ("school", "学校")),
    Column("stage", ("stage", "比赛阶段")),
    Column("school_stage", ("school_stage", "学段")),
    Column("subject", ("subject", "学科")),
    Column("nomination", ("nomination", "推选方式")),
    Column("video", ("video", "课堂录像"), required=False),
    Column("session", ("session", "场次编号"), required=False),
]
FIELDS = ["name", "school_id", "division_id", "nomination", "video", "session_id"]


def _choice(text: str, choices: type, what: str) -> str:
    for value, label in choices.choices:
        if text.strip() in (value, label):
            return value
    raise ValueError(f"{what}“{text}”无效，可选：{'、'.join(choices.labels)}")


class _Rollback(Exception):
    """Raised inside the transaction to undo a dry run."""


def import_contestants(
    contest: Contest, data: bytes, filename: str, dry_run: bool = False, user=None
) -> ImportReport:
    report = ImportReport(kind="参赛选手", dry_run=dry_run, file_hash=file_digest(data))
    rows = read_rows(data, filename, COLUMNS)
    report.rows = len(rows)
    report_overlong(
        report, rows, COLUMNS, Contestant, {"number": "number", "name": "name", "video": "video"}
    )
    report_overlong(report, rows, COLUMNS, Division, {"subject": "subject"})
    schools = list(Unit.objects.filter(kind=UnitKind.SCHOOL).values_list("code", "name"))
    school_ids = dict(Unit.objects.filter(kind=UnitKind.SCHOOL).values_list("code", "pk"))
    stages = {s.kind: s for s in Stage.objects.filter(contest=contest)}
    sessions = {
        str(s.pk): s for s in Session.objects.filter(venue__zone__contest=contest).only("division")
    }
    existing = {c.number: c for c in Contestant.objects.filter(contest=contest)}
    sheeted = set(
        Contestant.objects.filter(contest=contest, sheets__isnull=False).values_list(
            "number", flat=True
        )
    )
    seen: set[str] = set()
    parsed = []
    for row in rows:
        errors_before = len(report.errors)
        number, name, subject = row.get("number"), row.get("name"), row.get("subject")
        if not number:
            report.error(row.number, "参赛编号", "不能为空")
        elif number in seen:
            report.error(row.number, "参赛编号", f"编号 {number} 在文件中重复")
        seen.add(number)
        for label, value in (("姓名", name), ("学科", subject)):
            if not value:
                report.error(row.number, label, "不能为空")
        values = {}
        for key, label, parse in (
            ("school", "学校", lambda t: school_ids[match_one(t, schools, "学校")]),
            ("stage", "比赛阶段", lambda t: _stage(stages, _choice(t, StageKind, "比赛阶段"))),
            ("school_stage", "学段", lambda t: _choice(t, SchoolStage, "学段")),
            ("nomination", "推选方式", lambda t: _choice(t, Nomination, "推选方式")),
        ):
            try:
                values[key] = parse(row.get(key))
            except ValueError as exc:
                report.error(row.number, label, str(exc))
        session_text = row.get("session").strip()
        values["session"] = sessions.get(session_text) if session_text else None
        if session_text and values["session"] is None:
            report.error(row.number, "场次编号", f"本赛事没有编号为 {session_text} 的场次")
        if problem := link_problem(row.get("video")):
            report.error(row.number, "课堂录像", problem)
        if len(report.errors) == errors_before:
            parsed.append((row.number, number, name, subject, values, row.get("video")))
    if report.errors:
        return report
    try:
        with conflicts_refused(), transaction.atomic():
            _write(contest, parsed, existing, sheeted, report)
            if report.errors or dry_run:
                raise _Rollback
            LogEntry.objects.log_create(
                contest,
                action=LogEntry.Action.UPDATE,
                actor=user,
                force_log=True,
                changes={"导入选手": [filename, report.summary()]},
            )
    except _Rollback:
        pass
    return report


def _stage(stages: dict[str, Stage], kind: str) -> Stage:
    if kind not in stages:
        raise ValueError(f"本赛事未设置阶段“{StageKind(kind).label}”")
    return stages[kind]


def _write(
    contest: Contest,
    parsed: list,
    existing: dict[str, Contestant],
    sheeted: set[str],
    report: ImportReport,
) -> None:
    rubric = contest.rubrics.order_by("pk").first()
    divisions = {
        (d.stage_id, d.subject, d.school_stage): d for d in Division.objects.filter(contest=contest)
    }
    create, update = [], []
    for row_number, number, name, subject, values, video in parsed:
        key = (values["stage"].pk, subject, values["school_stage"])
        if key not in divisions:
            if rubric is None:
                report.error(row_number, "学科", "本赛事还没有评分标准，无法新建组别")
                continue
            divisions[key] = Division.objects.create(
                contest=contest,
                stage=values["stage"],
                subject=subject,
                school_stage=values["school_stage"],
                rubric=rubric,
            )
        current = existing.get(number)
        session = values["session"]
        if session is not None and session.division_id != divisions[key].pk:
            report.error(row_number, "场次编号", f"场次 {session.pk} 不是本选手组别的场次")
            continue
        fields = {
            "name": name,
            "school_id": values["school"],
            "division_id": divisions[key].pk,
            "nomination": values["nomination"],
            "video": video,
            "session_id": session.pk if session else (current.session_id if current else None),
        }
        if current is None:
            create.append(Contestant(contest=contest, number=number, **fields))
        elif any(getattr(current, f) != v for f, v in fields.items()):
            if number in sheeted and current.division_id != fields["division_id"]:
                report.error(row_number, "学科", f"选手 {number} 已有评分，不能改变组别")
                continue
            if number in sheeted and current.session_id != fields["session_id"]:
                report.error(row_number, "场次编号", f"选手 {number} 已有评分，不能改变场次")
                continue
            for f, v in fields.items():
                setattr(current, f, v)
            update.append(current)
        else:
            report.unchanged += 1
    Contestant.objects.bulk_create(create)
    Contestant.objects.bulk_update(update, FIELDS)
    report.created, report.updated = len(create), len(update)
