"""Importing a contest's topic bank, judges and schools' teacher headcounts from xlsx or csv.

The product's import contract (`lib/tabular`): every row is checked and every problem
reported; any error → nothing is written; a dry run reports exactly what the real import
would do; each row is matched by its key (topic code; judge name + unit; school), so the
same file imported twice changes nothing. A real import that changes anything is one audit
event on the contest. The mechanics are the importer skeleton's (`SetupImporter` on
`lib.tabular.Importer`); each import below is its row rules.

- 题库 topics: 题目编号 code, 学科 subject, 学段 school_stage, 课题 title, 教材出处 source (optional).
- 评委 judges: 姓名 name, 评委类别 group (一线教师 / 教研员), 工作单位 unit (code or exact name,
  within the contest's organising unit; used for conflicts), 可评学科 subjects, 联系电话 phone (optional).
- 教师人数 teachers: 学校 school (code or exact name), 教师人数 teachers (a positive whole number).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from auditlog.models import LogEntry
from django import forms
from django.db import models

from baozheng.contest.forms import check_phone, contest_units
from baozheng.contest.models import Contest, Judge, JudgeGroup, SchoolStage, SchoolTeachers, Topic
from baozheng.lib.bounds import parse_int, report_overlong
from baozheng.lib.tabular import Column, Importer, ImportReport, Row, UpsertPlan, match_one
from baozheng.org.models import UnitKind

TOPIC_COLUMNS = [
    Column("code", ("code", "题目编号")),
    Column("subject", ("subject", "学科")),
    Column("school_stage", ("school_stage", "学段")),
    Column("title", ("title", "课题")),
    Column("source", ("source", "教材出处"), required=False),
]
JUDGE_COLUMNS = [
    Column("name", ("name", "姓名")),
    Column("group", ("group", "评委类别")),
    Column("unit", ("unit", "工作单位")),
    Column("subjects", ("subjects", "可评学科")),
    Column("phone", ("phone", "联系电话"), required=False),
]
TEACHER_COLUMNS = [
    Column("school", ("school", "学校")),
    Column("teachers", ("teachers", "教师人数")),
]

Item = tuple[Hashable, dict[str, Any]]  # (the record's key, its fields as the row says)


def choice(text: str, choices: type[models.TextChoices], what: str) -> str:
    for value, label in choices.choices:
        if text.strip() in (value, label):
            return value
    raise ValueError(f"{what}“{text}”无效，可选：{'、'.join(choices.labels)}")


def required(report: ImportReport, row: Row, labels: dict[str, str]) -> bool:
    missing = [label for key, label in labels.items() if not row.get(key)]
    for label in missing:
        report.error(row.number, label, "不能为空")
    return not missing


class SetupImporter(Importer[Item]):
    """A contest's setup list: each row a record matched by key among `existing`; a new
    one is created with `fixed` values plus the row's, a changed one takes the row's."""

    model: type[models.Model]

    def __init__(self, contest: Contest, filename: str, user) -> None:
        self.contest, self.filename, self.user = contest, filename, user
        self.fixed: dict[str, Any] = {"contest": contest}
        self.existing: dict[Hashable, models.Model] = {}
        self.changed_fields: set[str] = set()

    def named(self, key: Any) -> str:
        """The repeated record as the message names it."""
        raise NotImplementedError

    def key(self, item: Item) -> Hashable:
        return item[0]

    def duplicate(self, key: Hashable, first: int) -> tuple[str, str]:
        return "", f"{self.named(key)}在文件中重复（第 {first} 行已有）"

    def plan(self, items: list[Item], report: ImportReport) -> UpsertPlan:
        plan: UpsertPlan[models.Model] = UpsertPlan()
        for key, values in items:
            current = self.existing.get(key)
            if current is None:
                plan.creates.append(self.model(**self.fixed, **values))
                continue
            differing = {f for f, v in values.items() if getattr(current, f) != v}
            if not differing:
                plan.unchanged += 1
                continue
            for f in differing:
                setattr(current, f, values[f])
            self.changed_fields |= differing
            plan.updates.append(current)
        return plan

    def commit(self, plan: UpsertPlan, batch: object) -> None:
        self.model._default_manager.bulk_create(plan.creates)
        if plan.updates:
            self.model._default_manager.bulk_update(plan.updates, sorted(self.changed_fields))

    def record(self, report: ImportReport, batch: object = None) -> object:
        """One audit event on the contest for a real import that changed anything."""
        if batch is not None and (report.created or report.updated):
            LogEntry.objects.log_create(
                self.contest,
                action=LogEntry.Action.UPDATE,
                actor=self.user,
                force_log=True,
                changes={f"导入{report.kind}": [self.filename, report.summary()]},
            )
        return self.contest


def import_topics(
    contest: Contest, data: bytes, filename: str, dry_run: bool = False, user=None
) -> ImportReport:
    return TopicImporter(contest, filename, user).run(data, filename, dry_run)


class TopicImporter(SetupImporter):
    kind, columns, model = "题库课题", TOPIC_COLUMNS, Topic

    def __init__(self, contest: Contest, filename: str, user) -> None:
        super().__init__(contest, filename, user)
        self.existing = {t.code: t for t in Topic.objects.filter(contest=contest)}

    def named(self, key: Any) -> str:
        return f"题目编号 {key} "

    def parse_row(self, row: Row, report: ImportReport) -> Item | None:
        report_overlong(
            report,
            [row],
            TOPIC_COLUMNS,
            Topic,
            {k: k for k in ("code", "subject", "title", "source")},
        )
        if not required(report, row, {"code": "题目编号", "subject": "学科", "title": "课题"}):
            return None
        try:
            stage = choice(row.get("school_stage"), SchoolStage, "学段")
        except ValueError as exc:
            report.error(row.number, "学段", str(exc))
            return None
        return (
            row.get("code"),
            {
                "code": row.get("code"),
                "subject": row.get("subject"),
                "school_stage": stage,
                "title": row.get("title"),
                "source": row.get("source"),
            },
        )


def import_judges(
    contest: Contest, data: bytes, filename: str, dry_run: bool = False, user=None
) -> ImportReport:
    return JudgeImporter(contest, filename, user).run(data, filename, dry_run)


class JudgeImporter(SetupImporter):
    kind, columns, model = "评委", JUDGE_COLUMNS, Judge

    def __init__(self, contest: Contest, filename: str, user) -> None:
        super().__init__(contest, filename, user)
        self.units = list(contest_units(contest).values_list("code", "name"))
        self.unit_ids = dict(contest_units(contest).values_list("code", "pk"))
        self.existing = {(j.name, j.unit_id): j for j in Judge.objects.filter(contest=contest)}
        self.scored = set(
            Judge.objects.filter(contest=contest, sheets__isnull=False).values_list("pk", flat=True)
        )

    def named(self, key: Any) -> str:
        return f"评委 {key[0]}（同一单位）"

    def parse_row(self, row: Row, report: ImportReport) -> Item | None:
        report_overlong(
            report, [row], JUDGE_COLUMNS, Judge, {k: k for k in ("name", "subjects", "phone")}
        )
        if not required(report, row, {"name": "姓名", "subjects": "可评学科"}):
            return None
        values = {"name": row.get("name"), "subjects": row.get("subjects")}
        ok = True
        for field, label, parse in (
            ("group", "评委类别", lambda t: choice(t, JudgeGroup, "评委类别")),
            ("unit_id", "工作单位", lambda t: self.unit_ids[match_one(t, self.units, "单位")]),
        ):
            try:
                values[field] = parse(row.get(field.removesuffix("_id")))
            except ValueError as exc:
                report.error(row.number, label, str(exc))
                ok = False
        try:
            values["phone"] = check_phone(row.get("phone"))
        except forms.ValidationError as exc:
            report.error(row.number, "联系电话", exc.messages[0])
            ok = False
        if not ok:
            return None
        key = (values["name"], values["unit_id"])
        current = self.existing.get(key)
        if current is not None and current.pk in self.scored and current.group != values["group"]:
            report.error(
                row.number,
                "评委类别",
                f"评委 {current.name} 已提交评分表，评委类别决定这些评分表的权重，不能再修改",
            )
            return None
        return key, values


def import_teachers(
    contest: Contest, data: bytes, filename: str, dry_run: bool = False, user=None
) -> ImportReport:
    return TeacherImporter(contest, filename, user).run(data, filename, dry_run)


class TeacherImporter(SetupImporter):
    kind, columns, model = "学校教师数", TEACHER_COLUMNS, SchoolTeachers

    def __init__(self, contest: Contest, filename: str, user) -> None:
        super().__init__(contest, filename, user)
        self.fixed = {}
        schools = contest_units(contest).filter(kind=UnitKind.SCHOOL)
        self.names = list(schools.values_list("code", "name"))
        self.school_ids = dict(schools.values_list("code", "pk"))
        self.existing = {
            t.school_id: t
            for t in SchoolTeachers.objects.filter(school_id__in=self.school_ids.values())
        }

    def named(self, key: Any) -> str:
        code = next(c for c, pk in self.school_ids.items() if pk == key)
        return f"学校 {dict(self.names)[code]} "

    def parse_row(self, row: Row, report: ImportReport) -> Item | None:
        try:
            school_id = self.school_ids[match_one(row.get("school"), self.names, "学校")]
        except ValueError as exc:
            report.error(row.number, "学校", str(exc))
            return None
        try:
            teachers = parse_int(row.get("teachers").replace(",", ""), 1, 100_000)
        except ValueError:
            report.error(
                row.number, "教师人数", f"“{row.get('teachers')[:40]}”应为正整数（不超过 100000）"
            )
            return None
        return school_id, {"school_id": school_id, "teachers": teachers}


IMPORTERS = {"topics": import_topics, "judges": import_judges, "teachers": import_teachers}
