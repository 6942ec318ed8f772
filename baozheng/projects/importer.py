"""Importing the project registry from xlsx/csv (`baozheng import projects FILE`).

The import contract of `baozheng.lib.tabular`: every row is validated and every problem
reported by row and column; any error changes nothing; a dry run reports what a real
import would do; importing the same file again changes nothing. Projects are matched by
their code; stages given in the file are checked with the same ladder rule as the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from baozheng.lib.tabular import Column, ImportReport, Row, conflicts_refused, read_rows
from baozheng.projects.models import Project, Stage
from baozheng.projects.registry import (
    LABELS,
    REGISTRY_COLUMNS,
    Lookups,
    RegistryEntry,
    parse_date,
    parse_registry,
    save_registry,
)
from baozheng.projects.rules import STAGES, StageDates, stage_problems

STAGE_COLUMNS = [
    Column(
        f"{kind}_{which}",
        (f"{kind}_{which}", f"{'计划' if which == 'planned' else '实际'}{label}日期"),
        False,
    )
    for kind, label in STAGES
    for which in ("planned", "actual")
]

COLUMNS = [
    *REGISTRY_COLUMNS,
    Column("entered_statistics_on", ("entered_statistics_on", "入统日期"), False),
    *STAGE_COLUMNS,
]


@dataclass
class ParsedRow:
    registry: RegistryEntry
    stages: dict[str, StageDates]


def _parse(row: Row, look: Lookups, report: ImportReport, today: date) -> ParsedRow | None:
    """The registry fields by the shared rules (`registry.parse_registry`), plus what only
    the import carries: the 入统 date and the stage ladder."""
    errors_before = len(report.errors)
    registry, problems = parse_registry(row.get, look)
    for key, message in problems:
        report.error(row.number, LABELS[key], message)
    entered = None
    try:
        entered = parse_date(row.get("entered_statistics_on"))
    except ValueError as exc:
        report.error(row.number, "入统日期", str(exc))
    stages: dict[str, StageDates] = {}
    for kind, label in STAGES:
        try:
            planned, actual = (
                parse_date(row.get(f"{kind}_planned")),
                parse_date(row.get(f"{kind}_actual")),
            )
        except ValueError as exc:
            report.error(row.number, f"{label}日期", str(exc))
            continue
        stages[kind] = StageDates(planned, actual)
    stages = _merge_existing(row.get("code").strip(), stages)
    for kind, message in stage_problems(stages, today).items():
        report.error(row.number, f"{dict(STAGES)[kind]}日期", message)
    if registry is None or len(report.errors) > errors_before:
        return None
    registry.values["entered_statistics_on"] = entered
    return ParsedRow(registry, stages)


def _merge_existing(code: str, from_file: dict[str, StageDates]) -> dict[str, StageDates]:
    """Blank cells keep the dates already recorded (a clerk's actual dates survive a
    re-import of the plan); the merged ladder is what gets checked and written."""
    merged = {
        s.kind: StageDates(s.planned_on, s.actual_on, s.reason)
        for s in Stage.objects.filter(project__code=code)
    }
    for kind, dates in from_file.items():
        old = merged.get(kind, StageDates())
        merged[kind] = StageDates(
            dates.planned or old.planned, dates.actual or old.actual, old.reason
        )
    return merged


def import_projects(
    data: bytes, filename: str, dry_run: bool = False, today: date | None = None
) -> ImportReport:
    report = ImportReport(kind="重点项目", dry_run=dry_run)
    rows = read_rows(data, filename, COLUMNS)
    report.rows = len(rows)
    look = Lookups()
    parsed: list[ParsedRow] = []
    seen: dict[str, int] = {}
    for row in rows:
        item = _parse(row, look, report, today or date.today())
        if item is None:
            continue
        code = str(item.registry.values["code"])
        if code in seen:
            report.error(row.number, "项目编码", f"与第 {seen[code]} 行重复")
            continue
        seen[code] = row.number
        parsed.append(item)
    if report.errors:
        return report
    with conflicts_refused(), transaction.atomic():
        for item in parsed:
            _write(item, report)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _write(item: ParsedRow, report: ImportReport) -> None:
    """Projects are matched by code; the registry is written by `save_registry`, then the
    stage dates of the file (merged with those already recorded)."""
    values = item.registry.values
    project, created, changed = save_registry(
        Project.objects.filter(code=values["code"]).first(), values, item.registry.batch
    )
    existing = {s.kind: s for s in project.stages.all()}
    for kind, dates in item.stages.items():
        stage = existing.get(kind)
        if stage is None and dates.planned is None and dates.actual is None:
            continue
        if stage is None:
            Stage.objects.create(
                project=project, kind=kind, planned_on=dates.planned, actual_on=dates.actual
            )
            changed = True
        elif (stage.planned_on, stage.actual_on) != (dates.planned, dates.actual):
            stage.planned_on, stage.actual_on = dates.planned, dates.actual
            stage.save()
            changed = True
    if created:
        report.created += 1
    elif changed:
        report.updated += 1
    else:
        report.unchanged += 1
