"""Editing a form's approval chain (审核链): add, remove and reorder steps.

The rule (docs/reporting.md): a chain cannot change while any figure or correction
request of the form is part-way along it (has passed some steps, not yet the last),
because its progress is counted in steps of the chain it started on; the office
finishes or returns those first. Figures and requests that have passed no step yet
simply follow the new chain. Chain edits on one form are serialised by a row lock.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from baozheng.reporting.approval import submission
from baozheng.reporting.models import (
    CorrectionDecision,
    CorrectionRequest,
    CorrectionState,
    FormStep,
    ReportForm,
    StepApproval,
)
from baozheng.stats.models import Status


class ChainError(Exception):
    """A chain change the rule refuses; the message (Chinese) says what to do."""


def in_flight(form: ReportForm) -> tuple[int, int]:
    """(figures, correction requests) of this form that are part-way along its chain."""
    passed = StepApproval.objects.filter(
        step__form=form, observation__status=Status.SUBMITTED
    ).select_related("observation")
    figures = {
        sa.observation_id
        for sa in passed
        if (current := submission(sa.observation)) is not None and current.pk == sa.submission_id
    }
    corrections = (
        CorrectionRequest.objects.filter(
            state=CorrectionState.PENDING,
            stage__gt=0,
            decisions__step__form=form,
            decisions__action=CorrectionDecision.Action.PASSED,
        )
        .distinct()
        .count()
    )
    return len(figures), corrections


def _refuse_in_flight(form: ReportForm) -> None:
    figures, corrections = in_flight(form)
    if not figures and not corrections:
        return
    what = "、".join(
        text
        for count, text in (
            (figures, f"{figures} 项数据"),
            (corrections, f"{corrections} 项更正申请"),
        )
        if count
    )
    raise ChainError(
        f"报表“{form.name}”有{what}正处于审核链中途（已通过部分步骤），修改审核链会使其无法继续。"
        "请先在审核页面和更正申请页面将其审核完毕或退回、驳回，再修改审核链。"
    )


def _locked(form: ReportForm) -> ReportForm:
    locked = ReportForm.objects.select_for_update().get(pk=form.pk)
    _refuse_in_flight(locked)
    return locked


def _renumber(steps: list[FormStep]) -> None:
    """Orders 1…n in the given sequence (through a free range: the order is unique)."""
    for offset, numbers in ((1000, range(len(steps))), (1, range(len(steps)))):
        for index in numbers:
            steps[index].order = offset + index
            steps[index].save(update_fields=["order"])


@transaction.atomic
def add_step(form: ReportForm, name: str, role: str, level: str = "") -> FormStep:
    form = _locked(form)
    top = form.steps.aggregate(top=Max("order"))["top"] or 0
    return FormStep.objects.create(form=form, order=top + 1, name=name, role=role, level=level)


@transaction.atomic
def remove_step(step: FormStep) -> None:
    form = _locked(step.form)
    step.delete()
    _renumber(list(form.steps.order_by("order")))


@transaction.atomic
def move_step(step: FormStep, offset: int) -> None:
    """Move one place earlier (-1) or later (+1); at either end nothing changes."""
    form = _locked(step.form)
    steps = list(form.steps.order_by("order"))
    index = next(i for i, s in enumerate(steps) if s.pk == step.pk)
    target = index + offset
    if not 0 <= target < len(steps):
        return
    steps[index], steps[target] = steps[target], steps[index]
    _renumber(steps)
