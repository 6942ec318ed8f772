from django.apps import AppConfig


class ContestConfig(AppConfig):
    """The teacher teaching contest (十万教师课堂教学大比武)."""

    name = "baozheng.contest"
    label = "contest"
    verbose_name = "教学大比武"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from baozheng.contest import models

        for model in (
            models.Contest,
            models.Stage,
            models.Division,
            models.Rubric,
            models.RubricItem,
            models.Zone,
            models.Venue,
            models.Session,
            models.Contestant,
            models.Judge,
            models.PanelSeat,
            models.JudgeAbsence,
            models.ScoreSheet,
            models.ScoreLine,
            models.Correction,
            models.PaperEntry,
            models.Draw,
            models.Notice,
            models.Objection,
            models.ResultSnapshot,
            models.Topic,
            models.TeachingClass,
            models.SchoolTeachers,
        ):
            auditlog.register(
                model,
                exclude_fields=["version"] if model is models.Venue else None,
                m2m_fields={"divisions"} if model is models.Notice else None,
            )

    @property
    def nav(self):
        from baozheng.org.navigation import NavItem
        from baozheng.org.roles import Cap

        return [
            NavItem("大比武", "contest-index", Cap.CONTEST, order=60),
            NavItem("我的评分", "contest-my-sessions", Cap.SCORE, order=61),
        ]

    def home_hints(self, user) -> list:
        from baozheng.contest.hints import hints

        return hints(user)
