"""Setting up a contest (contest staff, Cap.CONTEST within the contest's organising unit):
the contest and its rules, stages, divisions and rubrics, and deleting rows nothing uses.

Which settings lock, and why, is decided in `setup_rules`; these views only show the
reason and refuse the change. Every save goes through the audited models.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db import models, transaction
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from baozheng.contest import setup_rules
from baozheng.contest.access import staff_contest, staff_object
from baozheng.contest.forms import (
    ContestForm,
    DivisionForm,
    RubricForm,
    RubricItemFormSet,
    StageForm,
)
from baozheng.contest.models import (
    Contestant,
    Division,
    Judge,
    Room,
    Rubric,
    Session,
    Stage,
    Topic,
    Venue,
    Zone,
)
from baozheng.contest.views.common import form_page, posted
from baozheng.lib.once import once
from baozheng.lib.races import saved
from baozheng.org.permissions import check, require
from baozheng.org.roles import Cap


@require(Cap.CONTEST)
@once
def contest_create(request: HttpRequest) -> HttpResponse:
    form = ContestForm(posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        check(request.user, Cap.CONTEST, form.cleaned_data["unit"])
        contest = saved(form)
        if contest is not None:
            messages.success(request, f"已新建赛事“{contest.name}”，请继续设置阶段、组别和评分标准")
            return redirect("contest-setup", contest_id=contest.pk)
    return render(
        request,
        "contest/setup_form.html",
        {"form": form, "title": "新建赛事", "back": reverse("contest-index"), "lock": ""},
    )


@require(Cap.CONTEST)
def contest_edit(request: HttpRequest, contest_id: int) -> HttpResponse:
    contest = staff_contest(request, contest_id)
    rules_lock = setup_rules.rules_lock_reason(contest)
    form = ContestForm(posted(request), instance=contest, user=request.user, lock=rules_lock)
    if rules_lock and request.method == "GET":
        messages.warning(request, rules_lock)
    return form_page(
        request,
        form,
        contest=contest,
        title="赛事与规则",
        back=reverse("contest-setup", args=[contest.pk]),
        saved="赛事与规则已保存",
        lock=setup_rules.frozen_reason(contest),
    )


@require(Cap.CONTEST)
def setup(request: HttpRequest, contest_id: int) -> HttpResponse:
    """The setup overview: rules, stages, divisions, rubrics, with forms to add each."""
    contest = staff_contest(request, contest_id)
    return render(
        request,
        "contest/setup.html",
        {
            "contest": contest,
            "rules_lock": setup_rules.rules_lock_reason(contest),
            "stages": contest.stages.annotate(n=Count("divisions")),
            "divisions": contest.divisions.select_related("stage", "rubric").annotate(
                n=Count("contestants")
            ),
            "rubrics": contest.rubrics.prefetch_related("items").order_by("pk"),
            "stage_form": StageForm(contest=contest),
            "division_form": DivisionForm(contest=contest),
        },
    )


@require(Cap.CONTEST)
@once
def stage_edit(
    request: HttpRequest, contest_id: int | None = None, pk: int | None = None
) -> HttpResponse:
    if pk is not None:
        stage, contest = staff_object(request, Stage, pk, "contest")
    else:
        stage, contest = None, staff_contest(request, contest_id)
    form = StageForm(posted(request), instance=stage, contest=contest)
    return form_page(
        request,
        form,
        contest=contest,
        title="比赛阶段",
        back=reverse("contest-setup", args=[contest.pk]),
        saved="比赛阶段已保存",
        lock=setup_rules.frozen_reason(contest),
    )


@require(Cap.CONTEST)
@once
def division_edit(
    request: HttpRequest, contest_id: int | None = None, pk: int | None = None
) -> HttpResponse:
    if pk is not None:
        division, contest = staff_object(request, Division, pk, "contest")
        lock = setup_rules.division_lock_reason(division)
    else:
        division, contest = None, staff_contest(request, contest_id)
        lock = setup_rules.frozen_reason(contest)
    form = DivisionForm(posted(request), instance=division, contest=contest)
    return form_page(
        request,
        form,
        contest=contest,
        title="组别（学科 × 学段）",
        back=reverse("contest-setup", args=[contest.pk]),
        saved="组别已保存",
        lock=lock,
    )


@require(Cap.CONTEST)
@once
def rubric_edit(
    request: HttpRequest, contest_id: int | None = None, pk: int | None = None
) -> HttpResponse:
    """A rubric with its items (a formset): maximum points, step, guidance, order."""
    if pk is not None:
        rubric, contest = staff_object(request, Rubric, pk, "contest")
        lock = setup_rules.rubric_lock_reason(rubric)
    else:
        contest = staff_contest(request, contest_id)
        rubric, lock = Rubric(contest=contest), setup_rules.frozen_reason(contest)
    form = RubricForm(posted(request), instance=rubric, contest=contest)
    items = RubricItemFormSet(posted(request), instance=rubric, prefix="items")
    back = reverse("contest-setup", args=[contest.pk])
    if request.method == "POST":
        if lock:
            messages.error(request, lock)
        elif form.is_valid() and items.is_valid():
            with transaction.atomic():
                items.instance = form.save()
                items.save()
            messages.success(
                request, f"评分标准“{items.instance.name}”已保存（满分 {items.instance.max_total}）"
            )
            return redirect(back)
    return render(
        request,
        "contest/rubric_form.html",
        {
            "contest": contest,
            "form": form,
            "items": items,
            "lock": lock,
            "back": back,
            "rubric": rubric,
        },
    )


def _contestants_with_topic(topic: Topic) -> bool:
    return Contestant.objects.filter(topic=topic).exists()


# What may be deleted: model, path to its contest, and what must not depend on it.
DELETABLE: dict[str, tuple[type[models.Model], str, list[tuple[Callable[[Any], bool], str]]]] = {
    "stage": (Stage, "contest", [(lambda o: o.divisions.exists(), "该阶段下还有组别")]),
    "division": (
        Division,
        "contest",
        [
            (lambda o: o.contestants.exists(), "该组别还有选手"),
            (lambda o: o.sessions.exists(), "该组别还有场次"),
        ],
    ),
    "rubric": (Rubric, "contest", [(lambda o: o.divisions.exists(), "该评分标准正被组别使用")]),
    "zone": (Zone, "contest", [(lambda o: o.venues.exists(), "该赛区还有赛点")]),
    "venue": (
        Venue,
        "zone__contest",
        [
            (lambda o: o.sessions.exists(), "该赛点还有场次"),
            (lambda o: o.classes.exists(), "该赛点还有借班班级"),
        ],
    ),
    "room": (Room, "venue__zone__contest", [(lambda o: o.sessions.exists(), "该教室还有场次")]),
    "session": (
        Session,
        "venue__zone__contest",
        [
            (lambda o: o.contestants.exists(), "该场次已安排选手"),
            (lambda o: o.sheets.exists(), "该场次已有评分表"),
            (lambda o: o.draws.exists(), "该场次已有抽签记录"),
        ],
    ),
    "topic": (Topic, "contest", [(_contestants_with_topic, "该课题已抽给选手")]),
    "judge": (
        Judge,
        "contest",
        [
            (lambda o: o.sheets.exists(), "该评委已提交评分表"),
            (lambda o: o.seats.exists(), "该评委已被分配到场次（可在场次页撤下）"),
        ],
    ),
}


@require(Cap.CONTEST)
@require_POST
def delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Delete a setup row only when nothing depends on it, so a delete never cascades into
    sessions, contestants or scores."""
    if kind not in DELETABLE:
        raise Http404("没有这类设置")
    model, contest_field, uses = DELETABLE[kind]
    obj, contest = staff_object(request, model, pk, contest_field)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("contest-setup", args=[contest.pk])
    reasons = [message for used, message in uses if used(obj)]
    frozen = setup_rules.frozen_reason(contest)
    if frozen or reasons:
        messages.error(request, f"不能删除“{obj}”：{frozen or '；'.join(reasons)}")
    else:
        obj.delete()
        messages.success(request, f"已删除{model._meta.verbose_name}“{obj}”")
    return redirect(back)
