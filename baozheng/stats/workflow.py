"""The life of an observation: draft → submitted → approved → locked (docs/rules.md §3).

A county clerk saves a draft and submits it; staff of the indicator's department (or the
dispatch office, or an administrator) approve it or return it with a reason; a whole
period is locked once published; approved or locked figures change only through
`revise`, with a reason. Every step writes an `ObservationRevision`; the figures the
bulletin reads (`Observation.value`/`growth`) change only on approval or revision, so a
draft or a submitted figure never reaches a computation.

Each function checks role and scope through `baozheng.org.permissions` and raises
`WorkflowError` (a Chinese message for the user) on a step the state does not allow.

Concurrency (two approvers on one figure): every step re-reads the observation under a
row lock and decides on what it finds there, never on the copy the page loaded; a step
given the revision id its page showed (`seen_revision`) refuses with `ConflictError`
when the figure changed since, and changes nothing.

Periods under the office's control (`baozheng.reporting.periods`) accept drafts and
submissions only while open; late figures for a closed or released period arrive
through a correction request that an approver accepts (`accept_late_figures`).
Submission applies the validation rules (`baozheng.reporting.rules`): an error refuses
it, a warning needs a written explanation, kept in the revision for the approver.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from baozheng.lib.bounds import refuse_overlong
from baozheng.org.models import Unit, User
from baozheng.org.permissions import can, can_for, for_department, scope_q
from baozheng.org.roles import Cap
from baozheng.stats.models import (
    FINAL_STATUSES,
    Indicator,
    Observation,
    ObservationRevision,
    Status,
)


class WorkflowError(Exception):
    """A step that the observation's state does not allow; the message is for the user."""


class ConflictError(WorkflowError):
    """The figure changed after the page was loaded; nothing was changed."""


CONFLICT_MESSAGE = "该数据在您打开页面后已被他人处理或修改，本次操作未做任何更改，请刷新页面后重试"


def latest_revision_id(obs: Observation) -> int | None:
    return obs.revisions.order_by("-id").values_list("id", flat=True).first()


def _locked(obs: Observation, seen_revision: int | None) -> Observation:
    """The observation as stored now, row-locked until the transaction ends; a conflict
    when the caller saw an older revision than the newest one."""
    fresh = (
        Observation.objects.select_for_update().select_related("indicator", "unit").get(pk=obs.pk)
    )
    if seen_revision is not None and latest_revision_id(fresh) != seen_revision:
        raise ConflictError(CONFLICT_MESSAGE)
    return fresh


def _step_of(user: User, obs: Observation) -> tuple[list, object]:
    """The form's approval chain and the figure's current step; refuses a user who may
    not act at that step (multi-level approval, `baozheng.reporting.approval`)."""
    from baozheng.reporting.approval import chain, current_step, may_act

    steps = chain(obs)
    step = current_step(obs, steps)
    if not may_act(user, obs, step):
        raise WorkflowError(
            f"该数据当前处于第{step.order}步“{step.name}”，应由{step.get_role_display()}审核"
        )
    return steps, step


def _refuse_closed_period(year: int, month: int) -> None:
    from baozheng.reporting.periods import entry_refusal

    refusal = entry_refusal(year, month)
    if refusal:
        raise WorkflowError(refusal)


@dataclass(frozen=True)
class Figures:
    value: Decimal | None
    growth: Decimal | None


def can_enter(user: User, indicator: Indicator, unit: Unit) -> bool:
    return can(user, Cap.ENTER, unit)


def can_approve(user: User, indicator: Indicator, unit: Unit) -> bool:
    """Approvers: the indicator's department, the dispatch office, administrators."""
    return can_for(user, Cap.APPROVE, unit, indicator.department)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("您没有权限处理该数据")


def _revision(
    obs: Observation,
    user: User | None,
    status: str,
    figures: Figures,
    reason: str = "",
    source: str = "",
) -> ObservationRevision:
    return ObservationRevision.objects.create(
        observation=obs,
        value=figures.value,
        growth=figures.growth,
        status=status,
        source=source or obs.source,
        reason=reason,
        created_at=timezone.now(),
        created_by=user,
    )


def _check_figures(indicator: Indicator, figures: Figures) -> None:
    if indicator.growth_only and figures.value is not None:
        raise WorkflowError(f"“{indicator.name}”为增速类指标，只填同比增长，不填累计值")


def pending_figures(obs: Observation) -> Figures:
    return Figures(obs.pending_value, obs.pending_growth)


def approved_figures(obs: Observation) -> Figures:
    return Figures(obs.value, obs.growth)


