"""Administration of the headline list and the push channels (no page of their own)."""

from django.contrib import admin

from baozheng.headline.models import DisplayLink, HeadlineIndicator, PushChannel, PushDelivery


@admin.register(HeadlineIndicator)
class HeadlineIndicatorAdmin(admin.ModelAdmin):
    list_display = ["indicator", "order"]
    list_editable = ["order"]


@admin.register(PushChannel)
class PushChannelAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "unit", "active"]
    list_filter = ["kind", "active"]
    autocomplete_fields = ["unit"]


@admin.register(PushDelivery)
class PushDeliveryAdmin(admin.ModelAdmin):
    list_display = ["channel", "period", "parent", "version", "claimed_at", "sent_at"]
    readonly_fields = ["channel", "period", "parent", "version", "claimed_at", "sent_at"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(DisplayLink)
class DisplayLinkAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "created_at", "revoked_at"]
    autocomplete_fields = ["unit"]
