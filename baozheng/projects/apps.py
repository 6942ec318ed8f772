from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    """Key projects (重点项目): registry, stages, monthly progress, warnings, bulletin."""

    name = "baozheng.projects"
    label = "projects"
    # `baozheng import` kinds this app answers for: kind → (importer, what it imports).
    import_kinds = {"projects": ("baozheng.projects.importer.import_projects", "重点项目")}
    verbose_name = "重点项目"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from baozheng.projects import models, versioning

        versioning.connect()
        for model in (
            models.Project,
            models.Stage,
            models.Batch,
            models.BatchEntry,
            models.ProgressReport,
            models.Photo,
            models.SupportRequest,
            models.SupportRoute,
            models.WarningSettings,
        ):
            auditlog.register(model)

    @property
    def nav(self):
        from baozheng.org.navigation import NavItem
        from baozheng.org.roles import Cap

        return [
            NavItem("重点项目", "projects-list", Cap.VIEW, order=30),
            NavItem("项目预警", "projects-warnings", Cap.VIEW, order=31),
            NavItem("项目通报", "projects-bulletin", Cap.VIEW, order=32),
        ]

    def home_hints(self, user) -> list:
        from baozheng.projects.hints import hints

        return hints(user)
