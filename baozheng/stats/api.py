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
    try:
        return bulletin_for(request.user, when, unit).data
    except PermissionDenied:
        raise HttpError(403, "您没有权限查看该单位的数据") from None
