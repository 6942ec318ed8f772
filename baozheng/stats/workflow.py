"""The life of an observation: draft → submitted → approved → locked (DOMAIN §3).

A county clerk saves a draft and submits it; staff of the indicator's department (or the
dispatch office, or an administrator) approve it or return it with a reason; a whole
period is locked once published; approved or locked figures change only through
`revise`, with a reason. Every step writes an `ObservationRevision`; the figures the
bulletin reads (`Observation.value`/`growth`) change only on approval or revision, so a
draft or a submitted figure never reaches a computation.

Each function checks role and scope through `baozheng.org.permissions` and raises
`WorkflowError` (a Chinese message for the user) on a step the state does not allow.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

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
def submit(user: User, obs: Observation) -> Observation:
    _require(can_enter(user, obs.indicator, obs.unit))
    if obs.status not in (Status.DRAFT, Status.RETURNED):
        raise WorkflowError(f"只有草稿或已退回的数据可以提交，当前状态：{obs.get_status_display()}")
    if obs.pending_value is None and obs.pending_growth is None:
        raise WorkflowError("累计值和同比增长均为空，不能提交")
    obs.status = Status.SUBMITTED
    obs.updated_by = user
    obs.save()
    _revision(obs, user, Status.SUBMITTED, pending_figures(obs))
    return obs


@transaction.atomic
def approve(user: User, obs: Observation) -> Observation:
    """The submitted figures become the ones every computation reads."""
    _require(can_approve(user, obs.indicator, obs.unit))
    if obs.status != Status.SUBMITTED:
        raise WorkflowError(f"只有已提交的数据可以审核通过，当前状态：{obs.get_status_display()}")
    obs.value, obs.growth = obs.pending_value, obs.pending_growth
    obs.pending_value = obs.pending_growth = None
    obs.has_approved = True
    obs.status = Status.APPROVED
    obs.note = ""
    obs.updated_by = user
    obs.save()
    _revision(obs, user, Status.APPROVED, approved_figures(obs))
    return obs


@transaction.atomic
def return_for_correction(user: User, obs: Observation, reason: str) -> Observation:
    _require(can_approve(user, obs.indicator, obs.unit))
    if not reason.strip():
        raise WorkflowError("退回须说明理由")
    if obs.status != Status.SUBMITTED:
        raise WorkflowError(f"只有已提交的数据可以退回，当前状态：{obs.get_status_display()}")
    obs.status = Status.RETURNED
    obs.note = reason.strip()[:300]
    obs.updated_by = user
    obs.save()
    _revision(obs, user, Status.RETURNED, pending_figures(obs), reason=obs.note)
    return obs


@transaction.atomic
def revise(
    user: User, obs: Observation, value: Decimal | None, growth: Decimal | None, reason: str
) -> Observation:
    """Correct approved or locked figures directly, with the reason kept in the history."""
    _require(can_approve(user, obs.indicator, obs.unit))
    if obs.status not in FINAL_STATUSES:
        raise WorkflowError("只有已审核或已锁定的数据需要修订；待审数据请直接审核或退回")
    if not reason.strip():
        raise WorkflowError("修订已审核或已锁定的数据须说明理由")
    figures = Figures(value, growth)
    _check_figures(obs.indicator, figures)
    if figures == approved_figures(obs):
        raise WorkflowError("修订后的数据与原数据相同")
    obs.value, obs.growth = value, growth
    obs.note = reason.strip()[:300]
    obs.updated_by = user
    obs.save()
    _revision(obs, user, obs.status, figures, reason=obs.note, source="修订")
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
