"""Computing, storing, publishing and comparing assessment runs; versioning schemes.

`compute` writes nothing: the scheme editor's live preview and `create_run` share it, so the
preview shows exactly what a run would store.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from baozheng.assessment import methods, sources, standings
from baozheng.assessment.models import (
    FrozenError,
    RankTargetRecord,
    Run,
    RunItem,
    RunRow,
    Scheme,
    SchemeItem,
    Subjects,
)
from baozheng.assessment.periods import AssessmentPeriod, PeriodError
from baozheng.lib.progress import STEPS, advance
from baozheng.org.models import Unit, UnitKind


@dataclass
class ItemLine:
    item: SchemeItem
    source_label: str
    scored: methods.Scored


@dataclass
class UnitLine:
    unit: Unit
    lines: list[ItemLine] = field(default_factory=list)
    own_total: Decimal | None = None
    parts: list[dict] = field(default_factory=list)
    total: Decimal | None = None
    rank: int | None = None
    rank_change: int | None = None
    tier: str = ""


@dataclass
class Computed:
    scheme: Scheme
    period: AssessmentPeriod
    units: list[UnitLine]
    full_points: Decimal
    errors: list[str] = field(default_factory=list)


def assessed_units(scheme: Scheme) -> list[Unit]:
    if scheme.subjects == Subjects.DEPARTMENTS:
        home = Unit.objects.home()
        return list(Unit.objects.subtree(home).filter(kind=UnitKind.DEPARTMENT).order_by("code"))
    return list(Unit.objects.filter(peer_group=scheme.peer_group).order_by("code"))


def check_period(scheme: Scheme, period: AssessmentPeriod) -> None:
    if period.kind != scheme.period_kind:
        raise PeriodError(f"该方案为{scheme.get_period_kind_display()}考评，期间不符")


def compute(
    scheme: Scheme, period: AssessmentPeriod, items: list[SchemeItem] | None = None
) -> Computed:
    """Score every assessed unit on every item (items may be unsaved, for the preview)."""
    check_period(scheme, period)
    items = list(scheme.items.all()) if items is None else items
    units = assessed_units(scheme)
    codes = [u.code for u in units]
    lines = {u.code: UnitLine(u) for u in units}
    errors: list[str] = []
    with sources.shared_reads():
        for done, item in enumerate(items):
            advance(STEPS, done, len(items) + 1)  # one step per item, one to store the run
            try:
                figures = sources.fetch(item.source, codes, period, item.source_params)
                scored = methods.score_item(
                    item.method,
                    item.method_params,
                    Decimal(item.points),
                    figures,
                    item.missing_rule,
                )
                label = sources.SOURCES[item.source].describe(item.source_params)
            except methods.SchemeError as exc:
                errors.append(f"{item.name}：{exc}")
                continue
            for code in codes:
                lines[code].lines.append(ItemLine(item, label, scored[code]))
    advance(STEPS, len(items), len(items) + 1)
    for line in lines.values():
        line.own_total = standings.unit_total(
            [
                standings.ItemResult(Decimal(i.item.points), i.item.in_base, i.scored)
                for i in line.lines
            ]
        )
    _apply_parts(scheme, period, lines)
    ranks = standings.rank_totals({code: line.total for code, line in lines.items()})
    previous = _previous_ranks(scheme, period)
    tiers = standings.parse_tiers(scheme.tiers)
    for code, line in lines.items():
        line.rank = ranks[code]
        line.rank_change = standings.rank_change(previous.get(code), line.rank)
        line.tier = standings.tier_for(line.rank, tiers)
    full = sum((Decimal(i.points) for i in items if i.in_base), Decimal(0))
    ordered = sorted(lines.values(), key=lambda ln: (ln.rank is None, ln.rank or 0, ln.unit.code))
    return Computed(scheme, period, ordered, full, errors)


def _apply_parts(scheme: Scheme, period: AssessmentPeriod, lines: dict[str, UnitLine]) -> None:
    """A year scheme may weight other schemes' published results (monthly 10 %, half 45 % …);
    each part is the mean of that scheme's published totals in the year, up to this period."""
    parts = standings.parse_parts(scheme.parts)
    if not parts:
        for line in lines.values():
            line.total = line.own_total
        return
    own_weight = 100 - sum((w for _, w in parts), Decimal(0))
    means: dict[str, dict[str, Decimal]] = {}
    for code, _ in parts:
        means[code] = _mean_published_totals(code, period)
    for unit_code, line in lines.items():
        weighted = [(w, means[code].get(unit_code)) for code, w in parts]
        line.parts = [
            {"scheme": code, "weight": str(w), "total": None if t is None else str(t)}
            for (code, w), (_, t) in zip(parts, weighted, strict=True)
        ]
        if own_weight > 0:
            weighted.append((own_weight, line.own_total))
        line.total = standings.combine_parts(weighted, scheme.parts_missing)


