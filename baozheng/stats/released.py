"""The one answer to "which period does everyone see by default": the latest period the
office has released (发布). Dashboards, indicator, unit, warning and bulletin pages, the
API and the leader's headline all call `latest_released_period`.

Until the office has released any period (an installation that has not adopted period
control yet), the answer is the newest period with approved figures, as before.
"""

from __future__ import annotations

from baozheng.analysis.periods import Period


def latest_released_period() -> Period | None:
    """The newest released period, or None when the office has released none."""
    from baozheng.reporting.models import PeriodState, ReportingPeriod

    found = (
        ReportingPeriod.objects.filter(state=PeriodState.RELEASED)
        .order_by("-year", "-month")
        .values_list("year", "month")
        .first()
    )
    return Period(*found) if found else None


def is_released(period: Period) -> bool:
    from baozheng.reporting.models import PeriodState, ReportingPeriod

    return ReportingPeriod.objects.filter(
        year=period.year, month=period.month, state=PeriodState.RELEASED
    ).exists()


def releases_in_use() -> bool:
    from baozheng.reporting.models import PeriodState, ReportingPeriod

    return ReportingPeriod.objects.filter(state=PeriodState.RELEASED).exists()


def may_see_period(user, period: Period) -> bool:
    """Unreleased periods (once the office releases periods) are for statistics staff."""
    from baozheng.reporting.periods import is_statistics_staff

    return is_statistics_staff(user) or not releases_in_use() or is_released(period)
