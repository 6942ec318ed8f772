"""Which period and which parent unit a monitoring page shows.

Leaders open the dashboard without choosing anything, so the defaults matter: the period
is the latest period the office has released (`stats.released.Releases.latest`;
before the office releases any, the newest month with approved figures); a clerk's early
figure never moves it. Statistics staff may open an unreleased period explicitly (the
page marks it 未发布); everyone else is refused one. The parent is the city
running the system if the user may see it, else the top of the user's own scope (a county
clerk sees their county). Every choice is checked against the user's scope.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from baozheng.analysis.periods import Period, release_months
from baozheng.monitor.cache import per_data_version
from baozheng.org.models import PeerGroup, Unit
from baozheng.org.permissions import check, in_scope, primary_unit, scope_q
from baozheng.org.roles import Cap
from baozheng.stats.models import FINAL_STATUSES, Indicator, Observation
from baozheng.stats.released import Releases

# How many years back the period picker offers.
PICKER_YEARS = 3


def latest_release(parent: Unit | None = None) -> Period | None:
    """The newest period holding approved figures: the parent's own, else its children's,
    else anyone's. Observations have no index on the period (it would slow million-row
    imports), so the per-unit queries ride the unit index and every answer is kept per
    data version."""
    final = Observation.objects.filter(status__in=FINAL_STATUSES).order_by("-year", "-month")

    def newest() -> tuple[int, int] | None:
        found = None
        if parent is not None:
            found = final.filter(unit=parent).values_list("year", "month").first()
            if found is None:
                children = list(Unit.objects.filter(parent=parent).values_list("pk", flat=True))
                found = final.filter(unit_id__in=children).values_list("year", "month").first()
        return found or final.values_list("year", "month").first()

    key = f"latest-release:{parent.code if parent else ''}"
    found = per_data_version(key, newest)
    return Period(*found) if found else None


def default_period(parent: Unit | None, released: Releases) -> Period | None:
    """What a page shows when no period is asked for: the latest released period, or,
    before the office has released any, the newest period with approved figures."""
    if released.in_use:
        return released.latest
    return latest_release(parent)


def check_period_visible(user, period: Period, released: Releases) -> None:
    """Unreleased periods are for the statistics staff only."""
    if not released.may_see(user, period):
        raise PermissionDenied(f"{period.label}数据尚未发布")


def release_calendar() -> set[int]:
    """Months at which at least one indicator is released."""
    months: set[int] = set()
    for frequency, merged in Indicator.objects.values_list(
        "frequency", "merged_jan_feb"
    ).distinct():
        months.update(release_months(frequency, merged))
    return months


def period_choices(
    latest: Period | None, selected: Period, collecting: bool = False
) -> list[Period]:
    """Releases of the last few years up to the latest one, newest first; with
    `collecting` (statistics staff under period control) also the periods being
    collected after it."""
    newest = max(p for p in (latest, selected) if p is not None)
    if collecting:
        from baozheng.reporting.models import ReportingPeriod

        found = ReportingPeriod.objects.order_by("-year", "-month").values_list("year", "month")
        newest = max(newest, Period(*found.first()))
    months = release_calendar() or set(range(1, 13))
    periods = [
        Period(year, month)
        for year in range(newest.year, newest.year - PICKER_YEARS, -1)
        for month in sorted(months, reverse=True)
        if (year, month) <= (newest.year, newest.month)
    ]
    if selected not in periods:
        periods.append(selected)
    return periods


def parse_period(text: str | None, default: Period | None) -> Period:
    if not text:
        if default is None:
            raise Http404("尚无已审核的数据，请先导入或填报数据")
        return default
    try:
        return Period.parse(text)
    except ValueError as error:
        raise Http404(str(error)) from error


def default_parent(user) -> Unit | None:
    """The city running the system if in scope, else the highest unit of the user's scope
    that has ranked children, else the user's own unit."""
    try:
        home = Unit.objects.home()
    except Unit.DoesNotExist:
        return None
    if in_scope(user, home):
        return home
    parent_ids = PeerGroup.objects.values_list("parent_id", flat=True)
    top = Unit.objects.filter(scope_q(user), pk__in=parent_ids).order_by("path").first()
    return top or primary_unit(user)


def selected_parent(request: HttpRequest) -> Unit:
    """The unit whose children the page compares; 403 outside the user's scope."""
    code = request.GET.get("parent")
    unit = Unit.objects.filter(code=code).first() if code else default_parent(request.user)
    if unit is None:
        raise Http404("未找到该单位")
    check(request.user, Cap.VIEW, unit)
    return unit


def parent_choices(user, selected: Unit) -> list[Unit]:
    """Units in scope that have ranked children (peer groups), plus the selected one."""
    parent_ids = PeerGroup.objects.values_list("parent_id", flat=True)
    units = list(Unit.objects.filter(scope_q(user), pk__in=parent_ids).order_by("path"))
    if selected not in units:
        units.insert(0, selected)
    return units


def unit_in_scope(user, code: str, cap: str = Cap.VIEW) -> Unit:
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise Http404("未找到该单位")
    check(user, cap, unit)
    return unit
