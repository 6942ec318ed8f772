from django.conf import settings
from django.db import models


class CalendarDay(models.Model):
    """An administrator's entry for one day: a statutory holiday (is_workday=False) or a
    make-up working day on a weekend (True). Entries win over the packaged calendar for
    their day. Entering days does not make a year complete: only a `CalendarYear`
    confirmation does, because one entered holiday says nothing about the others."""

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


class CalendarYear(models.Model):
    """The administrator's confirmation that a year the packaged calendar does not know is
    complete: every holiday and make-up day of the State Council's notice has been entered.
    Until then deadlines of that year are counted on weekends plus the entered days, and
    every page that shows them says so."""

    year = models.PositiveIntegerField("年度", unique=True)
    notice = models.CharField(
        "依据", max_length=120, help_text="如：国务院办公厅关于2027年部分节假日安排的通知"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name="确认人"
    )
    confirmed_at = models.DateTimeField("确认时间", auto_now_add=True)

    class Meta:
        verbose_name = "节假日安排确认"
        verbose_name_plural = "节假日安排确认"
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}年节假日安排已确认完整"
