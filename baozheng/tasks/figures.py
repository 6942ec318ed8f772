"""Figures of the green channel by department and by county: first-feedback on-time rate,
on-time rate, resolution rate, satisfaction rate and reopen count. Rates are percentages (floats) or None when
there is nothing to divide by — never a division error or a made-up zero."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet

from baozheng.tasks.green_channel import first_feedback_dates, first_feedback_in_time
from baozheng.tasks.models import RequestStatus, Satisfaction, ServiceRequest
from baozheng.tasks.services import today as current_day

RESOLVED = (RequestStatus.RESOLVED, RequestStatus.FOLLOWED_UP)
CONTENT = (Satisfaction.SATISFIED, Satisfaction.BASICALLY)


@dataclass
class RequestFigures:
    name: str
    total: int = 0
    resolved: int = 0
    feedback_in_time: int = 0
    feedback_late: int = 0
    on_time: int = 0
    late: int = 0
    rated: int = 0
    content: int = 0
    reopened: int = 0

    @staticmethod
    def _rate(part: int, whole: int) -> float | None:
        return 100.0 * part / whole if whole else None

    @property
    def first_feedback_rate(self) -> float | None:
        return self._rate(self.feedback_in_time, self.feedback_in_time + self.feedback_late)

    @property
    def on_time_rate(self) -> float | None:
        return self._rate(self.on_time, self.on_time + self.late)

    @property
    def resolution_rate(self) -> float | None:
        return self._rate(self.resolved, self.total)

    @property
    def satisfaction_rate(self) -> float | None:
        return self._rate(self.content, self.rated)

    def add(self, req: Any, feedback_in_time: bool | None) -> None:
        self.total += 1
        self.resolved += req.status in RESOLVED
        self.feedback_in_time += feedback_in_time is True
        self.feedback_late += feedback_in_time is False
        self.on_time += req.on_time_count
        self.late += req.late_count
        self.rated += bool(req.satisfaction)
        self.content += req.satisfaction in CONTENT
        self.reopened += req.reopen_count


def figures_by(
    requests: QuerySet[ServiceRequest], by: str, on: date | None = None
) -> list[RequestFigures]:
    """One row per department (by="department") or county (by="county"), plus a total row,
    as of the day `on` (today by default: it decides which unanswered requests are late)."""
    on = on or current_day()
    groups: dict[str, RequestFigures] = defaultdict(lambda: RequestFigures(""))
    total = RequestFigures("合计")
    rows = list(requests.select_related("department", "enterprise__county"))
    answered = first_feedback_dates(req.pk for req in rows)
    for req in rows:
        unit = req.department if by == "department" else req.enterprise.county
        name = unit.display_name if unit else "未交办"
        in_time = first_feedback_in_time(req, answered.get(req.pk), on)
        groups[name].name = name
        groups[name].add(req, in_time)
        total.add(req, in_time)
    return [*sorted(groups.values(), key=lambda f: f.name), total] if groups else []


def table_rows(figures: list[RequestFigures]) -> list[list[object]]:
    return [
        [
            f.name,
            f.total,
            f.resolved,
            f.first_feedback_rate,
            f.on_time_rate,
            f.resolution_rate,
            f.satisfaction_rate,
            f.reopened,
        ]
        for f in figures
    ]


HEADERS = [
    "单位",
    "诉求数",
    "已解决",
    "首次反馈及时率（%）",
    "按期办结率（%）",
    "解决率（%）",
    "满意率（%）",
    "重办次数",
]
