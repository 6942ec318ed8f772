"""Assessment periods (考评期): a month, quarter, half-year or year, named by its last month.

A period is (kind, year, month) where month is the last month it covers, so that it maps
straight onto the cumulative statistics period "1-m月" (docs/rules.md §2) that sources read:
2023 Q2 → (quarter, 2023, 6) → statistics of 2023年1-6月. Pure Python, no Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KINDS: dict[str, str] = {"month": "月度", "quarter": "季度", "half": "半年", "year": "年度"}
END_MONTHS: dict[str, tuple[int, ...]] = {
    "month": tuple(range(1, 13)),
    "quarter": (3, 6, 9, 12),
    "half": (6, 12),
    "year": (12,),
}
_QUARTER_NAMES = {3: "第一季度", 6: "第二季度", 9: "第三季度", 12: "第四季度"}
_HALF_NAMES = {6: "上半年", 12: "下半年"}


class PeriodError(ValueError):
    """A period that does not exist for its kind; the message is shown to users."""


@dataclass(frozen=True, order=True)
class AssessmentPeriod:
    year: int
    month: int
    kind: str = "quarter"

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise PeriodError(f"未知的考评周期“{self.kind}”")
        if self.month not in END_MONTHS[self.kind]:
            raise PeriodError(f"{KINDS[self.kind]}考评不能以{self.month}月结束")

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.year}年{self.month}月"
        if self.kind == "quarter":
            return f"{self.year}年{_QUARTER_NAMES[self.month]}"
        if self.kind == "half":
            return f"{self.year}年{_HALF_NAMES[self.month]}"
        return f"{self.year}年度"

    @property
    def key(self) -> str:
        """The form used in URLs and the CLI: 2023-06."""
        return f"{self.year}-{self.month:02d}"

    def previous(self) -> AssessmentPeriod:
        """The period of the same kind just before this one (across the year boundary)."""
        months = END_MONTHS[self.kind]
        index = months.index(self.month)
        if index > 0:
            return AssessmentPeriod(self.year, months[index - 1], self.kind)
        return AssessmentPeriod(self.year - 1, months[-1], self.kind)


def parse_period(text: str, kind: str) -> AssessmentPeriod:
    """Accept 2023-06, 2023-6 or 2023年6月 (the last month of the period)."""
    match = re.fullmatch(r"\s*(\d{4})\s*(?:-|年)\s*(\d{1,2})\s*月?\s*", text or "")
    if not match:
        raise PeriodError(f"无法识别的期间“{text}”，应为 2023-06 的形式")
    return AssessmentPeriod(int(match[1]), int(match[2]), kind)
