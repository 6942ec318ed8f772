"""Importing the project registry from xlsx/csv (`baozheng import projects FILE`).

The import contract of `baozheng.lib.tabular`: every row is validated and every problem
reported by row and column; any error changes nothing; a dry run reports what a real
import would do; importing the same file again changes nothing. Projects are matched by
their code; stages given in the file are checked with the same ladder rule as the page.
The mechanics are the importer skeleton's (`lib.tabular.Importer`): `plan` classifies each
project against what is stored without writing, so a dry run writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from baozheng.lib.tabular import Column, Importer, ImportReport, Row, UpsertPlan
from baozheng.projects.models import BatchEntry, Project, Stage
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
    return ProjectImporter(today or date.today()).run(data, filename, dry_run)


class ProjectImporter(Importer[ParsedRow]):
    kind, columns = "重点项目", COLUMNS

    def __init__(self, today: date) -> None:
        self.today, self.look = today, Lookups()

    def parse_row(self, row: Row, report: ImportReport) -> ParsedRow | None:
        return _parse(row, self.look, report, self.today)

    def key(self, item: ParsedRow) -> str:
        return str(item.registry.values["code"])

    def duplicate(self, key: object, first: int) -> tuple[str, str]:
        return "项目编码", f"与第 {first} 行重复"

    def plan(self, items: list[ParsedRow], report: ImportReport) -> UpsertPlan:
        """One lookup of the chunk's stored projects, their stages and batch entries."""
        codes = [self.key(item) for item in items]
        stored = {
            p.code: p for p in Project.objects.filter(code__in=codes).prefetch_related("stages")
        }
        entries = {
            (e.project.code, e.batch.name): e.side
            for e in BatchEntry.objects.filter(project__code__in=codes).select_related(
                "project", "batch"
            )
        }
        plan: UpsertPlan[ParsedRow] = UpsertPlan()
        for item in items:
            project = stored.get(self.key(item))
            if project is None:
                plan.creates.append(item)
            elif _changes(project, item, entries):
                plan.updates.append(item)
            else:
                plan.unchanged += 1
        return plan

    def commit(self, plan: UpsertPlan, batch: object) -> None:
        for item in [*plan.creates, *plan.updates]:
            _write(item)


def _changes(project: Project, item: ParsedRow, entries: dict[tuple[str, str], str]) -> bool:
    """Whether writing the row would change the project, its batch entry or its stages
    (what `_write` would do, decided without writing)."""
    values, batch = item.registry.values, item.registry.batch
    if any(getattr(project, k) != v for k, v in values.items()):
        return True
    if batch and entries.get((project.code, batch[0])) != batch[1]:
        return True
    existing = {s.kind: s for s in project.stages.all()}
    for kind, dates in item.stages.items():
        stage = existing.get(kind)
        if stage is None:
            if dates.planned is not None or dates.actual is not None:
                return True
        elif (stage.planned_on, stage.actual_on) != (dates.planned, dates.actual):
            return True
    return False


def _write(item: ParsedRow) -> None:
    """Projects are matched by code; the registry is written by `save_registry`, then the
    stage dates of the file (merged with those already recorded)."""
    values = item.registry.values
    project, _, _ = save_registry(
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
        elif (stage.planned_on, stage.actual_on) != (dates.planned, dates.actual):
            stage.planned_on, stage.actual_on = dates.planned, dates.actual
            stage.save()
