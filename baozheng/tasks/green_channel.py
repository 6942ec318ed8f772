"""The green channel (绿色通道) for enterprise requests, on top of tracked tasks.

received (受理) → assigned (交办: a tracked task for the department, deadline by the time
limits) → handled (办理: the department reported, i.e. the task is 已反馈) → resolved (解决:
the dispatch office verified and closed the task) → followed up (回访, with satisfaction).
An unsatisfied follow-up reopens the request with a new task; the count of reopenings is a
figure of its own. Time limits (settings.TASKS_REQUEST_WORKDAYS, working days from
receipt): route 1, first feedback 3, general issues 7, complex issues 30.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Min, Q
from django.dispatch import receiver
from django.utils import timezone

from baozheng.org import audit_diff
from baozheng.org.models import Unit
from baozheng.org.permissions import can
from baozheng.org.roles import Cap
from baozheng.tasks.models import (
    AWAITING_VERIFICATION,
    Complexity,
    Enterprise,
    ProgressKind,
    RequestStatus,
    Satisfaction,
    ServiceRequest,
    SourceKind,
    Status,
    Task,
    TaskProgress,
)
from baozheng.tasks.services import LifecycleError, open_task, task_changed, today
from baozheng.workcal.calendar import add_workdays

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone


def limit(name: str) -> int:
    return settings.TASKS_REQUEST_WORKDAYS[name]


def new_receipt_code() -> str:
    while True:
        code = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(10))
        if not ServiceRequest.objects.filter(receipt_code=code).exists():
            return code


def receive(
    enterprise: Enterprise,
    *,
    category: str,
    description: str,
    channel: str,
    complexity: str = Complexity.GENERAL,
    contact_name: str = "",
    contact_phone: str = "",
    received_on: date | None = None,
    submitted_from: str | None = None,
    is_demo: bool = False,
) -> ServiceRequest:
    return ServiceRequest.objects.create(
        enterprise=enterprise,
        receipt_code=new_receipt_code(),
        category=category,
        complexity=complexity,
        description=description.strip(),
        channel=channel,
        contact_name=contact_name,
        contact_phone=contact_phone,
        received_on=received_on or today(),
        submitted_from=submitted_from,
        is_demo=is_demo,
    )


def deadlines(req: ServiceRequest) -> dict[str, date]:
    """The day each time limit ends for this request."""
    solve = limit("complex" if req.complexity == Complexity.COMPLEX else "general")
    return {
        "route": add_workdays(req.received_on, limit("route")),
        "first_feedback": add_workdays(req.received_on, limit("first_feedback")),
        "solve": add_workdays(req.received_on, solve),
    }


def _check_dispatch(user: Any, req: ServiceRequest) -> None:
    if not can(user, Cap.DISPATCH, req.enterprise.county):
        raise PermissionDenied("只有调度办可以交办和回访企业诉求")


def _open_backing_task(req: ServiceRequest, user: Any, start: date) -> Task:
    solve = limit("complex" if req.complexity == Complexity.COMPLEX else "general")
    return open_task(
        source_kind=SourceKind.ENTERPRISE,
        source_id=req.pk,
        source_label=f"{req.enterprise.name}·{req.get_category_display()}（回执 {req.receipt_code}）",
        title=f"办理企业诉求：{req.description[:80]}",
        detail=req.description,
        lead_unit=req.department,
        helpers=[req.enterprise.county],
        deadline=add_workdays(start, solve),
        opened_on=start,
        created_by=user,
        is_demo=req.is_demo,
    )


@transaction.atomic
def assign(
    req: ServiceRequest,
    department: Unit,
    user: Any,
    complexity: str | None = None,
    on: date | None = None,
) -> ServiceRequest:
    _check_dispatch(user, req)
    if req.status != RequestStatus.RECEIVED:
        raise LifecycleError(f"诉求当前为“{req.get_status_display()}”，只有“已受理”的诉求可以交办")
    req.department = department
    req.complexity = complexity or req.complexity
    req.assigned_on = on or today()
    req.status = RequestStatus.ASSIGNED
    req.save()
    read = audit_diff.as_read(req)  # the row as just written, locked by that write
    req.task = _open_backing_task(req, user, req.received_on)
    with audit_diff.compared_with(read):
        req.save(update_fields=["task"])
    return req


@transaction.atomic
def follow_up(
    req: ServiceRequest, user: Any, satisfaction: str, note: str = "", on: date | None = None
) -> ServiceRequest:
    _check_dispatch(user, req)
    return _record_rating(req, user, satisfaction, note, on)


@transaction.atomic
def rate_by_enterprise(
    req: ServiceRequest, satisfaction: str, comment: str = "", on: date | None = None
) -> ServiceRequest:
    """The enterprise rates the handling of its own resolved request from the public status
    page (it proved who it is with the receipt code and its credit code). "Not satisfied"
    reopens the request exactly as the dispatch office's follow-up call does."""
    req = ServiceRequest.objects.select_for_update().get(pk=req.pk)
    note = f"企业在线评价：{comment.strip()}" if comment.strip() else "企业在线评价"
    return _record_rating(req, None, satisfaction, note, on)


