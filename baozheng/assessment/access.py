"""Which assessment run a user may open, built on `baozheng.org.permissions`.

A published run is readable by every viewer; a draft only by dispatch/admin. A run that
does not exist is a 404; a draft asked for by someone else is refused with 403, the
project's one answer for objects the user may not see.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from baozheng.assessment.models import Run
from baozheng.org.permissions import check
from baozheng.org.roles import Cap


def visible_run(request: HttpRequest, pk: int) -> Run:
    run = get_object_or_404(Run.objects.select_related("scheme"), pk=pk)
    if not run.is_published:
        check(request.user, Cap.DISPATCH)
    return run
