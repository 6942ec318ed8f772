from __future__ import annotations

from urllib.parse import quote

from axes.models import AccessAttempt, AccessLog
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from baozheng.org import audit as audit_trail
from baozheng.org.models import Unit
from baozheng.org.navigation import hints_for
from baozheng.org.permissions import can, primary_unit, require, visible_units
from baozheng.org.roles import ROLE_DUTIES, Cap, Role
from baozheng.workcal.calendar import coverage_warning


class Login(auth_views.LoginView):
    """Django's login page, headed with the name of the unit that runs this installation
    (its home unit), so that every city sees its own name there and no city's is written
    into the template."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            context["installation"] = Unit.objects.home().name
        except Unit.DoesNotExist:  # a new installation before its units are imported
            context["installation"] = ""
        return context


@login_required
def landing(request: HttpRequest) -> HttpResponse:
    """Where a login ends: leaders and the dispatch office on the headline page (要览),
    everyone else on the home page with their to-dos."""
    if request.user.role in (Role.LEADER, Role.DISPATCH):
        return redirect("headline")
    return redirect("home")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role == Role.LEADER:  # a leader's `/` is the headline; dispatch keeps its to-dos
        return redirect("headline")
    return render(
        request,
        "org/home.html",
        {
            "duty": ROLE_DUTIES.get(user.role, ""),
            "hints": hints_for(user),
            "unit": primary_unit(user),
            "scope": list(user.scope.all()),
            "calendar_warning": coverage_warning(),
            "may_confirm_calendar": can(user, Cap.MANAGE),
        },
    )


@require(Cap.VIEW)
def units(request: HttpRequest) -> HttpResponse:
    rows = visible_units(request.user).select_related("peer_group", "parent")
    return render(request, "org/units.html", {"units": rows})


@require(Cap.MANAGE)
def audit(request: HttpRequest) -> HttpResponse:
    """Who changed what (old → new) and who logged in, newest first, with filters."""
    kind = request.GET.get("kind", "changes")
    filters: dict[str, str] = {}
    if kind == "logins":
        queryset = AccessLog.objects.order_by("-attempt_time")
    elif kind == "failures":
        queryset = AccessAttempt.objects.order_by("-attempt_time")
    else:
        kind = "changes"
        queryset, filters = audit_trail.filter_entries(request.GET, request.user)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    rows = [audit_trail.audit_row(e) for e in page] if kind == "changes" else list(page)
    query = "&".join(f"{k}={quote(v)}" for k, v in {"kind": kind, **filters}.items() if v)
    return render(
        request,
        "org/audit.html",
        {
            "page": page,
            "rows": rows,
            "kind": kind,
            "filters": filters,
            "query": query,
            "types": audit_trail.type_choices() if kind == "changes" else [],
            "units": audit_trail.unit_choices(request.user) if kind == "changes" else [],
        },
    )
