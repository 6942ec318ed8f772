"""Writing targets with their history, and reading the targets in force at a time.

Every change to a target — from the import, the target page or the demo — goes
through `save_target`/`remove_target`, `put_targets` for many keys at once, or (the
import, in bulk) `revision_of`, so that the earlier version stays as a `TargetRevision`
with who, when and why (年中调整).
`targets_as_of` answers "which targets were in force at time T", which is what a
bulletin released at T keeps using (docs/rules.md §3.10 "History").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from baozheng.lib import saved
from baozheng.lib.bounds import refuse_overlong
from baozheng.stats.models import Basis, ImportBatch, Indicator, Target, TargetRevision

# The fields a revision copies from its target.
COPIED = (
    "indicator_id",
    "unit_id",
    "year",
    "month",
    "basis",
    "floor",
    "stretch",
    "top",
    "responsible_unit_id",
    "leader",
)


def identity(t: Target | TargetRevision) -> tuple:
    """What identifies a target: (indicator, unit, year, month, value-or-rank)."""
    return (t.indicator_id, t.unit_id, t.year, t.month, t.basis == Basis.RANK)


def revision_of(
    target: Target,
    *,
    user,
    reason: str,
    at: datetime | None = None,
    batch: ImportBatch | None = None,
    removed: bool = False,
) -> TargetRevision:
    """An unsaved revision recording `target` as it now stands; a reason longer than the
    column is refused (ValueError in Chinese), never cut: the pages and imports check it
    first, this is the last word for every other caller."""
    refuse_overlong(ValueError, TargetRevision, reason=(reason, "理由"))
    return TargetRevision(
        target=None if removed else target,
        **{f: getattr(target, f) for f in COPIED},
        removed=removed,
        reason=reason,
        created_by=user if user is not None and user.is_authenticated else None,
        created_at=at or timezone.now(),
        batch=batch,
    )


def save_target(user, target: Target, reason: str, at: datetime | None = None) -> Target:
    """Save a new or changed target and its revision in one transaction; `at` dates the
    revision when the change was decided earlier than now (the demo's targets)."""
    with transaction.atomic():
        target.save()
        revision_of(target, user=user, reason=reason, at=at).save()
    return target


def remove_target(user, target: Target, reason: str) -> None:
    """Delete a target; its history stays, ending with a removal."""
    with transaction.atomic():
        revision_of(target, user=user, reason=reason, removed=True).save()
        target.delete()


def history(target: Target) -> list[TargetRevision]:
    """Every version of this target's identity, oldest first (removals included)."""
    same = TargetRevision.objects.filter(
        indicator_id=target.indicator_id,
        unit_id=target.unit_id,
        year=target.year,
        month=target.month,
    )
    same = same.filter(basis=Basis.RANK) if target.is_rank else same.exclude(basis=Basis.RANK)
    return list(same.select_related("created_by", "responsible_unit").order_by("created_at", "id"))


def adjusted(targets: Iterable[Target]) -> set[int]:
    """Which of these targets were changed after they were first set (年中调整)."""
    targets = list(targets)
    counts: dict[tuple, int] = {}
    units = {t.unit_id for t in targets}
    years = {t.year for t in targets}
    for revision in TargetRevision.objects.filter(unit_id__in=units, year__in=years).only(
        *COPIED, "removed"
    ):
        key = identity(revision)
        counts[key] = counts.get(key, 0) + 1
    return {t.pk for t in targets if counts.get(identity(t), 0) > 1}


def targets_as_of(
    year: int, indicators: Sequence[Indicator], units: Sequence, at: datetime
) -> list[TargetRevision]:
    """The targets in force at time `at`: per identity the newest revision written at or
    before `at`, unless it is a removal. Revisions stand in for targets (same fields)."""
    newest: dict[tuple, TargetRevision] = {}
    for revision in TargetRevision.objects.filter(
        year=year,
        indicator_id__in=[i.pk for i in indicators],
        unit_id__in=[u.pk for u in units],
        created_at__lte=at,
    ).order_by("created_at", "id"):
        newest[identity(revision)] = revision
    return [r for r in newest.values() if not r.removed]


def put_target(
    user, key: dict, values: dict, reason: str, at: datetime | None = None
) -> tuple[Target, bool]:
    """Create the target identified by `key` (indicator, unit, year, month and basis
    side) or change it to `values`; a revision (dated `at`, else now) is written only
    when something changed. Returns the target and whether it changed."""
    return put_targets(user, [(key, values, reason, at)])[0]


Change = tuple[dict, dict, str, datetime | None]


def put_targets(user, changes: Sequence[Change]) -> list[tuple[Target, bool]]:
    """`put_target` for each (key, values, reason, at) in turn, a later change of a key
    seeing the earlier: the stored targets of the keys read in one query and their
    revisions written in one insert (the demo's two hundred targets a load took two
    queries more each). Each target is still saved as `save()` saves it (audited, moving
    the data version), the new ones in one insert until a stored one is changed
    (`lib.saved`)."""
    keys = [(_key_identity(key), key) for key, _, _, _ in changes]
    stored = {
        identity(t): t
        for t in Target.objects.filter(
            indicator__in={i[0] for i, _ in keys},
            unit__in={i[1] for i, _ in keys},
            year__in={i[2] for i, _ in keys},
        ).order_by()
    }
    done, revisions, new = [], [], saved.InTurn(Target)
    with transaction.atomic():
        for (ident, key), (_, values, reason, at) in zip(keys, changes, strict=True):
            target = stored.get(ident)
            if target is None:
                target = Target(**{name: value for name, value in key.items() if name != "rank"})
            elif all(getattr(target, name) == value for name, value in values.items()):
                done.append((target, False))
                continue
            if target.pk is not None or new.holds(target):
                new.write()  # saved in their turn: the new targets before it first
            for name, value in values.items():
                setattr(target, name, value)
            if target.pk is None:
                new.hold(target)
            else:
                target.save()
            stored[identity(target)] = target
            revisions.append(revision_of(target, user=user, reason=reason, at=at))
            done.append((target, True))
        new.write()
        TargetRevision.objects.bulk_create(revisions)
    return done


def _key_identity(key: dict) -> tuple:
    """A key's `identity`: indicator, unit (instances or ids), year, month, rank side."""
    return (
        getattr(key["indicator"], "pk", key["indicator"]),
        getattr(key["unit"], "pk", key["unit"]),
        key["year"],
        key["month"],
        key["rank"],
    )
