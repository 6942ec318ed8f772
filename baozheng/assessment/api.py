"""API routes of the composite assessment, mounted at /api/v1/assessment/: runs as their
pages show them — published runs to everyone who may view, drafts to the dispatch office;
every unit's total and rank, the item breakdown only for units in the caller's scope."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.errors import HttpError

from baozheng.api.common import number
from baozheng.assessment.models import Run
from baozheng.org.permissions import can, in_scope
from baozheng.org.roles import Cap

router = Router(tags=["综合考评"])


def _runs(request: HttpRequest):
    if not can(request.user, Cap.VIEW):
        raise HttpError(403, "您没有权限查看考评结果")
    runs = Run.objects.select_related("scheme").order_by("-period_year", "-period_month", "-pk")
    if not can(request.user, Cap.DISPATCH):
        runs = runs.filter(status=Run.Status.PUBLISHED)
    return runs


def _summary(run: Run) -> dict:
    return {
        "id": run.pk,
        "scheme": run.scheme.code,
        "scheme_name": run.scheme.name,
        "period": f"{run.period_year:04d}-{run.period_month:02d}",
        "period_kind": run.period_kind,
        "version": run.version,
        "status": run.status,
        "published_at": run.published_at.isoformat() if run.published_at else None,
        "full_points": number(run.full_points),
    }


@router.get("/runs", summary="考评结果列表")
def runs(request: HttpRequest) -> list[dict]:
    return [_summary(run) for run in _runs(request)[:200]]


@router.get("/runs/{run_id}", summary="某次考评的得分与名次")
def run(request: HttpRequest, run_id: int) -> dict:
    found = get_object_or_404(_runs(request), pk=run_id)
    rows = []
    for row in found.rows.select_related("unit").prefetch_related("items"):
        item = {
            "unit": row.unit.code,
            "name": row.unit_name,
            "total": number(row.total),
            "rank": row.rank,
            "rank_change": row.rank_change,
        }
        if in_scope(request.user, row.unit):
            item["items"] = [
                {
                    "key": i.key,
                    "name": i.name,
                    "full": number(i.full),
                    "figure": number(i.figure),
                    "points": number(i.points),
                    "rank": i.item_rank,
                    "why": i.why,
                }
                for i in row.items.all()
            ]
        rows.append(item)
    return _summary(found) | {"rows": rows}
