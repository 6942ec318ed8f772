"""The scheme editor: the scheme's header and its items on one page, with a live preview of the
results on real data (htmx posts the unsaved form to `preview`, which computes without
writing). A scheme version that has a published run is frozen: it opens read-only and offers
"save as a new version"."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from baozheng.assessment import methods, services, sources
from baozheng.assessment.forms import ItemFormSet, SchemeForm, period_from
from baozheng.assessment.models import Run, Scheme, SchemeItem
from baozheng.assessment.periods import END_MONTHS, AssessmentPeriod, PeriodError
from baozheng.lib.once import once
from baozheng.lib.races import saved
from baozheng.org.permissions import require
from baozheng.org.roles import Cap


def _default_period(scheme: Scheme) -> str:
    """The period of the scheme's latest run, else the last period that has ended."""
    run = (
        Run.objects.filter(scheme__code=scheme.code)
        .order_by("-period_year", "-period_month")
        .first()
    )
    if run is not None:
        return run.period.key
    today = date.today()
    kind = scheme.period_kind or "quarter"
    ended = [m for m in END_MONTHS[kind] if m < today.month]
    if ended:
        return AssessmentPeriod(today.year, ended[-1], kind).key
    return AssessmentPeriod(today.year - 1, 12, kind).key


def _editor(
    request: HttpRequest, scheme: Scheme, form: SchemeForm, formset, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "assessment/editor.html",
        {
            "scheme": scheme,
            "form": form,
            "formset": formset,
            "frozen": scheme.is_frozen,
            "period": request.POST.get("preview_period") or _default_period(scheme),
            "methods": methods.METHODS,
            "sources": sources.SOURCES,
        },
        status=status,
    )


@require(Cap.DISPATCH)
@once
def edit_scheme(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    scheme = get_object_or_404(Scheme, pk=pk) if pk else Scheme(period_kind="quarter")
    if request.method != "POST" or scheme.is_frozen:
        return _editor(request, scheme, SchemeForm(instance=scheme), ItemFormSet(instance=scheme))
    form = SchemeForm(request.POST, instance=scheme)
    formset = ItemFormSet(request.POST, instance=scheme)
    if not (form.is_valid() and formset.is_valid()):
        return _editor(request, scheme, form, formset, status=400)
    if not scheme.pk:
        form.instance.created_by = request.user
    stored = saved(form, lambda: _save_with_items(form, formset))
    if stored is None:
        return _editor(request, scheme, form, formset, status=400)
    messages.success(request, f"已保存{stored}")
    return redirect("assessment-scheme-edit", pk=stored.pk)


def _save_with_items(form: SchemeForm, formset) -> Scheme:
    stored = form.save()
    formset.instance = stored
    formset.save()
    return stored


@require(Cap.DISPATCH)
@require_POST
@once
def new_version(request: HttpRequest, pk: int) -> HttpResponse:
    copy = services.new_version(get_object_or_404(Scheme, pk=pk), request.user)
    messages.success(request, f"已另存为第{copy.version}版，可修改后重新计算")
    return redirect("assessment-scheme-edit", pk=copy.pk)


@require(Cap.DISPATCH)
@require_POST
def preview(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Compute the edited (unsaved) scheme on real data and return the results fragment."""
    base = get_object_or_404(Scheme, pk=pk) if pk else Scheme()
    form = SchemeForm(request.POST, instance=base)
    formset = ItemFormSet(request.POST, instance=base)
    context: dict = {"errors": []}
    if not (form.is_valid() and formset.is_valid()):
        context["errors"] = ["请先改正表单中的错误"] + [str(e) for e in formset.non_form_errors()]
        return render(request, "assessment/_preview.html", context)
    scheme = form.save(commit=False)
    items = [
        SchemeItem(
            scheme=scheme,
            **{k: v for k, v in f.cleaned_data.items() if k not in ("id", "DELETE", "scheme")},
        )
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]
    try:
        period = period_from(request.POST.get("preview_period", ""), scheme.period_kind)
        computed = services.compute(scheme, period, sorted(items, key=lambda i: i.order))
    except PeriodError as exc:
        context["errors"] = [str(exc)]
        return render(request, "assessment/_preview.html", context)
    except ValidationError as exc:  # the period text
        context["errors"] = list(exc.messages)
        return render(request, "assessment/_preview.html", context)
    context.update(computed=computed, errors=computed.errors)
    return render(request, "assessment/_preview.html", context)
