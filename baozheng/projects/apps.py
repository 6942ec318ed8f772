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

        from baozheng.projects import models

        for model in (
            models.Project,
            models.Stage,
            models.Batch,
            models.BatchEntry,
            models.ProgressReport,
            models.Photo,
            models.SupportRequest,
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
        """Clerks: projects still missing this month's report; everyone: red warnings."""
        from django.urls import reverse

        from baozheng.org.navigation import Hint
        from baozheng.org.permissions import can
        from baozheng.org.roles import Cap, Role
        from baozheng.projects.facts import (
            load_facts,
            missing_report,
            reporting_month,
            visible_projects,
        )

        if not can(user, Cap.VIEW):
            return []
        projects = visible_projects(user)
        if not projects.exists():
            return []
        month = reporting_month()
        hints = []
        if can(user, Cap.ENTER) and user.role == Role.CLERK:
            missing = missing_report(projects, month).count()
            if missing:
                hints.append(
                    Hint(
                        f"{month.label}尚有重点项目未填报月度进展",
                        reverse("projects-list") + "?missing=1",
                        missing,
                    )
                )
        red = sum(f.level == "red" for f in load_facts(projects, month))
        if red:
            hints.append(
                Hint(
                    f"{month.label}重点项目红灯预警",
                    reverse("projects-warnings") + "?level=red",
                    red,
                )
            )
        if user.role == Role.LEADER:
            hints.append(Hint("我的分包项目", reverse("projects-mine"), projects.count()))
        return hints
