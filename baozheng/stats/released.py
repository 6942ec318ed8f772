"""The one answer to "which period does everyone see by default": the latest period the
office has released (发布). Dashboards, indicator, unit, warning and bulletin pages, the
API and the leader's headline all read it from `released_periods()`.

Until the office has released any period (an installation that has not adopted period
control yet), the answer is the newest period with approved figures, as before.

A monitoring page asks four questions of the releases (is period control in use, which
is the latest, is this period released, may this user see it): `released_periods()`
reads them in one query, and the page asks the answer it holds.
"""

from __future__ import annotations

from dataclasses import dataclass

from baozheng.analysis.periods import Period


@dataclass(frozen=True)
class Releases:
    """The periods the office has released, as read once for a request."""

    periods: frozenset[Period]

    @property
    def in_use(self) -> bool:
        """Whether the office has released any period (period control adopted)."""
        return bool(self.periods)

    @property
    def latest(self) -> Period | None:
        """The newest released period, or None when the office has released none."""
        return max(self.periods, default=None)

    def is_unreleased(self, period: Period) -> bool:
        """True when period control is in use and `period` has not been released."""
        return self.in_use and period not in self.periods

    def may_see(self, user, period: Period) -> bool:
        """Unreleased periods (once the office releases periods) are for statistics staff."""
        from baozheng.reporting.periods import is_statistics_staff

        return is_statistics_staff(user) or not self.is_unreleased(period)


def released_periods() -> Releases:
    """Every released period, in one query."""
    from baozheng.reporting.models import PeriodState, ReportingPeriod

    found = ReportingPeriod.objects.filter(state=PeriodState.RELEASED).values_list("year", "month")
    return Releases(frozenset(Period(year, month) for year, month in found))
