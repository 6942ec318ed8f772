"""Figures of the green channel by department and by county: on-time rate, resolution
rate, satisfaction rate and reopen count. Rates are percentages (floats) or None when
there is nothing to divide by — never a division error or a made-up zero."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from baozheng.tasks.models import RequestStatus, Satisfaction, ServiceRequest

RESOLVED = (RequestStatus.RESOLVED, RequestStatus.FOLLOWED_UP)
CONTENT = (Satisfaction.SATISFIED, Satisfaction.BASICALLY)


@dataclass
class RequestFigures:
    name: str
    total: int = 0
    resolved: int = 0
    on_time: int = 0
    late: int = 0
    rated: int = 0
    content: int = 0
    reopened: int = 0

    @staticmethod
    def _rate(part: int, whole: int) -> float | None:
        return 100.0 * part / whole if whole else None

    @property
    def on_time_rate(self) -> float | None:
        return self._rate(self.on_time, self.on_time + self.late)

    @property
    def resolution_rate(self) -> float | None:
        return self._rate(self.resolved, self.total)

    @property
    def satisfaction_rate(self) -> float | None:
        return self._rate(self.content, self.rated)

    def add(self, req: Any) -> None:
        self.total += 1
        self.resolved += req.status in RESOLVED
        self.on_time += req.on_time_count
        self.late += req.late_count
        self.rated += bool(req.satisfaction)
        self.content += req.satisfaction in CONTENT
        self.reopened += req.reopen_count


def figures_by(requests: QuerySet[ServiceRequest], by: str) -> list[RequestFigures]:
    """One row per department (by="department") or county (by="county"), plus a total row."""
    groups: dict[str, RequestFigures] = defaultdict(lambda: RequestFigures(""))
    total = RequestFigures("合计")
    rows = requests.select_related("department", "enterprise__county")
    for req in rows:
        unit = req.department if by == "department" else req.enterprise.county
        name = unit.display_name if unit else "未交办"
        groups[name].name = name
        groups[name].add(req)
        total.add(req)
    return [*sorted(groups.values(), key=lambda f: f.name), total] if groups else []


def table_rows(figures: list[RequestFigures]) -> list[list[object]]:
    return [
        [f.name, f.total, f.resolved, f.on_time_rate, f.resolution_rate, f.satisfaction_rate, f.reopened]
        for f in figures
    ]


HEADERS = ["单位", "诉求数", "已解决", "按期办结率（%）", "解决率（%）", "满意率（%）", "重办次数"]
