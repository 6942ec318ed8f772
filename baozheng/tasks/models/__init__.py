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
from baozheng.tasks.models.meetings import (
    CADENCE,
    Attendance,
    Meeting,
    MeetingKind,
    MeetingSeries,
    MeetingState,
    Presence,
)
from baozheng.tasks.models.oversight import (
    Accountability,
    AccountabilityKind,
    Instruction,
    InstructionTarget,
    Visit,
    VisitPhoto,
)
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
    "Accountability",
    "AccountabilityKind",
    "Attendance",
    "Channel",
    "Complexity",
    "Contact",
    "ContactRole",
    "Enterprise",
    "Instruction",
    "InstructionTarget",
    "Meeting",
    "MeetingKind",
    "MeetingSeries",
    "MeetingState",
    "Presence",
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
    "Visit",
    "VisitPhoto",
    "WebhookKind",
]
