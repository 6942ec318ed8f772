"""Setting up where a contest happens: zones (赛区), venues (赛点) with their head, rooms
(教室) and sessions (场次: a room, a date, a time slot, one division)."""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from baozheng.contest import setup_rules
from baozheng.contest.access import staff_contest, staff_object, staff_venue
from baozheng.contest.forms import RoomForm, SessionForm, VenueForm, ZoneForm
from baozheng.contest.models import Room, Session, Venue, Zone
from baozheng.contest.views.common import form_page, posted
from baozheng.lib.once import once
from baozheng.org.permissions import require
from baozheng.org.roles import Cap


@require(Cap.CONTEST)
def sites(request: HttpRequest, contest_id: int) -> HttpResponse:
    contest = staff_contest(request, contest_id)
    venues = (
        Venue.objects.filter(zone__contest=contest)
        .select_related("zone", "head")
        .annotate(
            rooms_n=Count("rooms", distinct=True), sessions_n=Count("sessions", distinct=True)
        )
    )
    return render(
        request,
        "contest/sites.html",
        {
            "contest": contest,
            "zones": contest.zones.annotate(n=Count("venues")),
            "venues": venues,
            "zone_form": ZoneForm(contest=contest),
            "venue_form": VenueForm(contest=contest),
        },
    )


@require(Cap.CONTEST)
@once
def zone_edit(
    request: HttpRequest, contest_id: int | None = None, pk: int | None = None
) -> HttpResponse:
    if pk is not None:
        zone, contest = staff_object(request, Zone, pk, "contest")
    else:
        zone, contest = None, staff_contest(request, contest_id)
    form = ZoneForm(posted(request), instance=zone, contest=contest)
    return form_page(
        request,
        form,
        contest=contest,
        title="赛区",
        back=reverse("contest-sites", args=[contest.pk]),
        saved="赛区已保存",
        lock=setup_rules.frozen_reason(contest),
    )


@require(Cap.CONTEST)
@once
def venue_add(request: HttpRequest, contest_id: int) -> HttpResponse:
    contest = staff_contest(request, contest_id)
    form = VenueForm(posted(request), contest=contest)
    return form_page(
        request,
        form,
        contest=contest,
        title="新建赛点",
        back=reverse("contest-sites", args=[contest.pk]),
        saved="赛点已保存，可在赛点设置中添加教室和场次",
        lock=setup_rules.frozen_reason(contest),
    )


@require(Cap.CONTEST)
def venue_setup(request: HttpRequest, venue_id: int) -> HttpResponse:
    """A venue's details and head, its rooms and its sessions."""
    venue = staff_venue(request, venue_id)
    contest = venue.zone.contest
    form = VenueForm(posted(request), instance=venue, contest=contest)
    if request.method == "POST":
        return form_page(
            request,
            form,
            contest=contest,
            title="赛点",
            back=reverse("contest-venue-setup", args=[venue.pk]),
            saved="赛点已保存",
            lock=setup_rules.frozen_reason(contest),
        )
    return render(
        request,
        "contest/venue_setup.html",
        {
            "venue": venue,
            "contest": contest,
            "form": form,
            "rooms": venue.rooms.annotate(n=Count("sessions")),
            "sessions": venue.sessions.select_related("room", "division__stage").annotate(
                n=Count("contestants")
            ),
            "room_form": RoomForm(),
            "session_form": SessionForm(venue=venue),
        },
    )


@require(Cap.CONTEST)
@once
def room_edit(
    request: HttpRequest, venue_id: int | None = None, pk: int | None = None
) -> HttpResponse:
    if pk is not None:
        room, contest = staff_object(request, Room, pk, "venue__zone__contest")
        venue = room.venue
    else:
        venue = staff_venue(request, venue_id)
        room, contest = Room(venue=venue), venue.zone.contest
    return form_page(
        request,
        RoomForm(posted(request), instance=room),
        contest=contest,
        title=f"{venue.name} · 教室",
        back=reverse("contest-venue-setup", args=[venue.pk]),
        saved="教室已保存",
        lock=setup_rules.frozen_reason(contest),
    )


@require(Cap.CONTEST)
@once
def session_edit(
    request: HttpRequest, venue_id: int | None = None, pk: int | None = None
) -> HttpResponse:
    if pk is not None:
        session, contest = staff_object(request, Session, pk, "venue__zone__contest")
        venue = session.venue
        division_lock = setup_rules.SESSION_LOCKED if session.sheets.exists() else ""
    else:
        venue = staff_venue(request, venue_id)
        session, contest, division_lock = None, venue.zone.contest, ""
    form = SessionForm(posted(request), instance=session, venue=venue, lock=division_lock)
    return form_page(
        request,
        form,
        contest=contest,
        title=f"{venue.name} · 场次",
        back=reverse("contest-venue-setup", args=[venue.pk]),
        saved="场次已保存",
        lock=setup_rules.frozen_reason(contest),
    )
