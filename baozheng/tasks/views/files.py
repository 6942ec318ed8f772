"""Downloading a task's attachments, with the task's own scope (lib/uploads.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from baozheng.lib.uploads import serve_upload
from baozheng.org.permissions import require
from baozheng.org.roles import Cap
from baozheng.tasks.access import visible_task
from baozheng.tasks.models import TaskProgress


@require(Cap.VIEW)
def closure_file(request: HttpRequest, pk: int) -> HttpResponse:
    return serve_upload(request, visible_task(request.user, pk).closure_file)


@require(Cap.VIEW)
def progress_file(request: HttpRequest, pk: int, progress_pk: int) -> HttpResponse:
    task = visible_task(request.user, pk)
    return serve_upload(
        request, get_object_or_404(TaskProgress, pk=progress_pk, task=task).attachment
    )
