"""Setting up a contest's topic bank (题库), its judges (评委) and the schools' teacher
headcounts used by the roll-up, each by a form or by importing a file (`setup_imports`)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from baozheng.contest import setup_rules
from baozheng.contest.access import staff_contest, staff_object
from baozheng.contest.forms import (
    ImportForm,
    JudgeForm,
    SchoolTeachersForm,
    TopicForm,
    contest_units,
)
from baozheng.contest.models import Contest, Judge, SchoolTeachers, Topic
from baozheng.contest.setup_imports import IMPORTERS, JUDGE_COLUMNS, TEACHER_COLUMNS, TOPIC_COLUMNS
from baozheng.contest.views.common import form_page, posted
from baozheng.lib.bounds import id_param
from baozheng.lib.races import saved
from baozheng.lib.tabular import ImportFileError, ImportReport
from baozheng.org.models import UnitKind
from baozheng.org.permissions import require
from baozheng.org.roles import Cap


def list_page(
    request: HttpRequest, contest: Contest, what: str, add_form, template: str, context: dict
) -> HttpResponse:
    """A list page with an add form and an import form; POST `form=add` or `form=import`."""
    report: ImportReport | None = None
    import_form = ImportForm()
    if request.method == "POST":
        lock = setup_rules.frozen_reason(contest)
        if lock:
            messages.error(request, lock)
            return redirect(request.path)
        if request.POST.get("form") == "import":
            import_form = ImportForm(request.POST, request.FILES)
            if import_form.is_valid():
                upload = import_form.cleaned_data["file"]
                try:
                    report = IMPORTERS[what](
                        contest,
                        upload.read(),
                        upload.name,
                        dry_run=import_form.cleaned_data["dry_run"],
                        user=request.user,
                    )
                except ImportFileError as exc:
                    messages.error(request, str(exc))
        elif add_form.is_valid() and saved(add_form) is not None:
            messages.success(request, "已保存")
            return redirect(request.path)
    return render(
        request,
        template,
        {
            "contest": contest,
            "form": add_form,
            "import_form": import_form,
            "report": report,
            **context,
        },
    )


def add_data(request: HttpRequest):
    return request.POST if request.method == "POST" and request.POST.get("form") == "add" else None


@require(Cap.CONTEST)
def topics(request: HttpRequest, contest_id: int) -> HttpResponse:
    contest = staff_contest(request, contest_id)
    return list_page(
        request,
        contest,
        "topics",
        TopicForm(add_data(request), contest=contest),
        "contest/topics.html",
        {"topics": contest.topics.all(), "columns": TOPIC_COLUMNS},
    )


@require(Cap.CONTEST)
def topic_edit(request: HttpRequest, pk: int) -> HttpResponse:
    topic, contest = staff_object(request, Topic, pk, "contest")
    return form_page(
        request,
        TopicForm(posted(request), instance=topic, contest=contest),
        contest=contest,
        title="题库课题",
        back=reverse("contest-topics", args=[contest.pk]),
        saved="课题已保存",
        lock=setup_rules.frozen_reason(contest),
    )


@require(Cap.CONTEST)
def judge_roster(request: HttpRequest, contest_id: int) -> HttpResponse:
    contest = staff_contest(request, contest_id)
    judges = contest.judges.select_related("unit", "user").annotate(sheets_n=Count("sheets"))
    return list_page(
        request,
        contest,
        "judges",
        JudgeForm(add_data(request), contest=contest),
        "contest/judge_roster.html",
        {"judges": judges, "columns": JUDGE_COLUMNS},
    )


@require(Cap.CONTEST)
def judge_edit(request: HttpRequest, pk: int) -> HttpResponse:
    judge, contest = staff_object(request, Judge, pk, "contest")
    form = JudgeForm(posted(request), instance=judge, contest=contest)
    if judge.sheets.exists():  # the group weighs every sheet the judge has submitted
        form.fields["group"].disabled = True
        form.fields[
            "group"
        ].help_text = "该评委已提交评分表，评委类别决定这些评分表的权重，不能再修改"
    return form_page(
        request,
        form,
        contest=contest,
        title="评委",
        back=reverse("contest-judge-roster", args=[contest.pk]),
        saved="评委已保存",
        lock=setup_rules.frozen_reason(contest),
    )


@require(Cap.CONTEST)
def teachers(request: HttpRequest, contest_id: int) -> HttpResponse:
    """Teacher headcounts of the schools under the contest's organising unit (参与率的分母)."""
    contest = staff_contest(request, contest_id)
    schools = (
        contest_units(contest)
        .filter(kind=UnitKind.SCHOOL)
        .select_related("teacher_count")
        .order_by("path")
    )
    school = id_param(request.GET.get("school"))
    current = (
        SchoolTeachers.objects.filter(school_id=school, school__in=schools).first()
        if school
        else None
    )
    data = add_data(request)
    if data is not None:
        current = SchoolTeachers.objects.filter(
            school_id=id_param(data.get("school")), school__in=schools
        ).first()
    form = SchoolTeachersForm(data, instance=current, contest=contest)
    return list_page(
        request,
        contest,
        "teachers",
        form,
        "contest/teachers.html",
        {
            "schools": schools,
            "columns": TEACHER_COLUMNS,
            "missing": sum(1 for s in schools if not hasattr(s, "teacher_count")),
        },
    )
