from django.contrib import admin

from baozheng.reporting.models import (
    CorrectionRequest,
    FormAssignment,
    ReportForm,
    ReportingPeriod,
    ValidationRule,
)


class AssignmentInline(admin.TabularInline):
    model = FormAssignment
    extra = 1
    autocomplete_fields = ["unit"]


@admin.register(ReportForm)
class ReportFormAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "frequency", "deadline_kind", "deadline_value"]
    filter_horizontal = ["indicators"]
    inlines = [AssignmentInline]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["year", "month", "state", "opened_at", "closed_at", "released_at"]
    readonly_fields = ["state", "opened_at", "closed_at", "released_at", "changed_by"]


@admin.register(ValidationRule)
class ValidationRuleAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "indicator", "parameter", "severity", "active"]


@admin.register(CorrectionRequest)
class CorrectionRequestAdmin(admin.ModelAdmin):
    list_display = ["unit", "indicator", "year", "month", "state", "requested_by"]
    readonly_fields = [f.name for f in CorrectionRequest._meta.fields]
