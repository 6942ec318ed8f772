"""Periods (期间) and the release calendar (docs/rules.md §2 and §3).

Monthly statistics are cumulative from January, so a period is (year, last
month of the span): 2023-06 is "2023年1-6月".  January and February are
usually published together as 1-2月, quarterly indicators exist at 1-3, 1-6,
1-9 and 1-12月, yearly ones at 1-12月 (so "2023年" is the period 2023-12).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Protocol, TypeVar


class _HasCalendar(Protocol):
    @property
    def frequency(self) -> str: ...

    @property
    def merged_jan_feb(self) -> bool: ...


_Calendar = TypeVar("_Calendar", bound=_HasCalendar)

# The years a period may name: wide enough for any series an office keeps, narrow enough that
# the month after a period and its deadlines are dates (December 9999 had none: 500s).
FIRST_YEAR, LAST_YEAR = 1900, 2200

_CODE = re.compile(r"^(\d{4})-(\d{1,2})$")
_LABEL = re.compile(r"^(\d{4})年(?:(\d{1,2})(?:-(\d{1,2}))?月)?$")
# Dashes people type between the months, all read as "-" (NFKC handles "－").
_DASHES = str.maketrans({"–": "-", "—": "-", "~": "-", "〜": "-", "～": "-", "至": "-"})


@dataclass(frozen=True, order=True)
class Period:
    """A cumulative span from January to `month` of `year`."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"月份须在1至12之间，得到 {self.month}")
        if not FIRST_YEAR <= self.year <= LAST_YEAR:
            raise ValueError(f"年份须在{FIRST_YEAR}至{LAST_YEAR}之间，得到 {self.year}")

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read "2023-06", "2023年1-6月", "2023年1月" or "2023年" (= 2023-12)."""
        cleaned = unicodedata.normalize("NFKC", str(text)).translate(_DASHES)
        cleaned = re.sub(r"\s+", "", cleaned)
        if match := _CODE.match(cleaned):
            return cls._checked(int(match[1]), int(match[2]), text)
        if match := _LABEL.match(cleaned):
            year, start, end = match[1], match[2], match[3]
            if start is None:
                return cls._checked(int(year), 12, text)
            if end is None:
                if int(start) != 1:
                    raise ValueError(
                        f"无法识别期间“{text}”：累计期间应写作“{year}年1-{int(start)}月”"
                    )
                return cls._checked(int(year), 1, text)
            if int(start) != 1:
                raise ValueError(f"无法识别期间“{text}”：累计期间须从1月开始")
            return cls._checked(int(year), int(end), text)
        raise ValueError(f"无法识别期间“{text}”，应为“2023-06”或“2023年1-6月”")

    @classmethod
    def _checked(cls, year: int, month: int, text: str) -> Period:
        if not 1 <= month <= 12:
            raise ValueError(f"无法识别期间“{text}”：月份须在1至12之间")
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError(f"无法识别期间“{text}”：年份须在{FIRST_YEAR}至{LAST_YEAR}之间")
        return cls(year, month)

    @property
    def code(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        if self.month == 1:
            return f"{self.year}年1月"
        return f"{self.year}年1-{self.month}月"

    @property
    def year_label(self) -> str:
        return f"{self.year}年"

    @property
    def time_progress(self) -> float:
        """时序进度 m/12 in percent, full precision (1-2月 → 16.66…)."""
        return self.month / 12 * 100

    def __str__(self) -> str:
        return self.code


@cache
def release_months(frequency: str, merged_jan_feb: bool) -> tuple[int, ...]:
    """Months at which an indicator of this calendar is released (asked per indicator, so kept)."""
    if frequency == "monthly":
        return tuple(range(2 if merged_jan_feb else 1, 13))
    if frequency == "quarterly":
        return (3, 6, 9, 12)
    if frequency == "yearly":
        return (12,)
    raise ValueError(f"未知的频率“{frequency}”，应为 monthly / quarterly / yearly")


def is_released(period: Period, frequency: str, merged_jan_feb: bool) -> bool:
    return period.month in release_months(frequency, merged_jan_feb)


def previous_release(period: Period, frequency: str, merged_jan_feb: bool) -> Period | None:
    """The release just before `period` in the same year; None for the first.

    docs/rules.md: never skip back further and never into last year — cumulative
    figures restart in January.
    """
    earlier = [m for m in release_months(frequency, merged_jan_feb) if m < period.month]
    return Period(period.year, earlier[-1]) if earlier else None


def latest_release(period: Period, frequency: str, merged_jan_feb: bool) -> Period | None:
    """The latest release at or before `period` in the same year, if any."""
    months = [m for m in release_months(frequency, merged_jan_feb) if m <= period.month]
    return Period(period.year, months[-1]) if months else None


def last_release_month(frequency: str, merged_jan_feb: bool) -> int:
    return release_months(frequency, merged_jan_feb)[-1]


def released_indicators(period: Period, indicators: Sequence[_Calendar]) -> list[_Calendar]:
    """The indicators a bulletin for `period` contains, in the order given."""
    return [i for i in indicators if is_released(period, i.frequency, i.merged_jan_feb)]
