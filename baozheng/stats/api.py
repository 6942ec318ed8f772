"""JSON API of the statistics app, mounted at /api/stats/ (session authentication)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from baozheng.org.models import Unit
from baozheng.org.permissions import can, primary_unit
from baozheng.org.roles import Cap
from baozheng.stats.bulletin import bulletin_for, parse_period
from baozheng.stats.released import may_see_period

router = Router(tags=["统计"])


@router.get("/bulletin", summary="某期通报（JSON，数字为完整精度）")
def bulletin(request: HttpRequest, period: str, parent: str = "") -> dict:
    """The bulletin contract for `period` (2023-06 or 2023年1-6月) and `parent` (a unit code,
    default the user's own unit); units outside the user's scope are refused (403)."""
    try:
        when = parse_period(period)
    except ValueError as exc:
        raise HttpError(400, str(exc)) from None
    unit = Unit.objects.filter(code=parent).first() if parent else primary_unit(request.user)
    if unit is None:
        raise HttpError(404, f"找不到单位“{parent}”")
    if not can(request.user, Cap.VIEW, unit):
        raise HttpError(403, "您没有权限查看该单位的数据")
    if not may_see_period(request.user, when):
        raise HttpError(403, f"{when.label}数据尚未发布")
    try:
        return bulletin_for(request.user, when, unit).data
    except PermissionDenied:
        raise HttpError(403, "您没有权限查看该单位的数据") from None


def _release_unit(request: HttpRequest, parent: str) -> Unit:
    unit = Unit.objects.filter(code=parent).first() if parent else primary_unit(request.user)
    if unit is None:
        raise HttpError(404, f"找不到单位“{parent}”")
    if not can(request.user, Cap.VIEW, unit):
        raise HttpError(403, "您没有权限查看该单位的数据")
    return unit


@router.get("/releases", summary="已发布的期间及其版本（最新发布在前）")
def releases(request: HttpRequest, parent: str = "") -> dict:
    """Released periods with the versions stored for `parent` (default the user's own
    unit), newest first; `latest` is the period everyone sees by default."""
    from baozheng.reporting.models import PeriodState, Release, ReportingPeriod
    from baozheng.stats.released import latest_released_period

    unit = _release_unit(request, parent)
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
    latest = latest_released_period()
    return {
        "parent": unit.code,
        "latest": latest.code if latest else None,
        "periods": [
            {
                "period": f"{p.year:04d}-{p.month:02d}",
                "released_at": p.released_at.isoformat() if p.released_at else None,
                "versions": stored.get((p.year, p.month), []),
            }
            for p in ReportingPeriod.objects.filter(state=PeriodState.RELEASED)
        ],
    }


@router.get("/releases/{period}/{version}", summary="某期某版发布的通报（快照）及更正内容")
def release_version(request: HttpRequest, period: str, version: int, parent: str = "") -> dict:
    """One stored release version: its bulletin as released and its differences (更正)."""
    from baozheng.reporting.models import Release

    try:
        when = parse_period(period)
    except ValueError as exc:
        raise HttpError(400, str(exc)) from None
    unit = _release_unit(request, parent)
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
