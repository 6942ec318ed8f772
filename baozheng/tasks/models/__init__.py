"""The tasks app's models, one module per subject: tracked tasks, supervision groups,
meetings, enterprise service and reminder records."""

from baozheng.tasks.models.groups import SupervisionGroup
from baozheng.tasks.models.task import (
    AWAITING_VERIFICATION,
    OPEN_STATUSES,
    Priority,
    ProgressKind,
    SourceKind,
    Status,
    Task,
    TaskProgress,
)

__all__ = [
    "AWAITING_VERIFICATION",
    "OPEN_STATUSES",
    "Priority",
    "ProgressKind",
    "SourceKind",
    "Status",
    "SupervisionGroup",
    "Task",
    "TaskProgress",
]
