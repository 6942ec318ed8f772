from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    """Key projects (重点项目): registry, stages, monthly progress, warnings, bulletin."""

    name = "baozheng.projects"
    label = "projects"
    verbose_name = "重点项目"
