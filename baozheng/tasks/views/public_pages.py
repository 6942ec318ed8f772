"""The public green-channel pages: an enterprise submits a request without an account and
checks its status with the receipt code. Nothing of any other enterprise is ever shown:
the status page needs both the receipt code and the enterprise's own credit code."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from baozheng.tasks import green_channel as green
from baozheng.tasks import public
from baozheng.tasks.forms import PublicRequestForm, RatingForm, ReceiptForm
from baozheng.tasks.green_channel import rate_by_enterprise
from baozheng.tasks.models import Channel, Enterprise, RequestStatus, ServiceRequest
from baozheng.tasks.services import LifecycleError


@never_cache
def submit(request: HttpRequest) -> HttpResponse:
    address = public.client_address(request)
    if request.method != "POST":
        form = PublicRequestForm(initial={"token": public.form_token()})
        return render(request, "tasks/public_form.html", {"form": form})
    form = PublicRequestForm(request.POST)
    refusal = _refusal(request, address)
    if refusal:
        form = PublicRequestForm(request.POST)
        form.is_valid()
        form.add_error(None, refusal)
        return _again(request, form, status=429 if "频繁" in refusal else 400)
    if not form.is_valid():
        return _again(request, form, status=400)
    data = form.cleaned_data
    # Keyed on the unique credit code: two people of one new enterprise submitting at once
    # (or a clerk registering it meanwhile) find one enterprise, never a server error.
    enterprise, _ = Enterprise.objects.get_or_create(
        credit_code=data["credit_code"],
        defaults={"name": data["name"], "county": data["county"], "self_registered": True},
    )
    req = green.receive(
        enterprise,
        category=data["category"],
        description=data["description"],
        channel=Channel.PUBLIC,
        contact_name=data["contact_name"],
        contact_phone=data["contact_phone"],
        submitted_from=address,
    )
    return render(
        request, "tasks/public_done.html", {"req": req, "deadlines": green.deadlines(req)}
    )


def _refusal(request: HttpRequest, address: str) -> str | None:
    if request.POST.get("website"):
        return "提交未通过校验，请刷新页面后重新填写"
    problem = public.token_problem(request.POST.get("token", ""))
    if problem:
        return problem
    if public.rate_limited(address):
        return "提交过于频繁，请一小时后再试，或拨打营商环境服务热线"
    return None


def _again(request: HttpRequest, form: PublicRequestForm, status: int) -> HttpResponse:
    data = form.data.copy()
    data["token"] = public.form_token()
    data["website"] = ""
    form.data = data
    return render(request, "tasks/public_form.html", {"form": form}, status=status)


@never_cache
def status(request: HttpRequest) -> HttpResponse:
    """Progress of one request, for whoever holds its receipt code and its enterprise's
    credit code; once resolved, the enterprise rates the handling here."""
    form = ReceiptForm(request.POST or None)
    req = None
    rating = None
    if request.method == "POST" and form.is_valid():
        req = (
            ServiceRequest.objects.select_related("enterprise", "department")
            .filter(
                receipt_code=form.cleaned_data["receipt_code"].strip().upper(),
                enterprise__credit_code=form.cleaned_data["credit_code"].strip().upper(),
            )
            .first()
        )
        if req is None:
            form.add_error(None, "没有找到该诉求，请核对回执码和统一社会信用代码")
        elif "satisfaction" in request.POST:
            rating = RatingForm(request.POST)
            if rating.is_valid():
                try:
                    req = rate_by_enterprise(
                        req, rating.cleaned_data["satisfaction"], rating.cleaned_data["comment"]
                    )
                except LifecycleError as error:
                    rating.add_error(None, str(error))
                else:
                    rating = None
    if req is not None and req.status == RequestStatus.RESOLVED and rating is None:
        rating = RatingForm()
    return render(
        request,
        "tasks/public_status.html",
        {"form": form, "req": req, "rating": rating},
        status=400 if rating is not None and rating.errors else 200,
    )
