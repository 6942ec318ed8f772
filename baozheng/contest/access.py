"""Which contest objects a staff member may open, built on `baozheng.org.permissions`.

Contest staff (Cap.CONTEST) act on a contest, and everything in it, only when its
organising unit lies in their scope. Each helper fetches one object (404 when it does
not exist) and refuses with 403 when it lies outside the user's scope, the project's
one answer for out-of-scope objects.
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from django.db import models
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from baozheng.contest.models import Contest, Session, Venue
from baozheng.org.permissions import check
from baozheng.org.roles import Cap


def staff_contest(request: HttpRequest, contest_id: int) -> Contest:
    contest = get_object_or_404(Contest, pk=contest_id)
    check(request.user, Cap.CONTEST, contest.unit)
    return contest


def staff_session(request: HttpRequest, session_id: int) -> Session:
    session = get_object_or_404(
        Session.objects.select_related("venue__zone__contest__unit", "division", "room"),
        pk=session_id,
    )
    check(request.user, Cap.CONTEST, session.venue.zone.contest.unit)
    return session


def staff_venue(request: HttpRequest, venue_id: int) -> Venue:
    venue = get_object_or_404(
        Venue.objects.select_related("zone__contest__unit", "head"), pk=venue_id
    )
    check(request.user, Cap.CONTEST, venue.zone.contest.unit)
    return venue


def staff_object(
    request: HttpRequest, model: type[models.Model], pk: int, contest_field: str
) -> tuple[Any, Contest]:
    """A row of some contest, after checking the user may set up that contest."""
    obj = get_object_or_404(model.objects.select_related(f"{contest_field}__unit"), pk=pk)
    contest = attrgetter(contest_field.replace("__", "."))(obj)
    check(request.user, Cap.CONTEST, contest.unit)
    return obj, contest
