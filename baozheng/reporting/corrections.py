"""Correction requests (更正申请): late or corrected figures for a period the office has
closed or released. A clerk asks, with a reason; the request then follows the approval
chain of the form that obliges the figure (`approval.form_chain`): each step passes it
on or rejects it with a reason, and only the last step applies it (the figures become
approved, audited as a revision). Applying one for a released period stores a new
version of every release of that period that the figures change, with its differences
listed. Each decision is a `CorrectionDecision`; nobody decides on their own request.
One request per figure waits at a time (a database constraint): a clerk who asked for the
wrong figures withdraws the request and asks again, rather than leaving two for the
approvers to apply in whichever order they reach them."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from baozheng.analysis.periods import Period
from baozheng.lib.bounds import refuse_overlong
from baozheng.org.models import Unit, User
from baozheng.org.permissions import can
from baozheng.org.roles import Cap
from baozheng.reporting.approval import form_chain, may_act_on
from baozheng.reporting.models import (
    CorrectionDecision,
    CorrectionRequest,
    CorrectionState,
    FormStep,
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
    refuse_overlong(workflow.WorkflowError, CorrectionRequest, reason=(reason.strip(), "更正理由"))
    if value is None and growth is None:
        raise workflow.WorkflowError("累计值和同比增长均为空，没有要更正的数据")
    state = (
        ReportingPeriod.objects.filter(year=period.year, month=period.month)
        .values_list("state", flat=True)
        .first()
    )
    if state not in (PeriodState.CLOSED, PeriodState.RELEASED):
        raise workflow.WorkflowError(f"{period.label}未关闭，请直接在数据填报中填写")
    figure = {"indicator": indicator, "unit": unit, "year": period.year, "month": period.month}
    _refuse_a_second_pending(figure, period)
    try:
        with transaction.atomic():
            return CorrectionRequest.objects.create(
                **figure, value=value, growth=growth, reason=reason.strip(), requested_by=user
            )
    except IntegrityError:  # another request for the figure was stored meanwhile
        _refuse_a_second_pending(figure, period)
        raise


def _refuse_a_second_pending(figure: dict, period: Period) -> None:
    pending = (
        CorrectionRequest.objects.filter(**figure, state=CorrectionState.PENDING)
        .select_related("requested_by")
        .first()
    )
    if pending is not None:
        raise workflow.WorkflowError(
            f"{figure['unit'].name}{figure['indicator'].name}{period.label}已有一条待审批的更正申请"
            f"（{pending.requested_by}，{timezone.localtime(pending.requested_at):%Y-%m-%d %H:%M}提交），"
            "请待其审批完成或由申请人撤回后再提交；本次未提交"
        )


@transaction.atomic
def withdraw(user: User, correction: CorrectionRequest) -> None:
    """The requester takes back a request no step has decided on finally; re-read under a
    row lock, so that an approver's decision made meanwhile stands and the requester is
    told."""
    correction = CorrectionRequest.objects.select_for_update().get(pk=correction.pk)
    if correction.requested_by_id != user.pk:
        raise PermissionDenied("只有申请人本人可以撤回更正申请")
    if correction.state != CorrectionState.PENDING:
        raise workflow.WorkflowError(
            f"该更正申请{correction.get_state_display()}，不能撤回，本次操作未做任何更改"
        )
    correction.state = CorrectionState.WITHDRAWN
    correction.decided_by, correction.decided_at = user, timezone.now()
    correction.decision_note = "申请人撤回"
    correction.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])


CONFLICT_MESSAGE = "该更正申请在您打开页面后已被他人处理，本次操作未做任何更改，请刷新页面后重试"


def chain_of(correction: CorrectionRequest) -> list[FormStep]:
    return form_chain(
        correction.indicator, correction.unit, Period(correction.year, correction.month)
    )


def current_step(correction: CorrectionRequest, steps: list[FormStep]) -> FormStep | None:
    """The step awaiting a decision; None for a form without a chain."""
    return steps[min(correction.stage, len(steps) - 1)] if steps else None


def may_decide(
    user: User, correction: CorrectionRequest, steps: list[FormStep] | None = None
) -> bool:
    """An approver of the indicator at the current step, never the requester."""
    if correction.requested_by_id == user.pk:
        return False
    steps = chain_of(correction) if steps is None else steps
    return may_act_on(user, correction.indicator, correction.unit, current_step(correction, steps))


@transaction.atomic
def decide(
    user: User,
    correction: CorrectionRequest,
    accept: bool,
    note: str = "",
    seen_stage: int | None = None,
) -> list[Release]:
    """Pass the current step (applied after the last one) or reject with a reason;
    returns the release versions an applied correction stored. The request is re-read
    under a row lock; a caller that saw another stage than the stored one (`seen_stage`,
    from its page) gets a conflict and nothing changes."""
    correction = (
        CorrectionRequest.objects.select_for_update()
        .select_related("indicator", "unit")
        .get(pk=correction.pk)
    )
    if seen_stage is not None and (
        correction.state != CorrectionState.PENDING or correction.stage != seen_stage
    ):
        raise workflow.ConflictError(CONFLICT_MESSAGE)
    if correction.state != CorrectionState.PENDING:
        raise workflow.WorkflowError(
            f"该更正申请{correction.get_state_display()}，本次操作未做任何更改"
        )
    if correction.requested_by_id == user.pk:
        raise PermissionDenied("不能审批本人提交的更正申请，须由审核人员审批")
    steps = chain_of(correction)
    step = current_step(correction, steps)
    if not may_decide(user, correction, steps):
        raise PermissionDenied("您没有权限审批该更正申请")
    if not accept and not note.strip():
        raise workflow.WorkflowError("驳回更正申请须说明理由")
    refuse_overlong(
        workflow.WorkflowError, CorrectionRequest, decision_note=(note.strip(), "审批意见")
    )
    last = step is None or step == steps[-1]
    action = CorrectionDecision.Action
    CorrectionDecision.objects.create(
        correction=correction,
        step=step,
        step_name=f"第{step.order}步“{step.name}”" if step else "审核",
        action=(action.APPLIED if last else action.PASSED) if accept else action.REJECTED,
        note=note.strip(),
        decided_by=user,
    )
    if accept and not last:
        correction.stage += 1
        correction.save(update_fields=["stage"])
        return []
    correction.decided_by, correction.decided_at = user, timezone.now()
    correction.decision_note = note.strip()
    correction.state = CorrectionState.ACCEPTED if accept else CorrectionState.REJECTED
    released: list[Release] = []
    if accept:
        correction.stage = len(steps)
        released = _apply(user, correction)
    correction.save()
    return released


def _apply(user: User, correction: CorrectionRequest) -> list[Release]:
    """The corrected figures become approved; every release of the period that they
    change gets a new version listing its differences."""
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
    released = []
    for parent in parents:
        try:
            released.append(
                release_period(user, period, parent, f"更正：{correction.reason}", correction=True)
            )
        except PeriodError:
            continue  # this parent's bulletin does not show the corrected figure
    return released