@transaction.atomic
def save_draft(
    user: User,
    indicator: Indicator,
    unit: Unit,
    year: int,
    month: int,
    value: Decimal | None,
    growth: Decimal | None,
    source: str = "",
) -> Observation:
    """Enter or change figures; they wait as a draft until submitted and approved."""
    _require(can_enter(user, indicator, unit))
    _refuse_closed_period(year, month)
    figures = Figures(value, growth)
    _check_figures(indicator, figures)
    obs, created = Observation.objects.select_for_update().get_or_create(
        indicator=indicator, unit=unit, year=year, month=month
    )
    if obs.status == Status.LOCKED:
        raise WorkflowError("该期数据已锁定，如需更正请由审核人员说明理由后修订")
    if obs.status == Status.SUBMITTED:
        raise WorkflowError("数据已提交审核，审核通过或退回后才能修改")
    if obs.status == Status.APPROVED and figures == approved_figures(obs):
        return obs
    if (
        not created
        and obs.status in (Status.DRAFT, Status.RETURNED)
        and figures == pending_figures(obs)
    ):
        return obs
    obs.pending_value, obs.pending_growth = value, growth
    obs.status = Status.DRAFT
    obs.source = source or obs.source or "填报"
    obs.updated_by = user
    obs.save()
    _revision(obs, user, Status.DRAFT, figures)
    return obs


@transaction.atomic
def submit(user: User, obs: Observation, explanation: str = "") -> Observation:
    """Submit for approval after the validation rules: an error rule refuses, a warning
    rule needs `explanation`, which is kept in the submitted revision."""
    from baozheng.analysis.periods import Period
    from baozheng.reporting import rules

    _require(can_enter(user, obs.indicator, obs.unit))
    _refuse_closed_period(obs.year, obs.month)
    obs = _locked(obs, None)
    if obs.status not in (Status.DRAFT, Status.RETURNED):
        raise WorkflowError(f"只有草稿或已退回的数据可以提交，当前状态：{obs.get_status_display()}")
    if obs.pending_value is None and obs.pending_growth is None:
        raise WorkflowError("累计值和同比增长均为空，不能提交")
    found = rules.check(
        obs.indicator, obs.unit, Period(obs.year, obs.month), obs.pending_value, obs.pending_growth
    )
    label = f"{obs.unit.name}{obs.indicator.name}"
    errors = [v.text for v in found if v.is_error]
    if errors:
        raise WorkflowError(f"{label}未通过校验，不能提交：{'；'.join(errors)}")
    warnings = [v.text for v in found if not v.is_error]
    explanation = explanation.strip()
    if warnings and not explanation:
        raise WorkflowError(f"{label}触发校验警告，须填写书面说明后提交：{'；'.join(warnings)}")
    if warnings and (problem := rules.explanation_problem(explanation)):
        raise WorkflowError(f"{label}：{problem}")
    obs.status = Status.SUBMITTED
    obs.updated_by = user
    obs.save()
    reason = rules.explained([v for v in found if not v.is_error], explanation)
    _revision(obs, user, Status.SUBMITTED, pending_figures(obs), reason=reason)
    return obs


@transaction.atomic
def approve(user: User, obs: Observation, seen_revision: int | None = None) -> Observation:
    """The submitted figures become the ones every computation reads."""
    _require(can_approve(user, obs.indicator, obs.unit))
    obs = _locked(obs, seen_revision)
    if obs.status != Status.SUBMITTED:
        raise WorkflowError(f"只有已提交的数据可以审核通过，当前状态：{obs.get_status_display()}")
    steps, step = _step_of(user, obs)
    if step is not None and step != steps[-1]:
        from baozheng.reporting.approval import pass_step

        pass_step(user, obs, step)
        obs.updated_by = user
        obs.save(update_fields=["updated_by", "updated_at"])
        return obs
    obs.value, obs.growth = obs.pending_value, obs.pending_growth
    obs.pending_value = obs.pending_growth = None
    obs.has_approved = True
    obs.status = Status.APPROVED
    obs.note = ""
    obs.updated_by = user
    obs.save()
    _revision(obs, user, Status.APPROVED, approved_figures(obs))
    return obs


def check_reason(reason: str, label: str) -> None:
    """A reason longer than the note column is refused before anything is read or written
    (the review page checks once here before returning many figures with one reason)."""
    refuse_overlong(WorkflowError, Observation, note=(reason.strip(), label))


