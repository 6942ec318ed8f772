from django.apps import AppConfig


class ContestConfig(AppConfig):
    """The teacher teaching contest (十万教师课堂教学大比武)."""

    name = "baozheng.contest"
    label = "contest"
    verbose_name = "教学大比武"
