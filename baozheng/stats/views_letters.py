"""目标责任书 pages: filing a signed letter (the dispatch office, for units in its scope)
and serving its document to those whose scope holds the unit, and nobody else."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from baozheng.lib.once import once
from baozheng.org.models import Unit
from baozheng.org.permissions import check, require
from baozheng.org.roles import Cap
from baozheng.stats.letters import LetterForm
from baozheng.stats.models import ResponsibilityLetter


@require(Cap.DISPATCH)
@once
def letter_new(request: HttpRequest) -> HttpResponse:
    initial = {}
    unit = Unit.objects.filter(code=request.GET.get("unit", "")).first()
    if unit is not None:
        initial["unit"] = unit
    form = LetterForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        letter = form.save()
        messages.success(request, f"已登记{letter}")
        return redirect(f"{reverse('monitor-unit', args=[letter.unit.code])}#letters")
    return render(request, "stats/letter_form.html", {"form": form})


@require(Cap.VIEW)
def letter_document(request: HttpRequest, pk: int) -> FileResponse:
    letter = get_object_or_404(ResponsibilityLetter.objects.select_related("unit"), pk=pk)
    check(request.user, Cap.VIEW, letter.unit)
    response = FileResponse(letter.document.open("rb"), content_type=letter.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
