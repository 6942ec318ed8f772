from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from baozheng.jobs.models import Job, Schedule


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Where administrators find every job, those started by the scheduler included;
    each links to its page (progress, result, retry)."""

    list_display = ["title", "kind", "state", "user", "created_at", "finished_at", "page"]
    list_filter = ["kind", "state"]
    search_fields = ["title"]
    readonly_fields = [f.name for f in Job._meta.fields] + ["joined"]

    @admin.display(description="任务页面")
    def page(self, job: Job) -> str:
        return format_html('<a href="{}">查看</a>', reverse("job", args=[job.pk]))

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Schedule)
class ScheduleAdmin(admin.ModelAdmin):
    list_display = ["name", "next_run", "last_run"]
