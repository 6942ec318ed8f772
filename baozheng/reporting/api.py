"""API routes of the reporting system, mounted at /api/v1/reporting/: periods under the
office's control, released periods and their immutable versions, report forms and the
(unit, form, indicator) obligations of a period — each within the caller's scope."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from ninja import Query, Router
from ninja.errors import HttpError

from baozheng.analysis.periods import Period
from baozheng.api.common import PAGE_SIZE, page_of, unit_in_scope
from baozheng.org.models import Unit
from baozheng.org.permissions import can, primary_unit, scope_q
from baozheng.org.roles import Cap
from baozheng.reporting.models import (
    PeriodState,
    Release,
    ReportForm,
    ReportingPeriod,
)
from baozheng.reporting.obligations import form_deadline, obligations, reporting_unit_q
from baozheng.stats.bulletin import parse_period
from baozheng.stats.models import FINAL_STATUSES, Observation, Status
from baozheng.stats.released import released_periods

router = Router(tags=["报表制度"])


def _period(text: str) -> Period:
    try:
        return parse_period(text)
    except ValueError as exc:
        raise HttpError(400, str(exc)) from None


def _parent(request: HttpRequest, code: str) -> Unit:
    unit = unit_in_scope(request, code) if code else primary_unit(request.user)
    if unit is None:
        raise HttpError(403, "您没有可查看的单位")
    return unit


def _when(value) -> str | None:
    return value.isoformat() if value else None


@router.get("/periods", summary="报告期及其状态（填报中、已关闭、已发布）")
def periods(request: HttpRequest) -> dict:
    if not can(request.user, Cap.VIEW):
        raise HttpError(403, "您没有查看权限")
    latest = released_periods().latest
    return {
        "latest_released": latest.code if latest else None,
        "periods": [
            {
                "period": f"{p.year:04d}-{p.month:02d}",
                "state": p.state,
                "state_label": p.get_state_display(),
                "opened_at": _when(p.opened_at),
                "closed_at": _when(p.closed_at),
                "released_at": _when(p.released_at),
            }
            for p in ReportingPeriod.objects.all()
        ],
    }


@router.get("/releases", summary="已发布的期间及其版本（最新发布在前）")
def releases(request: HttpRequest, parent: str = "") -> dict:
    """Released periods with the versions stored for `parent` (default the caller's own
    unit), newest first; `latest` is the period everyone sees by default."""
    unit = _parent(request, parent)
    stored: dict[tuple[int, int], list[dict]] = {}
    for row in (
        Release.objects.filter(parent=unit)
        .order_by("-version")
        .values("year", "month", "version", "released_at", "differences")
    ):
        stored.setdefault((row["year"], row["month"]), []).append(
            {
                "version": row["version"],
                "released_at": row["released_at"].isoformat(),
                "differences": len(row["differences"]),
            }
        )
    latest = released_periods().latest
    return {
        "parent": unit.code,
        "latest": latest.code if latest else None,
        "periods": [
            {
                "period": f"{p.year:04d}-{p.month:02d}",
                "released_at": _when(p.released_at),
                "versions": stored.get((p.year, p.month), []),
            }
            for p in ReportingPeriod.objects.filter(state=PeriodState.RELEASED)
        ],
    }


@router.get("/releases/{period}/{version}", summary="某期某版发布的通报（快照）及更正内容")
def release_version(request: HttpRequest, period: str, version: int, parent: str = "") -> dict:
    """One stored release version: its bulletin as released and its differences (更正)."""
    when = _period(period)
    unit = _parent(request, parent)
    found = Release.objects.filter(
        year=when.year, month=when.month, parent=unit, version=version
    ).first()
    if found is None:
        raise HttpError(404, f"{when.label}{unit.name}没有第{version}版发布")
    return {
        "period": when.code,
        "parent": unit.code,
        "version": found.version,
        "released_at": found.released_at.isoformat(),
        "note": found.note,
        "differences": found.differences,
        "bulletin": found.data,
    }


@router.get("/forms", summary="报表（指标、频度、报送期限、审核流程、指派）")
def forms(request: HttpRequest) -> list[dict]:
    """Every form with its indicators, deadline and approval chain; its assignments only to
    units in the caller's scope."""
    if not can(request.user, Cap.VIEW):
        raise HttpError(403, "您没有查看权限")
    rows = ReportForm.objects.prefetch_related("indicators", "steps", "assignments__unit").order_by(
        "order", "code"
    )
    return [
        {
            "code": f.code,
            "name": f.name,
            "frequency": f.frequency,
            "deadline": f.deadline_label,
            "indicators": [i.code for i in f.indicators.all()],
            "steps": [
                {"order": s.order, "name": s.name, "role": s.role}
                for s in sorted(f.steps.all(), key=lambda s: s.order)
            ],
            "assignments": [
                {"unit": a.unit.code, "kinds": a.kind_list}
                for a in f.assignments.all()
                if can(request.user, Cap.VIEW, a.unit)
            ],
        }
        for f in rows
    ]


@router.get("/obligations", summary="某期应报数据（单位、报表、指标、期限、状态）")
def obligations_of(
    request: HttpRequest,
    period: str = Query(..., description="期间，如 2023-10"),
    unit: str = Query("", description="单位编码：该单位及其下级的报送单位"),
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> dict:
    """The (unit, form, indicator) obligations of the period for reporting units in scope,
    each with its deadline, the figure's state (未填报 when nothing is entered) and whether it
    is overdue; a figure approved earlier counts as delivered."""
    when = _period(period)
    units = Unit.objects.filter(scope_q(request.user)).filter(reporting_unit_q())
    if unit:
        units = units.filter(path__startswith=unit_in_scope(request, unit).path)
    units = list(units.order_by("path"))
    owed = obligations(units, when)
    states = {
        (i, u): (str(Status.APPROVED) if approved else status)
        for i, u, status, approved in Observation.objects.filter(
            unit__in=units, year=when.year, month=when.month
        ).values_list("indicator_id", "unit_id", "status", "has_approved")
    }
    by_id = {u.pk: u for u in units}
    today = date.today()
    rows = sorted(
        owed.values(), key=lambda o: (by_id[o.unit_id].path, o.indicator.order, o.indicator.code)
    )

    def item(o) -> dict:
        state = states.get((o.indicator.pk, o.unit_id), "")
        due = form_deadline(o.form, when)
        done = state in FINAL_STATUSES or state == Status.SUBMITTED
        return {
            "unit": by_id[o.unit_id].code,
            "form": o.form.code,
            "indicator": o.indicator.code,
            "deadline": due.isoformat(),
            "state": state or "missing",
            "overdue": not done and today > due,
        }

    return page_of(rows, page, page_size, item)
