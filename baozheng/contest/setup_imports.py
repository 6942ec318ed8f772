"""Importing a contest's topic bank, judges and schools' teacher headcounts from xlsx or csv.

The product's import contract (`lib/tabular`): every row is checked and every problem
reported; any error → nothing is written; a dry run reports exactly what the real import
would do; each row is matched by its key (topic code; judge name + unit; school), so the
same file imported twice changes nothing. A real import is one audit event on the contest.

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
from django.db import models, transaction

from baozheng.contest.forms import check_phone, contest_units
from baozheng.contest.models import Contest, Judge, JudgeGroup, SchoolStage, SchoolTeachers, Topic
from baozheng.lib.bounds import parse_int, report_overlong
from baozheng.lib.tabular import (
    Column,
    ImportReport,
    Row,
    conflicts_refused,
    file_digest,
    match_one,
    read_rows,
)
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

Parsed = list[tuple[Hashable, dict[str, Any]]]


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


def once(report: ImportReport, row: Row, key: Hashable, seen: set, what: str) -> bool:
    if key in seen:
        report.error(row.number, "", f"{what}在文件中重复")
        return False
    seen.add(key)
    return True


def apply(
    contest: Contest,
    report: ImportReport,
    parsed: Parsed,
    existing: dict[Hashable, models.Model],
    model: type[models.Model],
    fixed: dict[str, Any],
    filename: str,
    user,
    dry_run: bool,
) -> ImportReport:
    """Create new rows (`fixed` values plus the row's), update changed ones, count unchanged
    ones; all in one transaction, after every row has passed."""
    if report.errors:
        return report
    create, update, changed_fields = [], [], set()
    for key, values in parsed:
        current = existing.get(key)
        if current is None:
            create.append(model(**fixed, **values))
            continue
        differing = {f for f, v in values.items() if getattr(current, f) != v}
        if not differing:
            report.unchanged += 1
            continue
        for f in differing:
            setattr(current, f, values[f])
        changed_fields |= differing
        update.append(current)
    report.created, report.updated = len(create), len(update)
    if dry_run or not (create or update):
        return report
    with conflicts_refused(), transaction.atomic():
        model.objects.bulk_create(create)
        if update:
            model.objects.bulk_update(update, sorted(changed_fields))
        LogEntry.objects.log_create(
            contest,
            action=LogEntry.Action.UPDATE,
            actor=user,
            force_log=True,
            changes={f"导入{report.kind}": [filename, report.summary()]},
        )
    return report


def import_topics(
    contest: Contest, data: bytes, filename: str, dry_run: bool = False, user=None
) -> ImportReport:
    report = ImportReport(kind="题库课题", dry_run=dry_run, file_hash=file_digest(data))
    rows = read_rows(data, filename, TOPIC_COLUMNS)
    report.rows = len(rows)
    report_overlong(
        report, rows, TOPIC_COLUMNS, Topic, {k: k for k in ("code", "subject", "title", "source")}
    )
    parsed: Parsed = []
    seen: set = set()
    for row in rows:
        if not required(report, row, {"code": "题目编号", "subject": "学科", "title": "课题"}):
            continue
        if not once(report, row, row.get("code"), seen, f"题目编号 {row.get('code')} "):
            continue
        try:
            stage = choice(row.get("school_stage"), SchoolStage, "学段")
        except ValueError as exc:
            report.error(row.number, "学段", str(exc))
            continue
        parsed.append(
            (
                row.get("code"),
                {
                    "code": row.get("code"),
                    "subject": row.get("subject"),
                    "school_stage": stage,
                    "title": row.get("title")[:120],
                    "source": row.get("source")[:120],
                },
            )
        )
    existing = {t.code: t for t in Topic.objects.filter(contest=contest)}
    return apply(
        contest, report, parsed, existing, Topic, {"contest": contest}, filename, user, dry_run
    )


def import_judges(
    contest: Contest, data: bytes, filename: str, dry_run: bool = False, user=None
) -> ImportReport:
    report = ImportReport(kind="评委", dry_run=dry_run, file_hash=file_digest(data))
    rows = read_rows(data, filename, JUDGE_COLUMNS)
    report.rows = len(rows)
    report_overlong(
        report, rows, JUDGE_COLUMNS, Judge, {k: k for k in ("name", "subjects", "phone")}
    )
    units = list(contest_units(contest).values_list("code", "name"))
    unit_ids = dict(contest_units(contest).values_list("code", "pk"))
    existing = {(j.name, j.unit_id): j for j in Judge.objects.filter(contest=contest)}
    scored = set(
        Judge.objects.filter(contest=contest, sheets__isnull=False).values_list("pk", flat=True)
    )
    parsed: Parsed = []
    seen: set = set()
    for row in rows:
        if not required(report, row, {"name": "姓名", "subjects": "可评学科"}):
            continue
        values = {"name": row.get("name")[:40], "subjects": row.get("subjects")[:100]}
        ok = True
        for field, label, parse in (
            ("group", "评委类别", lambda t: choice(t, JudgeGroup, "评委类别")),
            ("unit_id", "工作单位", lambda t: unit_ids[match_one(t, units, "单位")]),
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
        key = (values["name"], values.get("unit_id"))
        current = existing.get(key)
        if ok and current is not None and current.pk in scored and current.group != values["group"]:
            report.error(
                row.number,
                "评委类别",
                f"评委 {current.name} 已提交评分表，评委类别决定这些评分表的权重，不能再修改",
            )
        elif ok and once(report, row, key, seen, f"评委 {values['name']}（同一单位）"):
            parsed.append((key, values))
    return apply(
        contest, report, parsed, existing, Judge, {"contest": contest}, filename, user, dry_run
    )


def import_teachers(
    contest: Contest, data: bytes, filename: str, dry_run: bool = False, user=None
) -> ImportReport:
    report = ImportReport(kind="学校教师数", dry_run=dry_run, file_hash=file_digest(data))
    rows = read_rows(data, filename, TEACHER_COLUMNS)
    report.rows = len(rows)
    schools = contest_units(contest).filter(kind=UnitKind.SCHOOL)
    names = list(schools.values_list("code", "name"))
    school_ids = dict(schools.values_list("code", "pk"))
    parsed: Parsed = []
    seen: set = set()
    for row in rows:
        try:
            school_id = school_ids[match_one(row.get("school"), names, "学校")]
        except ValueError as exc:
            report.error(row.number, "学校", str(exc))
            continue
        text = row.get("teachers").replace(",", "")
        try:
            teachers = parse_int(text, 1, 100_000)
        except ValueError:
            report.error(
                row.number, "教师人数", f"“{row.get('teachers')[:40]}”应为正整数（不超过 100000）"
            )
            continue
        if once(report, row, school_id, seen, f"学校 {row.get('school')} "):
            parsed.append((school_id, {"school_id": school_id, "teachers": teachers}))
    existing = {
        t.school_id: t for t in SchoolTeachers.objects.filter(school_id__in=[k for k, _ in parsed])
    }
    return apply(contest, report, parsed, existing, SchoolTeachers, {}, filename, user, dry_run)


IMPORTERS = {"topics": import_topics, "judges": import_judges, "teachers": import_teachers}