def _mean_published_totals(scheme_code: str, period: AssessmentPeriod) -> dict[str, Decimal]:
    totals: dict[str, list[Decimal]] = defaultdict(list)
    rows = RunRow.objects.filter(
        run__scheme__code=scheme_code,
        run__status=Run.Status.PUBLISHED,
        run__period_year=period.year,
        run__period_month__lte=period.month,
        total__isnull=False,
    ).values_list("unit__code", "total")
    for code, total in rows:
        totals[code].append(total)
    return {
        code: methods.points2(sum(values, Decimal(0)) / len(values))
        for code, values in totals.items()
    }


def latest_published(scheme_code: str, period: AssessmentPeriod) -> Run | None:
    return (
        Run.objects.filter(
            scheme__code=scheme_code,
            status=Run.Status.PUBLISHED,
            period_kind=period.kind,
            period_year=period.year,
            period_month=period.month,
        )
        .order_by("-version")
        .first()
    )


def _previous_ranks(scheme: Scheme, period: AssessmentPeriod) -> dict[str, int | None]:
    """Ranks of the published run of the period before (same scheme code)."""
    run = latest_published(scheme.code, period.previous())
    if run is None:
        return {}
    return dict(run.rows.values_list("unit__code", "rank"))


def _lock_code(code: str) -> None:
    """Hold every scheme version of `code` until the transaction ends: whoever numbers the
    next scheme version or run of this code waits, then reads the number just stored."""
    list(Scheme.objects.select_for_update().filter(code=code).values_list("pk"))


@transaction.atomic
def create_run(scheme: Scheme, period: AssessmentPeriod, user=None, is_demo: bool = False) -> Run:
    """Store a draft run; a second computation of the same period is the next version.
    The code's schemes are locked (`_lock_code`) before the number is read: two
    computations at once (two people, a page and the `assess` job) get two numbers."""
    computed = compute(scheme, period)
    if computed.errors:
        raise methods.SchemeError("；".join(computed.errors))
    _lock_code(scheme.code)
    last = Run.objects.filter(
        scheme__code=scheme.code,
        period_kind=period.kind,
        period_year=period.year,
        period_month=period.month,
    ).aggregate(v=Max("version"))["v"]
    run = Run.objects.create(
        scheme=scheme,
        period_kind=period.kind,
        period_year=period.year,
        period_month=period.month,
        version=(last or 0) + 1,
        computed_by=user,
        full_points=computed.full_points,
        is_demo=is_demo,
    )
    rows = RunRow.objects.bulk_create(
        [
            RunRow(
                run=run,
                unit=line.unit,
                unit_name=line.unit.name,
                total=line.total,
                own_total=line.own_total,
                rank=line.rank,
                rank_change=line.rank_change,
                tier=line.tier,
                parts=line.parts,
            )
            for line in computed.units
        ]
    )
    RunItem.objects.bulk_create(
        [
            RunItem(
                row=row,
                order=n,
                key=il.item.key,
                group=il.item.group,
                name=il.item.name,
                full=il.item.points,
                in_base=il.item.in_base,
                source_label=il.source_label[:100],
                figure=il.scored.figure,
                points=il.scored.points,
                item_rank=il.scored.rank,
                why=il.scored.why,
            )
            for row, line in zip(rows, computed.units, strict=True)
            for n, il in enumerate(line.lines)
        ]
    )
    steps = scheme.items.count() + 1
    advance(STEPS, steps, steps)
    return run


