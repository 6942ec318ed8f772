"""API routes of the key projects, mounted at /api/v1/projects/: the registry with stages
and monthly progress, scoped like the project pages (a leader: the projects they lead)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Query, Router

from baozheng.api.common import PAGE_SIZE, number, page_of, unit_in_scope
from baozheng.projects.facts import visible_projects
from baozheng.projects.models import ProgressReport, Project

router = Router(tags=["重点项目"])


def _project(p: Project) -> dict:
    reports = sorted(p.reports.all(), key=lambda r: (r.year, r.month))
    return {
        "code": p.code,
        "name": p.name,
        "county": p.county.code,
        "department": p.department.code if p.department_id else None,
        "industry": p.industry,
        "manufacturing": p.is_manufacturing,
        "category": p.category,
        "total_investment": number(p.total_investment),
        "plan_year": p.plan_year,
        "annual_plan": number(p.annual_plan),
        "leader": p.leader_name,
        "stages": [
            {
                "stage": s.kind,
                "planned_on": s.planned_on.isoformat() if s.planned_on else None,
                "actual_on": s.actual_on.isoformat() if s.actual_on else None,
            }
            for s in p.stages.all()
        ],
        "progress": [
            {
                "month": f"{r.year:04d}-{r.month:02d}",
                "invested_month": number(r.invested_month),
                "invested_ytd": number(r.invested_ytd),
                "narrative": r.narrative,
            }
            for r in reports
        ],
    }


@router.get("/projects", summary="重点项目（含阶段与月度进度）")
def projects(
    request: HttpRequest,
    county: str = Query("", description="县区编码：该单位及其下级的项目"),
    year: int | None = Query(None, description="只列出该计划年度的项目"),
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> dict:
    rows = (
        visible_projects(request.user)
        .select_related("county", "department")
        .prefetch_related("stages", Prefetch("reports", queryset=ProgressReport.objects.all()))
        .order_by("county__path", "code")
    )
    if county:
        rows = rows.filter(county__path__startswith=unit_in_scope(request, county).path)
    if year is not None:
        rows = rows.filter(plan_year=year)
    return page_of(rows, page, page_size, _project)
