"""Administration of what has no page of its own: reminder contacts, supervision-group
membership, changes to a meeting series (chair, standing attendees, stopping it), and the
reminder log (read-only)."""

from django.contrib import admin

from baozheng.tasks.models import (
    Contact,
    Enterprise,
    Meeting,
    MeetingSeries,
    Reminder,
    SupervisionGroup,
)


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["unit", "role", "name", "email", "webhook_kind"]
    list_filter = ["role", "webhook_kind"]
    autocomplete_fields = ["unit"]


@admin.register(SupervisionGroup)
class SupervisionGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "leader_name", "order"]
    filter_horizontal = ["counties", "members"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["held_on", "kind", "title", "chair", "state", "series"]
    list_filter = ["kind", "state"]


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "chair", "started_on", "active"]
    list_filter = ["kind", "active"]
    filter_horizontal = ["standing_units"]


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["credit_code", "name", "county", "above_scale", "cadre_name", "self_registered"]
    list_filter = ["above_scale", "self_registered"]
    search_fields = ["credit_code", "name"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["task", "light", "channel", "recipient", "deadline", "sent_at"]
    list_filter = ["light", "channel"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