def _record_rating(
    req: ServiceRequest, user: Any, satisfaction: str, note: str, on: date | None
) -> ServiceRequest:
    if req.status != RequestStatus.RESOLVED:
        raise LifecycleError("只有“已解决”的诉求可以回访")
    if satisfaction not in Satisfaction.values:
        raise LifecycleError("请选择满意度：满意、基本满意或不满意")
    on = on or today()
    req.satisfaction = satisfaction
    req.follow_up_note = note.strip()
    req.followed_up_on = on
    if satisfaction == Satisfaction.UNSATISFIED:
        req.reopen_count += 1
        req.status = RequestStatus.ASSIGNED
        req.handled_on = req.resolved_on = None
        req.save()
        req.task = _open_backing_task(req, user, on)
    else:
        req.status = RequestStatus.FOLLOWED_UP
    req.save()
    return req


def first_feedback_dates(request_ids: Iterable[int]) -> dict[int, date]:
    """The day the department first answered each request: its first progress note or its
    report (反馈办结) on any of the request's tasks, whichever came first."""
    answers = TaskProgress.objects.filter(
        Q(kind=ProgressKind.NOTE) | Q(kind=ProgressKind.TRANSITION, to_status=Status.REPORTED),
        task__source_kind=SourceKind.ENTERPRISE,
        task__source_id__in=list(request_ids),
    )
    firsts = answers.values("task__source_id").annotate(first=Min("created_at"))
    return {row["task__source_id"]: timezone.localdate(row["first"]) for row in firsts}


def first_feedback_on(req: ServiceRequest) -> date | None:
    return first_feedback_dates([req.pk]).get(req.pk)


def first_feedback_in_time(req: ServiceRequest, answered_on: date | None, on: date) -> bool | None:
    """Was the first feedback within its limit (3 working days from receipt by default)?
    A request still unanswered counts as late once the limit has passed, and not at all
    before (None)."""
    due = deadlines(req)["first_feedback"]
    if answered_on is not None:
        return answered_on <= due
    return False if on > due else None


@receiver(task_changed)
def follow_task(sender, task: Task, from_status: str, to_status: str, user: Any, **kwargs) -> None:
    """Keep the request's status in step with its backing task."""
    if task.source_kind != SourceKind.ENTERPRISE:
        return
    returned = to_status == Status.IN_PROGRESS and from_status in AWAITING_VERIFICATION
    if not (to_status in (Status.REPORTED, Status.CLOSED) or returned):
        return  # a step the request does not mirror: no need to read it
    # Its enterprise and department with it: the audit entry of the save below names the
    # request by its enterprise and records the department's unit, two queries otherwise.
    # Locked (after its task, as every step takes them), so that the save's audit entry
    # compares with the request as read here instead of reading it again.
    req = (
        ServiceRequest.objects.select_for_update(of=("self",))
        .select_related("enterprise", "department")
        .filter(task=task)
        .first()
    )
    if req is None:
        return
    read = audit_diff.as_read(req)
    if to_status == Status.REPORTED:
        req.status, req.handled_on = RequestStatus.HANDLED, task.reported_on
    elif returned:
        req.status, req.handled_on = RequestStatus.ASSIGNED, None
    else:
        req.status, req.resolved_on = RequestStatus.RESOLVED, today()
        if task.reported_on and task.reported_on <= task.deadline:
            req.on_time_count += 1
        else:
            req.late_count += 1
    with audit_diff.compared_with(read):
        req.save()
