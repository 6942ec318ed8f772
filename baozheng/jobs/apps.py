from django.apps import AppConfig


class JobsConfig(AppConfig):
    """Long work off the request path: imports run as background jobs (django-tasks)."""

    name = "baozheng.jobs"
    label = "jobs"
    verbose_name = "后台任务"
