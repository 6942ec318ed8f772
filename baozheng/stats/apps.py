from django.apps import AppConfig
from django.db.models.signals import post_migrate


def install_references(using: str, **kwargs) -> None:
    """The per-statement reference checks (`baozheng.lib.references`), after every migrate."""
    from django.db import connections

    from baozheng.lib.references import install
    from baozheng.stats.models import REFERENCES

    install(connections[using], REFERENCES)


class StatsConfig(AppConfig):
    """Indicators, observations, targets, imports and the bulletin (docs/rules.md §2–§3, §11)."""

    name = "baozheng.stats"
    label = "stats"
    verbose_name = "统计指标"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        post_migrate.connect(install_references, sender=self)

        from baozheng.stats.models import (
            ImportBatch,
            Indicator,
            LightRule,
            Observation,
            ResponsibilityLetter,
            Target,
        )

        # Observations are audited through their own revision rows and import batches;
        # the registry still records edits made one by one (forms, admin).
        auditlog.register(Indicator)
        auditlog.register(Target)
        auditlog.register(Observation, exclude_fields=["updated_at"])
        auditlog.register(ImportBatch)
        auditlog.register(LightRule, exclude_fields=["updated_at"])
        auditlog.register(ResponsibilityLetter, m2m_fields={"targets"})
        # TargetRevision rows are themselves the history of targets; no second log.

    @property
    def nav(self):
        from baozheng.org.navigation import NavItem
        from baozheng.org.roles import Cap

        return [
            NavItem("数据导入", "stats-import", Cap.ENTER, order=26, group="monitor"),
            NavItem("亮灯规则", "stats-light-rules", Cap.MANAGE, order=28, group="monitor"),
        ]
