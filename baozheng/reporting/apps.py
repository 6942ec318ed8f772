from django.apps import AppConfig


class ReportingConfig(AppConfig):
    """The reporting system (报表制度): forms, obligations, periods, releases, rules."""

    name = "baozheng.reporting"
    label = "reporting"
    # `baozheng import` kinds this app answers for: kind → (importer, what it imports).
    import_kinds = {"forms": ("baozheng.reporting.importer.import_forms", "报表及指派")}
    verbose_name = "报表制度"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from baozheng.reporting import models

        for model in (
            models.ReportForm,
            models.FormAssignment,
            models.FormStep,
            models.ReportingPeriod,
            models.CorrectionRequest,
            models.CorrectionDecision,
            models.ValidationRule,
        ):
            auditlog.register(model)
        auditlog.register(models.Release, exclude_fields=["xlsx", "docx", "data"])

    @property
    def nav(self):
        from baozheng.org.navigation import NavItem
        from baozheng.org.roles import Cap

        return [
            NavItem("报表与报告期", "reporting-periods", Cap.VIEW, order=27, group="monitor"),
        ]
