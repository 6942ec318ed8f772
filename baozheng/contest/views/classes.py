"""The venue's borrowed classes (借班班级): list, add by form, import from a file."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from baozheng.contest import setup_rules
from baozheng.contest.access import staff_venue
from baozheng.contest.classes import CLASS_COLUMNS, TeachingClassForm, import_classes
from baozheng.contest.forms import ImportForm
from baozheng.lib.races import saved
from baozheng.lib.tabular import ImportFileError, ImportReport
from baozheng.org.permissions import require
from baozheng.org.roles import Cap


@require(Cap.CONTEST)
def classes(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = staff_venue(request, venue_id)
    contest = venue.zone.contest
    report: ImportReport | None = None
    import_form = ImportForm()
    adding = request.method == "POST" and request.POST.get("form") == "add"
    form = TeachingClassForm(request.POST if adding else None, venue=venue)
    if request.method == "POST":
        lock = setup_rules.frozen_reason(contest)
        if lock:
            messages.error(request, lock)
            return redirect(request.path)
        if adding and form.is_valid() and (stored := saved(form)) is not None:
            messages.success(request, f"已登记 {stored}")
            return redirect(request.path)
        if request.POST.get("form") == "import":
            import_form = ImportForm(request.POST, request.FILES)
            if import_form.is_valid():
                upload = import_form.cleaned_data["file"]
                try:
                    report = import_classes(
                        venue,
                        upload.read(),
                        upload.name,
                        dry_run=import_form.cleaned_data["dry_run"],
                        user=request.user,
                    )
                except ImportFileError as exc:
                    messages.error(request, str(exc))
    return render(
        request,
        "contest/classes.html",
        {
            "venue": venue,
            "contest": contest,
            "classes": venue.classes.select_related("school").order_by(
                "school_stage", "grade", "school__path", "name"
            ),
            "form": form,
            "import_form": import_form,
            "report": report,
            "columns": CLASS_COLUMNS,
        },
    )
