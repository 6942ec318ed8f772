"""Importing contestants from xlsx or csv (the product's import contract, `lib/tabular`).

Columns (Chinese or English headers): 参赛编号 number, 姓名 name, 学校 school (unit code or
exact name of a school unit), 比赛阶段 stage (县推市赛 / 乡推市赛 / 乡抽市赛 / 市级决赛, must be
configured for the contest), 学段 school_stage, 学科 subject, 推选方式 nomination (推荐 / 抽取),
and optionally 课堂录像 video and 场次编号 session (the number shown on the venue and session
pages; the session must be of the contestant's division, and a contestant with score sheets
cannot change session; an empty cell keeps the current session). A contestant is matched by number: the same file imported
twice changes nothing. A division (stage × subject × school stage) that does not exist yet
is created with the contest's first rubric. Any error in any row → nothing is written; a dry
run plans the divisions it would create without creating them. A real import is one audit
event on the contest.
"""

from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry

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
from baozheng.lib.tabular import Column, Importer, ImportReport, Row, UpsertPlan, match_one
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


def import_contestants(
    contest: Contest, data: bytes, filename: str, dry_run: bool = False, user=None
) -> ImportReport:
    return ContestantImporter(contest, filename, user).run(data, filename, dry_run)


def _stage(stages: dict[str, Stage], kind: str) -> Stage:
    if kind not in stages:
        raise ValueError(f"本赛事未设置阶段“{StageKind(kind).label}”")
    return stages[kind]


DivisionKey = tuple[int, str, str]  # (stage, subject, school stage)


class ContestantImporter(Importer[dict]):
    """A contestant per row, matched by number; the row's division is found or, with the
    contest's first rubric, planned as new (created only when the plan is committed)."""

    kind, columns = "参赛选手", COLUMNS

    def __init__(self, contest: Contest, filename: str, user) -> None:
        self.contest, self.filename, self.user = contest, filename, user
        schools = Unit.objects.filter(kind=UnitKind.SCHOOL)
        self.schools = list(schools.values_list("code", "name"))
        self.school_ids = dict(schools.values_list("code", "pk"))
        self.stages = {s.kind: s for s in Stage.objects.filter(contest=contest)}
        self.sessions = {
            str(s.pk): s
            for s in Session.objects.filter(venue__zone__contest=contest).only("division")
        }
        self.existing = {c.number: c for c in Contestant.objects.filter(contest=contest)}
        self.sheeted = set(
            Contestant.objects.filter(contest=contest, sheets__isnull=False).values_list(
                "number", flat=True
            )
        )
        self.rubric = contest.rubrics.order_by("pk").first()
        self.divisions: dict[DivisionKey, Division | None] = {
            (d.stage_id, d.subject, d.school_stage): d
            for d in Division.objects.filter(contest=contest)
        }  # None: planned, created by `commit`

    def parse_row(self, row: Row, report: ImportReport) -> dict | None:
        errors_before = len(report.errors)
        report_overlong(
            report,
            [row],
            COLUMNS,
            Contestant,
            {"number": "number", "name": "name", "video": "video"},
        )
        report_overlong(report, [row], COLUMNS, Division, {"subject": "subject"})
        number, name, subject = row.get("number"), row.get("name"), row.get("subject")
        if not number:
            report.error(row.number, "参赛编号", "不能为空")
        for label, value in (("姓名", name), ("学科", subject)):
            if not value:
                report.error(row.number, label, "不能为空")
        values: dict[str, Any] = {"row": row.number, "number": number, "name": name}
        for key, label, parse in (
            ("school", "学校", lambda t: self.school_ids[match_one(t, self.schools, "学校")]),
            ("stage", "比赛阶段", lambda t: _stage(self.stages, _choice(t, StageKind, "比赛阶段"))),
            ("school_stage", "学段", lambda t: _choice(t, SchoolStage, "学段")),
            ("nomination", "推选方式", lambda t: _choice(t, Nomination, "推选方式")),
        ):
            try:
                values[key] = parse(row.get(key))
            except ValueError as exc:
                report.error(row.number, label, str(exc))
        session_text = row.get("session").strip()
        values["session"] = self.sessions.get(session_text) if session_text else None
        if session_text and values["session"] is None:
            report.error(row.number, "场次编号", f"本赛事没有编号为 {session_text} 的场次")
        if problem := link_problem(row.get("video")):
            report.error(row.number, "课堂录像", problem)
        values["video"] = row.get("video")
        values["division"] = (
            values.get("stage") and values["stage"].pk,
            subject,
            values.get("school_stage"),
        )
        return values if len(report.errors) == errors_before else None

    def key(self, item: dict) -> str:
        return item["number"]

    def duplicate(self, key: object, first: int) -> tuple[str, str]:
        return "参赛编号", f"编号 {key} 在文件中重复（第 {first} 行已有）"

    def plan(self, items: list[dict], report: ImportReport) -> UpsertPlan:
        """Each row against its stored contestant; the creates and updates carry the row's
        fields and its division's key (the division's pk is known only at commit)."""
        plan: UpsertPlan[tuple[Contestant | None, dict, DivisionKey]] = UpsertPlan()
        for item in items:
            key, row = item["division"], item["row"]
            if key not in self.divisions:
                if self.rubric is None:
                    report.error(row, "学科", "本赛事还没有评分标准，无法新建组别")
                    continue
                self.divisions[key] = None
            division = self.divisions[key]
            division_id = division.pk if division else None
            number, session = item["number"], item["session"]
            current = self.existing.get(number)
            if session is not None and session.division_id != division_id:
                report.error(row, "场次编号", f"场次 {session.pk} 不是本选手组别的场次")
                continue
            fields = {
                "name": item["name"],
                "school_id": item["school"],
                "division_id": division_id,
                "nomination": item["nomination"],
                "video": item["video"],
                "session_id": session.pk if session else (current.session_id if current else None),
            }
            if current is None:
                plan.creates.append((None, {**fields, "number": number}, key))
            elif any(getattr(current, f) != v for f, v in fields.items()):
                if number in self.sheeted and current.division_id != division_id:
                    report.error(row, "学科", f"选手 {number} 已有评分，不能改变组别")
                elif number in self.sheeted and current.session_id != fields["session_id"]:
                    report.error(row, "场次编号", f"选手 {number} 已有评分，不能改变场次")
                else:
                    plan.updates.append((current, fields, key))
            else:
                plan.unchanged += 1
        return plan

    def commit(self, plan: UpsertPlan, batch: object) -> None:
        create, update = [], []
        for current, fields, key in [*plan.creates, *plan.updates]:
            fields["division_id"] = self._division(key).pk
            if current is None:
                create.append(Contestant(contest=self.contest, **fields))
            else:
                for f, v in fields.items():
                    setattr(current, f, v)
                update.append(current)
        Contestant.objects.bulk_create(create)
        Contestant.objects.bulk_update(update, FIELDS)

    def _division(self, key: DivisionKey) -> Division:
        division = self.divisions[key]
        if division is None:
            stage = next(s for s in self.stages.values() if s.pk == key[0])
            division = self.divisions[key] = Division.objects.create(
                contest=self.contest,
                stage=stage,
                subject=key[1],
                school_stage=key[2],
                rubric=self.rubric,
            )
        return division

    def record(self, report: ImportReport, batch: object = None) -> object:
        """One audit event on the contest for every real import."""
        if batch is not None:
            LogEntry.objects.log_create(
                self.contest,
                action=LogEntry.Action.UPDATE,
                actor=self.user,
                force_log=True,
                changes={"导入选手": [self.filename, report.summary()]},
            )
        return self.contest
