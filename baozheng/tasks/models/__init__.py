"""The tasks app's models, one module per subject: tracked tasks, supervision groups,
meetings, enterprise service and reminder records."""

from baozheng.tasks.models.enterprise import (
    Channel,
    Complexity,
    Enterprise,
    RequestCategory,
    RequestStatus,
    Satisfaction,
    ServiceRequest,
)
from baozheng.tasks.models.groups import SupervisionGroup
from baozheng.tasks.models.meetings import CADENCE, Meeting, MeetingKind
from baozheng.tasks.models.reminders import Contact, ContactRole, Reminder, WebhookKind
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
    "CADENCE",
    "OPEN_STATUSES",
    "Channel",
    "Complexity",
    "Contact",
    "ContactRole",
    "Enterprise",
    "Meeting",
    "MeetingKind",
    "Priority",
    "ProgressKind",
    "Reminder",
    "RequestCategory",
    "RequestStatus",
    "Satisfaction",
    "ServiceRequest",
    "SourceKind",
    "Status",
    "SupervisionGroup",
    "Task",
    "TaskProgress",
    "WebhookKind",
]
