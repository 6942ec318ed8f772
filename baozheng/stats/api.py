"""API routes of the statistics core, mounted at /api/v1/stats/: indicators, observations,
targets and the bulletin to read, and batch writes of observations and targets that follow
the import contract exactly (they run the same importers as `baozheng import`)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, JsonResponse
from ninja import Query, Router
from ninja.errors import HttpError

from baozheng.analysis.periods import Period
from baozheng.api.common import (
    PAGE_SIZE,
    batch_file,
    batch_response,
    number,
    page_of,
    unit_in_scope,
)
from baozheng.lib.bounds import text_limit
from baozheng.lib.tabular import ImportFileError
from baozheng.org.models import Unit
from baozheng.org.permissions import can, primary_unit, scoped
from baozheng.org.roles import Cap
from baozheng.stats.bulletin import bulletin_for, parse_period
from baozheng.stats.imports import run_import
from baozheng.stats.models import (
    FINAL_STATUSES,
    ImportBatch,
    Indicator,
    Observation,
    Target,
    TargetRevision,
)
from baozheng.stats.released import released_periods

router = Router(tags=["统计"])


def _period(text: str) -> Period:
    try:
        return parse_period(text)
    except ValueError as exc:
        raise HttpError(400, str(exc)) from None


@router.get("/indicators", summary="指标目录")
def indicators(request: HttpRequest) -> list[dict]:
    rows = Indicator.objects.select_related("department").order_by("order", "code")
    return [
        {
            "code": i.code,
            "name": i.name,
            "measure": i.measure,
            "kind": i.kind,
            "frequency": i.frequency,
            "merged_jan_feb": i.merged_jan_feb,
            "direction": i.direction,
            "additive": i.additive,
            "cumulative": i.cumulative,
            "department": i.department.code if i.department_id else None,
        }
        for i in rows
    ]


def _observation_rows(request: HttpRequest, unit: str, indicator: str, period: str):
    rows = scoped(
        Observation.objects.select_related("indicator", "unit"), request.user, "unit"
    ).order_by("indicator__order", "indicator__code", "unit__path", "year", "month")
    if unit:
        rows = rows.filter(unit__path__startswith=unit_in_scope(request, unit).path)
    if indicator:
        rows = rows.filter(indicator__code=indicator)
    if period:
        when = _period(period)
        rows = rows.filter(year=when.year, month=when.month)
    return rows


@router.get("/observations", summary="数据（最新已审核值，可附修订记录）")
def observations(
    request: HttpRequest,
    period: str = Query("", description="期间，如 2023-06 或 2023年1-6月"),
    unit: str = Query("", description="单位编码：该单位及其下级"),
    indicator: str = Query("", description="指标编码"),
    revisions: bool = Query(False, description="是否附上每条数据的全部修订记录"),
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> dict:
    """The latest approved (or locked) figures, which every computation reads; figures not
    yet approved appear with `value` and `growth` null. With `revisions=true` each item also
    lists every revision, newest first (value, growth, status, time, source, reason)."""
    rows = _observation_rows(request, unit, indicator, period)
    if revisions:
        rows = rows.prefetch_related("revisions")

    def row(o: Observation) -> dict:
        item = {
            "indicator": o.indicator.code,
            "unit": o.unit.code,
            "period": o.period_code,
            "value": number(o.value) if o.has_approved else None,
            "growth": number(o.growth) if o.has_approved else None,
            "status": o.status,
            "approved": o.has_approved,
            "source": o.source,
            "updated_at": o.updated_at.isoformat(),
        }
        if revisions:
            item["revisions"] = [
                {
                    "value": number(r.value),
                    "growth": number(r.growth),
                    "status": r.status,
                    "final": r.status in FINAL_STATUSES,
                    "created_at": r.created_at.isoformat(),
                    "source": r.source,
                    "reason": r.reason,
                }
                for r in sorted(o.revisions.all(), key=lambda r: r.created_at, reverse=True)
            ]
        return item

    return page_of(rows, page, page_size, row)


def _tiers(t: Target | TargetRevision) -> dict:
    return {
        "basis": t.basis,
        "floor": number(t.floor),
        "stretch": number(t.stretch),
        "top": number(t.top),
    }


@router.get("/targets", summary="目标（保、争、抢；阶段目标、位次目标），可附调整历史")
def targets(
    request: HttpRequest,
    year: int | None = Query(None, description="年度"),
    unit: str = Query("", description="单位编码：该单位及其下级"),
    indicator: str = Query("", description="指标编码"),
    history: bool = Query(False, description="是否附上每个目标的全部版本（年中调整）"),
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> dict:
    """Targets in force, one per (indicator, unit, year, period, value or rank): `period` is
    the year (`2023`) for an annual target and the release period (`2023-03`) for a phase
    target; basis `rank` holds places. With `history=true` each target lists every version,
    newest first, with who changed it, when and why."""
    rows = scoped(
        Target.objects.select_related("indicator", "unit", "responsible_unit"),
        request.user,
        "unit",
    ).order_by("year", "indicator__order", "indicator__code", "unit__path", "month")
    if year is not None:
        rows = rows.filter(year=year)
    if unit:
        rows = rows.filter(unit__path__startswith=unit_in_scope(request, unit).path)
    if indicator:
        rows = rows.filter(indicator__code=indicator)
    if history:
        rows = rows.prefetch_related("revisions__created_by")

    def row(t: Target) -> dict:
        item = {
            "indicator": t.indicator.code,
            "unit": t.unit.code,
            "year": t.year,
            "period": f"{t.year:04d}-{t.month:02d}" if t.month else f"{t.year:04d}",
            **_tiers(t),
            "responsible_unit": t.responsible_unit.code if t.responsible_unit_id else None,
            "leader": t.leader,
        }
        if history:
            item["history"] = [
                {
                    **_tiers(v),
                    "removed": v.removed,
                    "reason": v.reason,
                    "changed_at": v.created_at.isoformat(),
                    "changed_by": str(v.created_by) if v.created_by_id else None,
                }
                for v in sorted(t.revisions.all(), key=lambda v: v.created_at, reverse=True)
            ]
        return item

    return page_of(rows, page, page_size, row)


@router.get("/bulletin", summary="某期通报（JSON，数字为完整精度）")
def bulletin(request: HttpRequest, period: str, parent: str = "") -> dict:
    """The bulletin contract for `period` (2023-06 or 2023年1-6月) and `parent` (a unit code,
    default the caller's own unit); units outside the caller's scope are refused (403)."""
    when = _period(period)
    unit = Unit.objects.filter(code=parent).first() if parent else primary_unit(request.user)
    if unit is None:
        raise HttpError(404, f"找不到单位“{parent}”")
    if not can(request.user, Cap.VIEW, unit):
        raise HttpError(403, "您没有权限查看该单位的数据")
    if not released_periods().may_see(request.user, when):
        raise HttpError(403, f"{when.label}数据尚未发布")
    try:
        return bulletin_for(request.user, when, unit).data
    except PermissionDenied:
        raise HttpError(403, "您没有权限查看该单位的数据") from None


def batch_body(example: list[dict]) -> dict:
    """The request body of a batch write in the OpenAPI document: JSON rows or a CSV file."""
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {"rows": {"type": "array", "items": {"type": "object"}}},
                        "required": ["rows"],
                    },
                    "example": {"rows": example},
                },
                "text/csv": {"schema": {"type": "string"}},
            },
        }
    }


REASON_HELP = (
    f"修改已锁定数据时的理由，不超过 {text_limit(ImportBatch, 'reason')} 字（更长的整批拒收，400）"
)


def _batch(request: HttpRequest, kind: str, dry_run: bool, reason: str) -> JsonResponse:
    data, name, sent = batch_file(request)
    try:
        report = run_import(
            kind, data, name, request.user, dry_run=dry_run, reason=reason, channel="api"
        )
    except ImportFileError as exc:
        raise HttpError(400, str(exc)) from None
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or "您没有权限导入该类数据") from None
    return batch_response(report, sent)


@router.post(
    "/observations",
    summary="批量报送数据（与导入文件同一契约：全部成功或全部不改）",
    openapi_extra=batch_body(
        [
            {
                "indicator": "B01",
                "unit": "411302",
                "period": "2023-06",
                "value": 152.3,
                "growth": 6.4,
            },
            {
                "indicator": "B01",
                "unit": "411303",
                "period": "2023-06",
                "value": 98.7,
                "growth": 6.1,
            },
        ]
    ),
)
def post_observations(
    request: HttpRequest,
    dry_run: bool = Query(False, description="试导入：只报告结果，不保存"),
    reason: str = Query("", description=REASON_HELP),
) -> JsonResponse:
    """Rows as in `baozheng import observations`: indicator, unit, period, value, growth.
    Every row is checked; one bad row rejects the batch (422, every problem listed with the
    row's index in the batch and its key); a dry run reports what a real run would do;
    sending the same batch again changes nothing; a changed figure becomes a new revision,
    approved when the token's role approves (else submitted for review)."""
    return _batch(request, "observations", dry_run, reason)


@router.post(
    "/targets",
    summary="批量报送目标（与导入文件同一契约）",
    openapi_extra=batch_body(
        [
            {
                "indicator": "B01",
                "unit": "411302",
                "year": 2023,
                "basis": "growth",
                "floor": 12,
                "stretch": 13,
            }
        ]
    ),
)
def post_targets(
    request: HttpRequest,
    dry_run: bool = Query(False, description="试导入：只报告结果，不保存"),
) -> JsonResponse:
    """Rows as in `baozheng import targets`; all-or-nothing, dry-runnable and idempotent
    like the observations batch."""
    return _batch(request, "targets", dry_run, "")
