from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    """Composite assessment (综合考评) of counties and departments."""

    name = "baozheng.assessment"
    label = "assessment"
    verbose_name = "综合考评"