@transaction.atomic
def return_for_correction(
    user: User, obs: Observation, reason: str, seen_revision: int | None = None
) -> Observation:
    _require(can_approve(user, obs.indicator, obs.unit))
    if not reason.strip():
        raise WorkflowError("退回须说明理由")
    check_reason(reason, "退回理由")
    obs = _locked(obs, seen_revision)
    if obs.status != Status.SUBMITTED:
        raise WorkflowError(f"只有已提交的数据可以退回，当前状态：{obs.get_status_display()}")
    _step_of(user, obs)
    obs.status = Status.RETURNED
    obs.note = reason.strip()
    obs.updated_by = user
    obs.save()
    _revision(obs, user, Status.RETURNED, pending_figures(obs), reason=obs.note)
    return obs


@transaction.atomic
def revise(
    user: User,
    obs: Observation,
    value: Decimal | None,
    growth: Decimal | None,
    reason: str,
    seen_revision: int | None = None,
) -> Observation:
    """Correct approved or locked figures directly, with the reason kept in the history."""
    _require(can_approve(user, obs.indicator, obs.unit))
    obs = _locked(obs, seen_revision)
    if obs.status not in FINAL_STATUSES:
        raise WorkflowError("只有已审核或已锁定的数据需要修订；待审数据请直接审核或退回")
    if not reason.strip():
        raise WorkflowError("修订已审核或已锁定的数据须说明理由")
    check_reason(reason, "修订理由")
    figures = Figures(value, growth)
    _check_figures(obs.indicator, figures)
    if figures == approved_figures(obs):
        raise WorkflowError("修订后的数据与原数据相同")
    obs.value, obs.growth = value, growth
    obs.note = reason.strip()
    obs.updated_by = user
    obs.save()
    _revision(obs, user, obs.status, figures, reason=obs.note, source="修订")
    return obs


@transaction.atomic
def accept_late_figures(
    user: User,
    indicator: Indicator,
    unit: Unit,
    year: int,
    month: int,
    figures: Figures,
    reason: str,
) -> Observation:
    """An accepted correction request: the figures become approved whatever the period's
    state (revised when approved figures exist, else entered and approved at once)."""
    _require(can_approve(user, indicator, unit))
    _check_figures(indicator, figures)
    check_reason(reason, "更正理由")
    obs, _ = Observation.objects.select_for_update().get_or_create(
        indicator=indicator, unit=unit, year=year, month=month
    )
    if obs.status in FINAL_STATUSES:
        return revise(user, obs, figures.value, figures.growth, reason)
    obs.value, obs.growth = figures.value, figures.growth
    obs.pending_value = obs.pending_growth = None
    obs.has_approved = True
    obs.status = Status.APPROVED
    obs.note = reason.strip()
    obs.source = obs.source or "更正申请"
    obs.updated_by = user
    obs.save()
    _revision(obs, user, Status.APPROVED, figures, reason=obs.note, source="更正申请")
    return obs


@dataclass(frozen=True)
class LockResult:
    locked: int
    still_pending: int


@transaction.atomic
def lock_period(
    user: User,
    year: int,
    month: int,
    unit: Unit | None = None,
    indicators: list[Indicator] | None = None,
) -> LockResult:
    """Lock the approved figures of one period, under `unit` (default: the user's whole
    scope), for the indicators this user may approve. Pending figures stay open and are
    counted, so that whoever locks sees what is still missing."""
    if not can(user, Cap.APPROVE, unit):
        raise PermissionDenied("您没有权限锁定数据")
    queryset = Observation.objects.filter(year=year, month=month).filter(scope_q(user, "unit"))
    if unit is not None:
        queryset = queryset.filter(unit__path__startswith=unit.path)
    if indicators is not None:
        queryset = queryset.filter(indicator__in=indicators)
    queryset = for_department(queryset, user)
    still_pending = queryset.exclude(status__in=FINAL_STATUSES).count()
    to_lock = list(
        queryset.filter(status=Status.APPROVED).values_list("pk", "value", "growth", "source")
    )
    now = timezone.now()
    Observation.objects.filter(pk__in=[row[0] for row in to_lock]).update(
        status=Status.LOCKED, updated_at=now, updated_by=user
    )
    ObservationRevision.objects.bulk_create(
        ObservationRevision(
            observation_id=pk,
            value=value,
            growth=growth,
            status=Status.LOCKED,
            source=source,
            reason=f"锁定 {year}年1-{month}月",
            created_at=now,
            created_by=user,
        )
        for pk, value, growth, source in to_lock
    )
    return LockResult(len(to_lock), still_pending)


def visible_observations(user: User):
    """Observations of units in the user's scope (the data-entry pages start here)."""
    if not can(user, Cap.VIEW):
        return Observation.objects.none()
    return Observation.objects.filter(scope_q(user, "unit"))
