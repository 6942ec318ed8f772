from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from baozheng.org.models import PeerGroup, Unit, User

admin.site.site_header = "保争目标调度平台 · 管理后台"
admin.site.site_title = "保争管理后台"
admin.site.index_title = "数据维护"


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "peer_group"]
    list_filter = ["kind", "peer_group"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]


@admin.register(PeerGroup)
class PeerGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "parent", "partitions", "order"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "role", "unit", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "full_name"]
    filter_horizontal = ["scope", "groups", "user_permissions"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("角色与数据范围", {"fields": ("role", "full_name", "unit", "scope", "phone")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        ("角色与数据范围", {"fields": ("role", "full_name", "unit", "scope")}),
    )
