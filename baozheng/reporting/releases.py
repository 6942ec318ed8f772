"""Releasing a period (发布): the bulletin of (period, parent) is stored as an immutable
snapshot — the JSON rows, the Excel and Word documents and the release time. The rows are
stored at once; the documents (about 6 s) are built from those stored rows by a
background job (`reporting/jobs.py`), or at once on the command line, and written once:
until then the bulletin page says 生成中. Releasing
again after a correction stores a new version that lists its differences (更正:
indicator, unit, field, old → new) against the version before it; earlier versions stay
readable. Every stored version sends `period_released`.

Differences compare the figures as reported (cumulative value, last year's value and a
published growth); what the engine derives from them (computed growth, ranks, status,
pulls) follows and is in the snapshot itself.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from baozheng.analysis.periods import Period
from baozheng.jobs import runner
from baozheng.lib.bounds import refuse_overlong
from baozheng.lib.progress import STEPS, advance
from baozheng.org.models import Unit, User
from baozheng.org.permissions import can
from baozheng.org.roles import Cap
from baozheng.reporting.models import PeriodError, PeriodState, Release, ReportingPeriod
from baozheng.reporting.periods import may_control_periods
from baozheng.stats.bulletin import Bulletin, bulletin, load_inputs
from baozheng.stats.bulletin_export import bulletin_docx, bulletin_xlsx
from baozheng.stats.signals import period_released

PUBLISHED = "published"
DIFF_FIELDS = {"value": "累计值", "value_last_year": "上年同期累计值", "growth": "同比增长(%)"}


def differences(old_rows: list[dict], new_rows: list[dict]) -> list[dict]:
    """Reported figures that differ between two snapshots, row by row."""
    before = {(r["indicator"], r["unit"]): r for r in old_rows}
    found = []
    for row in new_rows:
        key = (row["indicator"], row["unit"])
        old = before.get(key, {})
        for field, label in DIFF_FIELDS.items():
            if field == "growth" and PUBLISHED not in (
                old.get("growth_source"),
                row.get("growth_source"),
            ):
                continue  # a computed growth follows the values already listed
            if old.get(field) != row.get(field):
                found.append(
                    {
                        "indicator": row["indicator"],
                        "unit": row["unit"],
                        "field": field,
                        "field_label": label,
                        "old": old.get(field),
                        "new": row.get(field),
                    }
                )
    return found


def latest_version(period: Period, parent: Unit) -> Release | None:
    return (
        Release.objects.filter(year=period.year, month=period.month, parent=parent)
        .order_by("-version")
        .first()
    )


@transaction.atomic
def release_period(
    user: User | None,
    period: Period,
    parent: Unit | None = None,
    note: str = "",
    *,
    correction: bool = False,
    documents_now: bool = False,
) -> Release:
    """Release `period` for `parent` (default the home unit); `user=None` is the command
    line. Releasing an open period closes it. A later version is refused when nothing
    changed. `correction=True` is an accepted correction request re-releasing on behalf
    of its approver (who was checked there). The documents are built by a job started in
    this transaction, or here with `documents_now` (the command line)."""
    parent = parent or Unit.objects.home()
    allowed = correction or (may_control_periods(user) and can(user, Cap.VIEW, parent))
    if user is not None and not allowed:
        raise PermissionDenied("只有统计工作人员（调度办、管理员）可以发布报告期")
    refuse_overlong(PeriodError, Release, note=(note.strip(), "发布说明"))
    row, _ = ReportingPeriod.objects.select_for_update().get_or_create(
        year=period.year, month=period.month, defaults={"state": PeriodState.CLOSED}
    )
    previous = latest_version(period, parent)
    computed = bulletin(period, parent)
    data = computed.data
    changed = differences(previous.data["rows"], data["rows"]) if previous else []
    if previous is not None and not changed:
        raise PeriodError(
            f"{period.label}{parent.name}通报与第{previous.version}版相同，无需更正发布"
        )
    now = timezone.now()
    release = Release.objects.create(
        year=period.year,
        month=period.month,
        parent=parent,
        version=previous.version + 1 if previous else 1,
        released_at=now,
        released_by=user,
        data=data,
        differences=changed,
        note=note.strip(),
    )
    if row.state != PeriodState.RELEASED:
        row.state, row.released_at, row.changed_by = PeriodState.RELEASED, now, user
        row.closed_at = row.closed_at or now
        row.save()
    if documents_now:
        build_documents(release, computed)
    else:
        start_snapshot(release, user)
    transaction.on_commit(
        lambda: period_released.send(sender=Release, release=release, period=period, parent=parent)
    )
    return release


def start_snapshot(release: Release, user: User | None):
    title = (
        f"生成{release.parent.name}{release.year}年{release.month}月通报第{release.version}版原件"
    )
    query = f"?period={release.period_code}&parent={release.parent.code}"
    back = reverse("monitor-bulletin") + query
    return runner.start("release", title, user, {"release": release.pk, "back": back})


def build_documents(release: Release, computed: Bulletin | None = None) -> bool:
    """Write the snapshot's Excel and Word documents from its stored rows, once: False
    when they were already there (the snapshot is immutable once built)."""
    if Release.objects.filter(pk=release.pk, built_at__isnull=False).exists():
        return False
    if computed is None:
        period = Period(release.year, release.month)
        inputs = load_inputs(period, release.parent, release.released_at)
        computed = Bulletin(inputs, release.data)
    advance(STEPS, 0, 2)
    xlsx = bulletin_xlsx(computed)
    advance(STEPS, 1, 2)
    docx = bulletin_docx(computed)
    written = Release.objects.filter(pk=release.pk, built_at__isnull=True).update(
        xlsx=xlsx, docx=docx, built_at=timezone.now()
    )
    advance(STEPS, 2, 2)
    return bool(written)


def versions(period: Period, parent: Unit) -> list[Release]:
    return list(
        Release.objects.filter(year=period.year, month=period.month, parent=parent)
        .defer("xlsx", "docx", "data", "differences")
        .order_by("-version")
    )
