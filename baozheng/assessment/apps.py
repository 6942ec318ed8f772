from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    """Composite assessment (综合考评) of counties and departments."""

    name = "baozheng.assessment"
    label = "assessment"
    verbose_name = "综合考评"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from baozheng.assessment import models, providers

        for model in (
            models.Scheme,
            models.SchemeItem,
            models.ManualFigure,
            models.Adjustment,
            models.Run,
            models.RankTargetRecord,
        ):
            auditlog.register(model)
        providers.register_all()

    @property
    def nav(self):
        from baozheng.org.navigation import NavItem
        from baozheng.org.roles import Cap

        return [NavItem("综合考评", "assessment-index", Cap.VIEW, order=70)]

    def home_hints(self, user) -> list:
        from baozheng.assessment.hints import hints

        return hints(user)
