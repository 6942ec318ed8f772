"""Building tasks for tests without going through pages."""

from __future__ import annotations

from datetime import date

from baozheng.org.models import Unit
from baozheng.tasks.models import SourceKind, Task
from baozheng.tasks.services import open_task


def make_task(
    created_by,
    lead_unit: Unit,
    *,
    title: str = "协调解决项目用电报装",
    opened_on: date = date(2023, 3, 1),
    deadline: date = date(2023, 3, 31),
    helpers=(),
    owner=None,
    source_kind: str = SourceKind.MANUAL,
) -> Task:
    return open_task(
        source_kind=source_kind,
        source_label="测试",
        title=title,
        lead_unit=lead_unit,
        helpers=helpers,
        owner=owner,
        deadline=deadline,
        opened_on=opened_on,
        created_by=created_by,
    )
