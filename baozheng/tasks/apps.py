from django.apps import AppConfig


class TasksConfig(AppConfig):
    """Tracked tasks (督办), meetings, supervision groups and enterprise requests."""

    name = "baozheng.tasks"
    label = "tasks"
    verbose_name = "调度督办"
