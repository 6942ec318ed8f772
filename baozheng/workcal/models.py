from django.db import models


class CalendarDay(models.Model):
    """An administrator's entry for one day: a statutory holiday (is_workday=False) or a
    make-up working day on a weekend (True). Entries win over the packaged calendar, and a
    year with any entry counts as covered, so the administrator enters a whole year's
    holidays and make-up days at once when the State Council publishes them."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否工作日", help_text="节假日不勾选；周末调休上班勾选")
    name = models.CharField("说明", max_length=40, blank=True, help_text="如：春节、国庆节调休")

    class Meta:
        verbose_name = "节假日/调休"
        verbose_name_plural = "节假日/调休"
        ordering = ["date"]

    def __str__(self) -> str:
        kind = "调休上班" if self.is_workday else "放假"
        return f"{self.date:%Y-%m-%d} {self.name or kind}"
