"""The data-entry grid (数据填报): one unit, one period, every indicator the user enters.

Saving stores drafts through the statistics workflow; "保存并提交" also submits every
draft and returned line. Approved, submitted and locked lines are read-only here:
approved figures change only through an audited revision (审核 → 修订).
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from baozheng.monitor.context import parse_period, period_choices
from baozheng.monitor.entry_checks import (
    EntryLine,
    check_figures,
    entry_lines,
    indicators_for,
    parse_figure,
)
from baozheng.monitor.progress import collection_period, reporting_units
from baozheng.org.models import Unit
from baozheng.org.permissions import check, primary_unit, require
from baozheng.org.roles import Cap
from baozheng.reporting import rules
from baozheng.reporting.obligations import form_deadline, obligations
from baozheng.reporting.periods import entry_refusal
from baozheng.stats import workflow
from baozheng.stats.models import Status


def entry_units(user) -> list[Unit]:
    """Units in scope that owe a report form: the grid's unit picker."""
    return reporting_units(user)


def _selected_unit(request: HttpRequest, choices: list[Unit]) -> Unit:
    code = request.GET.get("unit")
    if code:
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise Http404("未找到该单位")
        check(request.user, Cap.ENTER, unit)
        return unit
    own = primary_unit(request.user)
    if own is not None and own in choices:
        return own
    if not choices:
        raise PermissionDenied("您的数据范围内没有可填报的单位")
    return choices[0]


def _read_line(line: EntryLine, data) -> tuple[Decimal | None, Decimal | None] | None:
    """The typed figures of one line, or None when a figure is not a number."""
    key = line.indicator.pk
    line.value_text = data.get(f"value-{key}", "").strip()
    line.growth_text = data.get(f"growth-{key}", "").strip()
    try:
        value = parse_figure(line.value_text)
        growth = parse_figure(line.growth_text)
    except ValueError as error:
        line.checked.errors.append(str(error))
        return None
    line.checked = check_figures(
        line.indicator,
        value,
        growth,
        line.previous_value,
        line.previous_growth,
        line.last_year_value,
    )
    return value, growth


@require(Cap.ENTER)
def entry_grid(request: HttpRequest) -> HttpResponse:
    units = entry_units(request.user)
    unit = _selected_unit(request, units)
    period = (
        parse_period(request.GET.get("period"), None)
        if request.GET.get("period")
        else collection_period([unit])
    )
    indicators = indicators_for(request.user, period, unit)
    lines = entry_lines(indicators, unit, period)
    owed = obligations([unit], period, indicators)
    for line in lines:
        line.deadline = form_deadline(owed[(line.indicator.pk, unit.pk)].form, period)
    rules.annotate_lines(lines, unit, period)
    if request.method == "POST":
        saved = _save(request, lines, unit, period)
        if saved is not None:
            return saved
    editable = [line for line in lines if line.editable]
    return render(
        request,
        "monitor/entry.html",
        {
            "unit": unit,
            "units": units,
            "period": period,
            "periods": period_choices(period, period),
            "lines": lines,
            "editable": bool(editable),
            "has_errors": any(line.checked.errors for line in lines),
            "refusal": entry_refusal(period.year, period.month),
            "explanation_limit": rules.EXPLANATION_LIMIT,
        },
    )


def _apply_rules(line: EntryLine, unit: Unit, period, figures, submit: bool, data) -> None:
    """The validation rules on one typed line: on submission an error rule blocks and a
    warning rule needs the line's written explanation; on a draft both only warn."""
    line.explanation = data.get(f"explain-{line.indicator.pk}", "").strip()
    for violation in rules.check(line.indicator, unit, period, *figures):
        if not submit:
            line.checked.warnings.append(violation.text)
        elif violation.is_error:
            line.checked.errors.append(f"{violation.text}（不能提交）")
        elif not line.explanation:
            line.checked.errors.append(f"{violation.text}，请在“说明”中写明原因后提交")
        else:
            line.checked.warnings.append(violation.text)
    if (
        submit
        and line.checked.warnings
        and (problem := rules.explanation_problem(line.explanation))
    ):
        line.checked.errors.append(problem)


def _save(request: HttpRequest, lines: list[EntryLine], unit: Unit, period) -> HttpResponse | None:
    """Save every changed line as a draft (all or nothing), then submit if asked.
    Returns None to show the grid again with the errors."""
    changes = []
    submit = request.POST.get("action") == "submit"
    for line in lines:
        if not line.editable:
            continue
        figures = _read_line(line, request.POST)
        if figures is None or line.checked.errors:
            continue
        if figures != (None, None):
            _apply_rules(line, unit, period, figures, submit, request.POST)
        if line.checked.errors:
            continue
        if figures != line.current() and not (line.observation is None and figures == (None, None)):
            changes.append((line, figures))
    if any(line.checked.errors for line in lines):
        count = sum(1 for line in lines if line.checked.errors)
        messages.error(request, f"有 {count} 项数据未通过校验，未保存任何数据，请按提示修改")
        return None
    try:
        with transaction.atomic():
            # One unit's grid is saved by one request at a time: two requests saving and
            # submitting the same lines row by row in different orders deadlocked on
            # PostgreSQL under month-end load (bench/load.py).
            Unit.objects.select_for_update().filter(pk=unit.pk).first()
            for line, (value, growth) in changes:
                line.observation = workflow.save_draft(
                    request.user, line.indicator, unit, period.year, period.month, value, growth
                )
            submitted = 0
            if submit:
                for line in lines:
                    if line.observation is not None and line.observation.status in (
                        Status.DRAFT,
                        Status.RETURNED,
                    ):
                        workflow.submit(
                            request.user,
                            line.observation,
                            request.POST.get(f"explain-{line.indicator.pk}", ""),
                        )
                        submitted += 1
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
        return None
    for line, _ in changes:
        for warning in line.checked.warnings:
            messages.warning(request, f"{line.indicator.name}：{warning}")
    text = f"已保存 {len(changes)} 项"
    if submit:
        text += f"，已提交审核 {submitted} 项"
    messages.success(request, text)
    return redirect(f"{reverse('monitor-entry')}?unit={unit.code}&period={period.code}")
