from django.contrib import admin

from baozheng.documents.models import DocumentSettings


@admin.register(DocumentSettings)
class DocumentSettingsAdmin(admin.ModelAdmin):
    list_display = ("doc_type", "issuer", "style", "number_pattern", "recipients", "signed")
