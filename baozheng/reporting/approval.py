"""Multi-level approval (逐级审核) along a form's chain of steps.

A submitted figure passes each step in order; every step but the last records a
`StepApproval` and a revision (so the history shows who passed which step, and the
page's revision id changes for concurrent approvers); the last step makes the figure
approved — only then does it count for the engine (docs/rules.md §3.2 "Which data"). Any step
may return the figure with a reason, which restarts the chain on the next submission.
Administrators may act at any step.
"""

from __future__ import annotations

from django.db.models import Count, Max, QuerySet

from baozheng.analysis.periods import Period
from baozheng.org.models import Unit, User
from baozheng.org.permissions import can_for, scope_paths
from baozheng.org.roles import Cap, Role
from baozheng.reporting.models import FormStep, StepApproval, StepLevel
from baozheng.reporting.obligations import obligations
from baozheng.stats.models import Indicator, Observation, ObservationRevision, Status

STEP_SOURCE = "逐级审核"


def chain(obs: Observation, owed: dict | None = None) -> list[FormStep]:
    """The steps of the form that obliges this figure; [] when none (single approval).
    `owed` may hold the obligations of the figure's unit and period, already read."""
    return form_chain(obs.indicator, obs.unit, Period(obs.year, obs.month), owed)


def form_chain(
    indicator: Indicator, unit: Unit, period: Period, owed: dict | None = None
) -> list[FormStep]:
    """The chain of the form by which `unit` owes `indicator` in `period` (figures and
    correction requests follow the same one)."""
    if owed is None:
        owed = obligations([unit], period, [indicator])
    duty = owed.get((indicator.pk, unit.pk))
    if duty is None:
        return []
    return list(duty.form.steps.order_by("order"))


def submitted_revisions() -> QuerySet[ObservationRevision]:
    """The revisions in which clerks submitted figures, not the steps' own records."""
    return ObservationRevision.objects.filter(status=Status.SUBMITTED).exclude(source=STEP_SOURCE)


def submission(obs: Observation) -> ObservationRevision | None:
    """The revision in which the clerk submitted the figures now under approval."""
    return submitted_revisions().filter(observation=obs).order_by("-id").first()


def newest_revisions(
    revisions: QuerySet[ObservationRevision], observations: list[Observation]
) -> dict[int, ObservationRevision]:
    """Each observation's newest revision among `revisions`, in two queries."""
    newest = (
        revisions.filter(observation__in=observations)
        .values("observation_id")
        .annotate(last=Max("id"))
        .values_list("last", flat=True)
    )
    return {r.observation_id: r for r in ObservationRevision.objects.filter(pk__in=list(newest))}


def current_step(obs: Observation, steps: list[FormStep]) -> FormStep | None:
    if not steps:
        return None
    submitted = submission(obs)
    done = StepApproval.objects.filter(observation=obs, submission=submitted).count()
    return _step_after(steps, done)


def _step_after(steps: list[FormStep], done: int) -> FormStep:
    """The step after `done` passed ones (the last step stays current once reached)."""
    return steps[min(done, len(steps) - 1)]


def may_act(user: User, obs: Observation, step: FormStep | None) -> bool:
    """Whether `user` may approve or return this figure at `step`."""
    return may_act_on(user, obs.indicator, obs.unit, step)


def may_act_on(user: User, indicator: Indicator, unit: Unit, step: FormStep | None) -> bool:
    """Whether `user` may act at `step` on a figure of `indicator` and `unit`: an
    approver of the indicator within scope, of the step's role (administrators: any)."""
    if not can_for(user, Cap.APPROVE, unit, indicator.department):
        return False
    if step is None or user.role == Role.ADMIN:
        return True
    return user.role == step.role and at_level(user, unit, step.level)


def at_level(user: User, unit: Unit, level: str) -> bool:
    """Whether one of the user's scope roots holding `unit` sits at the step's level: the
    unit itself (本级) or strictly above it (上级); any root when the level is not set."""
    if not level:
        return True
    roots = [path for path in scope_paths(user) if unit.path.startswith(path)]
    if level == StepLevel.SAME:
        return unit.path in roots
    return any(path != unit.path for path in roots)


def pass_step(user: User, obs: Observation, step: FormStep) -> ObservationRevision:
    """Record one passed step that is not the last; returns the audit revision."""
    from django.utils import timezone

    StepApproval.objects.create(
        observation=obs, submission=submission(obs), step=step, approved_by=user
    )
    return ObservationRevision.objects.create(
        observation=obs,
        value=obs.pending_value,
        growth=obs.pending_growth,
        status=Status.SUBMITTED,
        source=STEP_SOURCE,
        reason=f"第{step.order}步“{step.name}”审核通过",
        created_at=timezone.now(),
        created_by=user,
    )


def actionable(user: User, observations: list[Observation]) -> list[Observation]:
    """The submitted figures whose current step this user may act on: `chain` and
    `current_step` for each, read together for all of them (the review page and the
    home page's hint ask about up to 500 figures): each period's obligations once, each
    form's steps once, the submissions and the steps they passed in one query each."""
    units: dict[Period, set[Unit]] = {}
    for obs in observations:
        units.setdefault(Period(obs.year, obs.month), set()).add(obs.unit)
    owed = {period: obligations(list(found), period) for period, found in units.items()}
    submitted = newest_revisions(submitted_revisions(), observations)
    passed = {
        (row["observation_id"], row["submission_id"]): row["done"]
        for row in StepApproval.objects.filter(observation__in=observations)
        .values("observation_id", "submission_id")
        .annotate(done=Count("id"))
    }
    steps: dict[int, list[FormStep]] = {}
    found = []
    for obs in observations:
        duty = owed[Period(obs.year, obs.month)].get((obs.indicator_id, obs.unit_id))
        step = None
        if duty is not None:
            if duty.form.pk not in steps:
                steps[duty.form.pk] = list(duty.form.steps.order_by("order"))
            submission_id = submitted[obs.pk].pk if obs.pk in submitted else None
            done = passed.get((obs.pk, submission_id), 0)
            step = _step_after(steps[duty.form.pk], done) if steps[duty.form.pk] else None
        if may_act(user, obs, step):
            found.append(obs)
    return found
