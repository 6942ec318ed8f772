from django.contrib import admin

from baozheng.workcal.calendar import clear_cache
from baozheng.workcal.models import CalendarDay


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "name"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        clear_cache()

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        clear_cache()
