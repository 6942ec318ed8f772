from django.apps import AppConfig


class TasksConfig(AppConfig):
    """Tracked tasks (督办), meetings, supervision groups and enterprise requests."""

    name = "baozheng.tasks"
    label = "tasks"
    verbose_name = "调度督办"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from baozheng.tasks.models import SupervisionGroup, Task, TaskProgress

        auditlog.register(Task, m2m_fields={"helpers"})
        auditlog.register(TaskProgress)
        auditlog.register(SupervisionGroup, m2m_fields={"counties", "members"})