@transaction.atomic
def publish(run: Run, user=None) -> Run:
    if run.is_published:
        raise FrozenError("该结果已发布")
    if Run.objects.filter(
        scheme__code=run.scheme.code,
        period_kind=run.period_kind,
        period_year=run.period_year,
        period_month=run.period_month,
        status=Run.Status.PUBLISHED,
        version__gt=run.version,
    ).exists():
        raise FrozenError("已有更新版本发布，不能发布旧版本")
    run.status = Run.Status.PUBLISHED
    run.published_by = user
    run.published_at = timezone.now()
    run.save()
    return run


def previous_version(run: Run) -> Run | None:
    return (
        Run.objects.filter(
            scheme__code=run.scheme.code,
            period_kind=run.period_kind,
            period_year=run.period_year,
            period_month=run.period_month,
            version__lt=run.version,
        )
        .order_by("-version")
        .first()
    )


def _snapshot(run: Run) -> dict:
    result: dict = {}
    for row in run.rows.prefetch_related("items"):
        result[row.unit_name] = (
            row.total,
            row.rank,
            {item.name: item.points for item in row.items.all()},
        )
    return result


def differences(run: Run) -> tuple[Run | None, list[standings.RowChange]]:
    """What this version changed against the one before it (same scheme code and period)."""
    before = previous_version(run)
    if before is None:
        return None, []
    return before, standings.diff_rows(_snapshot(before), _snapshot(run))


@transaction.atomic
def new_version(scheme: Scheme, user=None) -> Scheme:
    """Copy a scheme and its items as the next version, for editing a frozen one; two
    people at once get the next two numbers, not the same one twice (a 500)."""
    _lock_code(scheme.code)
    last = Scheme.objects.filter(code=scheme.code).aggregate(v=Max("version"))["v"]
    items = list(scheme.items.all())
    copy = Scheme.objects.get(pk=scheme.pk)
    copy.pk = None
    copy.version = last + 1
    copy.created_by = user
    copy.is_demo = scheme.is_demo
    copy.save()
    for item in items:
        item.pk = None
        item.scheme = copy
    SchemeItem.objects.bulk_create(items)
    return copy


def current_schemes() -> list[Scheme]:
    """The newest version of each scheme code."""
    newest = {}
    for scheme in Scheme.objects.select_related("peer_group").order_by("code", "-version"):
        newest.setdefault(scheme.code, scheme)
    return list(newest.values())


def rank_target(unit: Unit, scheme_code: str, year: int) -> standings.RankTarget | None:
    record = RankTargetRecord.objects.filter(unit=unit, scheme_code=scheme_code, year=year).first()
    return record.target if record else None


def unit_history(unit: Unit, scheme_code: str) -> list[dict]:
    """The unit's place in every published run of a scheme code, oldest first, with the
    status of its rank target for that year."""
    rows = (
        RunRow.objects.filter(
            unit=unit, run__scheme__code=scheme_code, run__status=Run.Status.PUBLISHED
        )
        .select_related("run")
        .order_by("run__period_year", "run__period_month", "run__version")
    )
    latest: dict[tuple, RunRow] = {}
    for row in rows:
        latest[(row.run.period_year, row.run.period_month)] = row
    targets = {
        r.year: r.target
        for r in RankTargetRecord.objects.filter(unit=unit, scheme_code=scheme_code)
    }
    history = []
    for row in latest.values():
        target = targets.get(row.run.period_year)
        history.append(
            {
                "run": row.run,
                "period": row.run.period.label,
                "total": row.total,
                "rank": row.rank,
                "rank_of": row.run.rows.filter(rank__isnull=False).count(),
                "rank_change": row.rank_change,
                "tier": row.tier,
                "target": target,
                "status": standings.rank_target_status(row.rank, target),
            }
        )
    return history
