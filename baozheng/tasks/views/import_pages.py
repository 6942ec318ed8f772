"""Importing tasks from a spreadsheet: upload, dry run or import, and the row errors."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from baozheng.lib.tabular import ImportFileError
from baozheng.org.permissions import require
from baozheng.org.roles import Cap
from baozheng.tasks.importer import import_tasks
from baozheng.tasks.models import Meeting
from baozheng.tasks.services import today

MAX_IMPORT_BYTES = 5 * 1024 * 1024
RECENT_MEETING_DAYS = 180  # how far back the meeting picker goes


class ImportForm(forms.Form):
    file = forms.FileField(label="督办事项清单（.xlsx 或 .csv）")
    meeting = forms.ModelChoiceField(
        label="作为哪次会议的议定事项（可不选）", queryset=Meeting.objects.none(), required=False
    )
    dry_run = forms.BooleanField(label="只检查，不保存（试导入）", required=False, initial=True)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        recent = today() - timedelta(days=RECENT_MEETING_DAYS)
        self.fields["meeting"].queryset = Meeting.objects.filter(held_on__gte=recent).order_by(
            "-held_on"
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError("文件超过 5 MB")
        return upload


@require(Cap.DISPATCH)
def import_page(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = import_tasks(
                upload.read(),
                upload.name,
                request.user,
                today(),
                meeting=form.cleaned_data["meeting"],
                dry_run=form.cleaned_data["dry_run"],
            )
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            status = 200 if report.ok else 400
    if form.errors:
        status = 400
    return render(request, "tasks/import.html", {"form": form, "report": report}, status=status)
