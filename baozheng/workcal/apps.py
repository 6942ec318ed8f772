from django.apps import AppConfig


class WorkcalConfig(AppConfig):
    """The working-day calendar every deadline in the product is counted on."""

    name = "baozheng.workcal"
    label = "workcal"
    verbose_name = "工作日历"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from baozheng.workcal.models import CalendarDay, CalendarYear

        auditlog.register(CalendarDay)
        auditlog.register(CalendarYear)
