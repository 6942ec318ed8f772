"""Small builders for project tests (no fixtures files: fast and readable)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from baozheng.org.models import Unit
from baozheng.projects.models import Category, Industry, ProgressReport, Project, Stage


def make_project(
    county: Unit,
    code: str = "P-001",
    *,
    plan: str | None = "1200",
    total: str = "20000",
    leader=None,
    stages: dict[str, tuple[date | None, date | None]] | None = None,
    ytd_by_month: dict[int, str] | None = None,
    year: int = 2023,
    **fields,
) -> Project:
    project = Project.objects.create(
        code=code,
        name=fields.pop("name", f"测试项目{code}"),
        county=county,
        industry=Industry.EQUIPMENT,
        is_manufacturing=True,
        total_investment=Decimal(total),
        plan_year=year if plan else None,
        annual_plan=Decimal(plan) if plan else None,
        category=Category.CITY,
        leader=leader,
        leader_name=str(leader) if leader else "",
        **fields,
    )
    for kind, (planned, actual) in (stages or {}).items():
        Stage.objects.create(project=project, kind=kind, planned_on=planned, actual_on=actual)
    previous = Decimal(0)
    for month, ytd in sorted((ytd_by_month or {}).items()):
        value = Decimal(ytd)
        ProgressReport.objects.create(
            project=project,
            year=year,
            month=month,
            invested_month=value - previous,
            invested_ytd=value,
        )
        previous = value
    return project
