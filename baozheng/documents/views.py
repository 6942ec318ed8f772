"""公文设置: the city's administrator sets, per document type, who issues it and to whom."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from baozheng.documents import pdf
from baozheng.documents.forms import DocumentSettingsForm
from baozheng.documents.models import DocType, DocumentSettings
from baozheng.lib.races import saved
from baozheng.org.models import Unit
from baozheng.org.permissions import in_scope, require
from baozheng.org.roles import Cap


@require(Cap.MANAGE)
def settings_page(request: HttpRequest) -> HttpResponse:
    """Documents speak for the whole installation: only a manager whose scope holds the
    home unit may change them."""
    if not in_scope(request.user, Unit.objects.home()):
        raise PermissionDenied("只有市级管理员可以修改公文设置")
    chosen = request.POST.get("doc_type", "")
    forms = []
    for value, label in DocType.choices:
        instance = DocumentSettings.objects.filter(doc_type=value).first() or DocumentSettings(
            doc_type=value
        )
        bound = request.method == "POST" and chosen == value
        form = DocumentSettingsForm(
            request.POST if bound else None, instance=instance, prefix=value
        )
        if bound and form.is_valid() and saved(form) is not None:
            messages.success(request, f"已保存“{label}”的公文设置")
            return redirect("documents-settings")
        forms.append((value, label, form))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "documents/settings.html",
        {"forms": forms, "pdf_available": pdf.available()},
        status=status,
    )
