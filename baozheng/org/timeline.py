"""The demo's one timeline, anchored on the day it is built (`baozheng demo --as-of`).

Everything the demo dates derives from the anchor (docs/rules.md §2):
- the open period is the latest month that has ended before the anchor's month — its
  figures are being entered now, and its deadline falls in the anchor's month;
- the released period is the release just before it;
- January is skipped for both, because the demo's forms report January and February
  together as 1-2月 (there is no January release);
- the statistics year is the released period's year: its months through the released
  one, with the previous year's full series.

The generated statistics reproduce one published year's shape (`PUBLISHED_YEAR`, its
1-9月 figures); they are moved onto the statistics year, truncated at the released month,
and months after 1-9月 are extrapolated from each unit's growth (演示数据说明 in README).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from django.utils import timezone

from baozheng.analysis.periods import Period

PUBLISHED_YEAR = 2023
PUBLISHED_THROUGH = 9


def _month_before(period: Period) -> Period:
    if period.month == 1:
        return Period(period.year - 1, 12)
    return Period(period.year, period.month - 1)


def _release_before(period: Period) -> Period:
    """The month before, skipping January (1-2月 are reported together)."""
    previous = _month_before(period)
    return _month_before(previous) if previous.month == 1 else previous


@dataclass(frozen=True)
class Timeline:
    anchor: date

    # Cached: the demo asks for them once per generated figure.
    @cached_property
    def open(self) -> Period:
        return _release_before(Period(self.anchor.year, self.anchor.month))

    @cached_property
    def released(self) -> Period:
        return _release_before(self.open)

    @property
    def year(self) -> int:
        """The statistics year: targets, progress and assessments belong to it."""
        return self.released.year

    @property
    def offset(self) -> int:
        """Years between the published shape and the statistics year."""
        return self.year - PUBLISHED_YEAR

    @property
    def extrapolated(self) -> list[int]:
        """Months of the statistics year generated beyond the published 1-9月."""
        return list(range(PUBLISHED_THROUGH + 1, self.released.month + 1))

    @property
    def years(self) -> list[int]:
        """Every year the demo dates touch: last year's series to the open period's
        deadline (and next year's, from November: December's deadline is in January)."""
        last = self.anchor.year + (self.anchor.month >= 11)
        return list(range(self.year - 1, last + 1))

    def summary(self) -> str:
        extra = ""
        if self.extrapolated:
            months = "、".join(f"{m}月" for m in self.extrapolated)
            extra = f"（{months}为按增速外推的演示数据）"
        return (
            f"演示时间线：以 {self.anchor:%Y-%m-%d} 为今天；统计数据为{self.year - 1}年全年及"
            f"{self.released.label}{extra}，{self.released.label}已发布，"
            f"{self.open.label}开放填报；重点项目、督办任务、调度会、考评与大比武均按同一日历。"
        )


def of(as_of: date | None = None) -> Timeline:
    """The timeline of `as_of`, else of today (Beijing time)."""
    return Timeline(as_of or timezone.localdate())
