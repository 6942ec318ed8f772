"""API routes of the organisation: units (the tree, kinds, peer groups) within scope."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from baozheng.api.common import PAGE_SIZE, page_of, unit_in_scope
from baozheng.org.models import PeerGroup, Unit
from baozheng.org.permissions import scoped, visible_units

router = Router(tags=["单位"])


def _unit(u: Unit) -> dict:
    return {
        "code": u.code,
        "name": u.name,
        "short_name": u.short_name,
        "kind": u.kind,
        "kind_label": u.get_kind_display(),
        "parent": u.parent.code if u.parent_id else None,
        "peer_group": u.peer_group.code if u.peer_group_id else None,
        "depth": u.path.count("/") - 1,
    }


@router.get("/units", summary="单位树（本数据范围内）")
def units(
    request: HttpRequest,
    under: str = Query("", description="只列出该单位（编码）及其下级"),
    kind: str = Query("", description="单位类型，如 county、district"),
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> dict:
    """Units in the caller's scope, in tree order (a parent before its children)."""
    rows = visible_units(request.user).select_related("parent", "peer_group").order_by("path")
    if under:
        rows = rows.filter(path__startswith=unit_in_scope(request, under).path)
    if kind:
        rows = rows.filter(kind=kind)
    return page_of(rows, page, page_size, _unit)


@router.get("/peer-groups", summary="排名分组（同级比较的单位组）")
def peer_groups(request: HttpRequest) -> list[dict]:
    """Peer groups whose parent lies in scope, with their members' codes."""
    groups = scoped(PeerGroup.objects.select_related("parent"), request.user, "parent")
    return [
        {
            "code": g.code,
            "name": g.name,
            "parent": g.parent.code,
            "partitions_parent": g.partitions,
            "members": list(g.members.order_by("path").values_list("code", flat=True)),
        }
        for g in groups.order_by("parent__path", "order")
    ]
