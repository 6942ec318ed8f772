from django.apps import AppConfig


class TasksConfig(AppConfig):
    """Tracked tasks (督办), meetings, supervision groups and enterprise requests."""

    name = "baozheng.tasks"
    label = "tasks"
    verbose_name = "调度督办"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from baozheng.tasks import (
            green_channel,  # noqa: F401  (follows its tasks)
            models,
        )

        auditlog.register(models.Task, m2m_fields={"helpers"})
        auditlog.register(models.TaskProgress)
        auditlog.register(models.SupervisionGroup, m2m_fields={"counties", "members"})
        auditlog.register(models.Meeting, m2m_fields={"attending_units"})
        auditlog.register(models.MeetingSeries, m2m_fields={"standing_units"})
        auditlog.register(models.Attendance)
        auditlog.register(models.Visit, m2m_fields={"units"})
        auditlog.register(models.VisitPhoto)
        auditlog.register(models.Instruction)
        auditlog.register(models.Accountability, m2m_fields={"tasks"})
        auditlog.register(models.Enterprise)
        auditlog.register(models.ServiceRequest)
        auditlog.register(models.Contact)

    @property
    def nav(self):
        from baozheng.org.navigation import NavItem
        from baozheng.org.roles import Cap

        return [
            NavItem("我的督办", "tasks-mine", Cap.VIEW, order=40),
            NavItem("督办台账", "tasks-board", Cap.VIEW, order=41),
            NavItem("调度会", "tasks-meetings", Cap.VIEW, order=42),
            NavItem("督导组", "tasks-groups", Cap.VIEW, order=43),
            NavItem("万人助万企", "tasks-requests", Cap.VIEW, order=44),
            NavItem("领导批示", "tasks-instructions", Cap.VIEW, order=45),
            NavItem("督查通报", "tasks-notice", Cap.VIEW, order=46),
            NavItem("追责记录", "tasks-accountability-list", Cap.VIEW, order=47),
        ]

    def home_hints(self, user) -> list:
        from baozheng.tasks.hints import hints

        return hints(user)
