"""Correction requests (更正申请): late or corrected figures for a period the office has
closed or released. A clerk asks, with a reason; an approver of the indicator accepts
(the figures become approved, audited as a revision) or rejects with a note. Accepting
one for a released period stores a new version of every release of that period that the
figures change, with its differences listed."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from baozheng.analysis.periods import Period
from baozheng.org.models import Unit, User
from baozheng.org.permissions import can
from baozheng.org.roles import Cap
from baozheng.reporting.models import (
    CorrectionRequest,
    CorrectionState,
    PeriodError,
    PeriodState,
    Release,
    ReportingPeriod,
)
from baozheng.reporting.releases import release_period
from baozheng.stats import workflow
from baozheng.stats.models import Indicator


def request_correction(
    user: User,
    indicator: Indicator,
    unit: Unit,
    period: Period,
    value: Decimal | None,
    growth: Decimal | None,
    reason: str,
) -> CorrectionRequest:
    if not can(user, Cap.ENTER, unit):
        raise PermissionDenied("您没有权限为该单位提交更正申请")
    if not reason.strip():
        raise workflow.WorkflowError("更正申请须说明理由")
    if value is None and growth is None:
        raise workflow.WorkflowError("累计值和同比增长均为空，没有要更正的数据")
    state = (
        ReportingPeriod.objects.filter(year=period.year, month=period.month)
        .values_list("state", flat=True)
        .first()
    )
    if state not in (PeriodState.CLOSED, PeriodState.RELEASED):
        raise workflow.WorkflowError(f"{period.label}未关闭，请直接在数据填报中填写")
    return CorrectionRequest.objects.create(
        indicator=indicator,
        unit=unit,
        year=period.year,
        month=period.month,
        value=value,
        growth=growth,
        reason=reason.strip()[:300],
        requested_by=user,
    )


def may_decide(user: User, correction: CorrectionRequest) -> bool:
    return workflow.can_approve(user, correction.indicator, correction.unit)


@transaction.atomic
def decide(
    user: User, correction: CorrectionRequest, accept: bool, note: str = ""
) -> list[Release]:
    """Accept or reject; returns the release versions an accepted correction stored."""
    if not may_decide(user, correction):
        raise PermissionDenied("您没有权限审批该更正申请")
    correction = CorrectionRequest.objects.select_for_update().get(pk=correction.pk)
    if correction.state != CorrectionState.PENDING:
        raise workflow.WorkflowError(
            f"该更正申请已{correction.get_state_display()}，本次操作未做任何更改"
        )
    if not accept and not note.strip():
        raise workflow.WorkflowError("驳回更正申请须说明理由")
    correction.decided_by, correction.decided_at = user, timezone.now()
    correction.decision_note = note.strip()[:300]
    correction.state = CorrectionState.ACCEPTED if accept else CorrectionState.REJECTED
    released: list[Release] = []
    if accept:
        correction.observation = workflow.accept_late_figures(
            user,
            correction.indicator,
            correction.unit,
            correction.year,
            correction.month,
            workflow.Figures(correction.value, correction.growth),
            f"更正申请：{correction.reason}",
        )
        period = Period(correction.year, correction.month)
        parents = Unit.objects.filter(
            releases__year=period.year, releases__month=period.month
        ).distinct()
        for parent in parents:
            try:
                released.append(
                    release_period(
                        user, period, parent, f"更正：{correction.reason}", correction=True
                    )
                )
            except PeriodError:
                continue  # this parent's bulletin does not show the corrected figure
    correction.save()
    return released
