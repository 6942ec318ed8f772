"""API routes of dispatch and enterprise service, mounted at /api/v1/tasks/: tracked tasks
and enterprise requests, each scoped exactly like its pages. An enterprise request's contact
person, telephone and submitting address are personal data: they appear only for callers
who follow requests up (the dispatch capability), as on the pages."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from baozheng.api.common import PAGE_SIZE, page_of, unit_in_scope
from baozheng.org.permissions import can
from baozheng.org.roles import Cap
from baozheng.tasks.access import visible_tasks
from baozheng.tasks.models import ServiceRequest, Task
from baozheng.tasks.views.enterprise_pages import visible_requests

router = Router(tags=["调度督办"])


def _date(value) -> str | None:
    return value.isoformat() if value else None


def _task(t: Task) -> dict:
    return {
        "id": t.pk,
        "title": t.title,
        "source": t.source_kind,
        "source_label": t.source_label,
        "lead_unit": t.lead_unit.code,
        "helpers": [u.code for u in t.helpers.all()],
        "opened_on": _date(t.opened_on),
        "deadline": _date(t.deadline),
        "priority": t.priority,
        "status": t.status,
        "status_label": t.get_status_display(),
        "percent_done": t.percent_done,
        "closed_at": _date(t.closed_at),
    }


@router.get("/tasks", summary="督办事项")
def tasks(
    request: HttpRequest,
    unit: str = Query("", description="牵头单位编码：该单位及其下级牵头的事项"),
    status: str = Query("", description="状态：opened、in_progress、reported、verifying、closed"),
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> dict:
    rows = (
        visible_tasks(request.user)
        .select_related("lead_unit")
        .prefetch_related("helpers")
        .order_by("deadline", "pk")
    )
    if unit:
        rows = rows.filter(lead_unit__path__startswith=unit_in_scope(request, unit).path)
    if status:
        rows = rows.filter(status=status)
    return page_of(rows, page, page_size, _task)


@router.get("/requests", summary="企业诉求（万人助万企）")
def requests(
    request: HttpRequest,
    county: str = Query("", description="企业所在县区编码"),
    status: str = Query("", description="诉求状态"),
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> dict:
    personal = can(request.user, Cap.DISPATCH)
    rows = visible_requests(request.user).order_by("-received_at", "pk")
    if county:
        rows = rows.filter(enterprise__county__path__startswith=unit_in_scope(request, county).path)
    if status:
        rows = rows.filter(status=status)

    def row(r: ServiceRequest) -> dict:
        item = {
            "receipt_code": r.receipt_code,
            "enterprise": r.enterprise.name,
            "credit_code": r.enterprise.credit_code,
            "county": r.enterprise.county.code,
            "category": r.category,
            "description": r.description,
            "status": r.status,
            "status_label": r.get_status_display(),
            "received_on": _date(r.received_on),
            "department": r.department.code if r.department_id else None,
            "resolved_on": _date(r.resolved_on),
            "satisfaction": r.satisfaction or None,
            "task": r.task_id,
        }
        if personal:
            item |= {
                "contact_name": r.contact_name,
                "contact_phone": r.contact_phone,
                "submitted_from": r.submitted_from,
            }
        return item

    return page_of(rows, page, page_size, row)
