"""Which project a user may open or edit, built on `baozheng.org.permissions` and the
scope rules in `projects.facts` (`can_see`, `can_edit`).

Each helper fetches one project (404 when it does not exist) and refuses with 403 when it
lies outside the user's scope, the project's one answer for out-of-scope objects.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from baozheng.org.permissions import check
from baozheng.org.roles import Cap
from baozheng.projects.facts import can_edit, can_see
from baozheng.projects.models import Project


def visible_project(request: HttpRequest, pk: int) -> Project:
    """A project the user may read (Cap.VIEW and `facts.can_see`)."""
    project = get_object_or_404(
        Project.objects.select_related("county", "department", "lead_unit", "leader"), pk=pk
    )
    check(request.user, Cap.VIEW)
    if not can_see(request.user, project):
        raise PermissionDenied("您没有权限查看该项目")
    return project


def editable_project(request: HttpRequest, pk: int) -> Project:
    """A project the user may report on and edit (`facts.can_edit`)."""
    project = get_object_or_404(Project.objects.select_related("county", "lead_unit"), pk=pk)
    if not can_edit(request.user, project):
        raise PermissionDenied("您没有权限填报该项目")
    return project
