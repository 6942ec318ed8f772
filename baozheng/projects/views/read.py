"""Reading pages: the project list, a project's page, county, leader, warnings and batches
(the monthly bulletin is `bulletin.py`). Every page narrows to `facts.visible_projects(user)`;
a project or county outside the user's scope is refused with a 403, never shown empty."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from baozheng.lib import office
from baozheng.lib.uploads import file_download
from baozheng.org.models import Unit
from baozheng.org.permissions import can, check, require
from baozheng.org.roles import Cap
from baozheng.projects.access import visible_project
from baozheng.projects.facts import (
    can_edit,
    can_maintain,
    load_facts,
    missing_report,
    month_from,
    visible_projects,
)
from baozheng.projects.figures import ProjectFacts, group_figures, leader_figures, two_year_rule
from baozheng.projects.forms import ThresholdsForm
from baozheng.projects.models import Batch, Category, Industry, Photo, Project, WarningSettings
from baozheng.projects.rules import RULE_LABELS, STAGE_LABELS, STAGES, Month, current_stage
from baozheng.tasks.services import COLOUR_LABELS, colour
from baozheng.tasks.services import today as task_today

LIST_HEADERS = [
    "项目编码",
    "项目名称",
    "县市区",
    "行业",
    "制造业",
    "总投资（万元）",
    "年度计划投资（万元）",
    "本年累计完成（万元）",
    "投资完成率（%）",
    "当前阶段",
    "分包领导",
    "预警",
]


def _stage_of(f: ProjectFacts, month: Month) -> str:
    stage = current_stage(f.actual, month.end)
    return STAGE_LABELS[stage] if stage else "未签约"


def _filtered(request: HttpRequest, month: Month) -> tuple[list[ProjectFacts], dict]:
    projects = visible_projects(request.user)
    get = request.GET
    chosen = {
        k: get.get(k, "")
        for k in (
            "county",
            "category",
            "industry",
            "stage",
            "level",
            "rule",
            "q",
            "leader",
            "missing",
            "manufacturing",
        )
    }
    if chosen["county"]:
        projects = projects.filter(county__code=chosen["county"])
    if chosen["category"]:
        projects = projects.filter(category=chosen["category"])
    if chosen["industry"]:
        projects = projects.filter(industry=chosen["industry"])
    if chosen["manufacturing"]:
        projects = projects.filter(is_manufacturing=chosen["manufacturing"] == "1")
    if chosen["q"]:
        projects = projects.filter(name__icontains=chosen["q"]) | projects.filter(
            code__icontains=chosen["q"]
        )
    if chosen["leader"]:
        projects = projects.filter(leader_name=chosen["leader"])
    if chosen["missing"]:
        projects = missing_report(projects, month)
    facts = load_facts(projects, month)
    if chosen["stage"]:
        wanted = None if chosen["stage"] == "none" else chosen["stage"]
        facts = [f for f in facts if current_stage(f.actual, month.end) == wanted]
    if chosen["level"]:
        facts = [f for f in facts if f.level == chosen["level"]]
    if chosen["rule"]:
        facts = [f for f in facts if any(a.rule == chosen["rule"] for a in f.alerts)]
    return facts, chosen


def _list_rows(facts: list[ProjectFacts], month: Month) -> list[list[object]]:
    industries = dict(Industry.choices)
    projects = {p.pk: p for p in Project.objects.filter(pk__in=[f.id for f in facts])}
    return [
        [
            f.code,
            f.name,
            f.county_name,
            industries.get(projects[f.id].industry, ""),
            "是" if f.is_manufacturing else "否",
            f.total_investment,
            f.annual_plan,
            f.invested_ytd,
            f.completion(),
            _stage_of(f, month),
            f.leader_name,
            "；".join(a.message for a in f.alerts),
        ]
        for f in facts
    ]


@require(Cap.VIEW)
def project_list(request: HttpRequest) -> HttpResponse:
    month = month_from(request.GET.get("period"))
    facts, chosen = _filtered(request, month)
    if request.GET.get("format") == "xlsx":
        wb = office.new_workbook()
        office.table_sheet(
            wb,
            f"重点项目清单（{month.span_label}）",
            LIST_HEADERS,
            _list_rows(facts, month),
            "金额单位：万元",
            number_format="#,##0.0#",
        )
        return office.download(office.workbook_bytes(wb), f"重点项目清单-{month}.xlsx", office.XLSX)
    page = Paginator(facts, 50).get_page(request.GET.get("page"))
    for f in page.object_list:
        f.stage_label = _stage_of(f, month)
    counties = (
        Unit.objects.filter(projects__in=visible_projects(request.user)).distinct().order_by("code")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "projects/list.html",
        {
            "page": page,
            "count": len(facts),
            "month": month,
            "chosen": chosen,
            "counties": counties,
            "categories": Category.choices,
            "industries": Industry.choices,
            "stages": STAGES,
            "rules": RULE_LABELS.items(),
            "query": query.urlencode(),
            "can_register": can(request.user, Cap.ENTER),
        },
    )


@require(Cap.VIEW)
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = visible_project(request, pk)
    month = month_from(request.GET.get("period"))
    facts = load_facts(Project.objects.filter(pk=project.pk), month)[0]
    stages = {s.kind: s for s in project.stages.all()}
    timeline = [(kind, label, stages.get(kind)) for kind, label in STAGES]
    reports = list(project.reports.prefetch_related("photos").order_by("-year", "-month"))
    this_year = sorted((r for r in reports if r.year == month.year), key=lambda r: r.month)
    chart = {
        "months": [f"{r.month}月" for r in this_year],
        "invested_month": [float(r.invested_month) for r in this_year],
        "invested_ytd": [float(r.invested_ytd) for r in this_year],
        "expected": [float(project.annual_plan * r.month / 12) for r in this_year]
        if project.annual_plan and project.plan_year == month.year
        else [],
    }
    today = task_today()
    support = [
        (s, colour(s.task, today))
        for s in project.support_requests.select_related("task", "task__lead_unit")
    ]
    return render(
        request,
        "projects/detail.html",
        {
            "project": project,
            "facts": facts,
            "month": month,
            "timeline": timeline,
            "reports": reports,
            "chart": chart,
            "support": support,
            "colour_labels": COLOUR_LABELS,
            "batches": project.batch_entries.select_related("batch"),
            "editable": can_edit(request.user, project),
            "registry_editable": can_maintain(request.user, project.county, project.department),
            "stage_label": _stage_of(facts, month),
        },
    )


@require(Cap.VIEW)
def photo(request: HttpRequest, pk: int) -> FileResponse:
    item = get_object_or_404(Photo.objects.select_related("report__project"), pk=pk)
    visible_project(request, item.report.project_id)
    name = item.image.name.rsplit("/", 1)[-1]
    return file_download(request, item.image.open("rb"), name, item.content_type, False)


@require(Cap.VIEW)
def county(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_object_or_404(Unit, code=code)
    check(request.user, Cap.VIEW, unit)
    month = month_from(request.GET.get("period"))
    facts = load_facts(visible_projects(request.user).filter(county=unit), month)
    if request.GET.get("format") == "xlsx":
        wb = office.new_workbook()
        office.table_sheet(
            wb,
            f"{unit.name}重点项目（{month.span_label}）",
            LIST_HEADERS,
            _list_rows(facts, month),
            "金额单位：万元",
            number_format="#,##0.0#",
        )
        return office.download(
            office.workbook_bytes(wb), f"{unit.name}重点项目-{month}.xlsx", office.XLSX
        )
    figures = group_figures(unit.code, unit.display_name, facts, month)
    for f in facts:
        f.stage_label = _stage_of(f, month)
    return render(
        request,
        "projects/county.html",
        {
            "unit": unit,
            "month": month,
            "figures": figures,
            "rule": two_year_rule(facts, month),
            "facts": facts,
            "leaders": leader_figures(facts, month),
        },
    )


@require(Cap.VIEW)
def mine(request: HttpRequest) -> HttpResponse:
    """我的分包项目: the projects this user is the responsible leader of."""
    month = month_from(request.GET.get("period"))
    facts = load_facts(visible_projects(request.user).filter(leader=request.user), month)
    for f in facts:
        f.stage_label = _stage_of(f, month)
    figures = group_figures(str(request.user.pk), str(request.user), facts, month)
    return render(
        request, "projects/leader.html", {"month": month, "facts": facts, "figures": figures}
    )


@require(Cap.VIEW)
def leaders(request: HttpRequest) -> HttpResponse:
    month = month_from(request.GET.get("period"))
    rows = leader_figures(load_facts(visible_projects(request.user), month), month)
    return render(request, "projects/leaders.html", {"month": month, "rows": rows})


@require(Cap.VIEW)
def warnings(request: HttpRequest) -> HttpResponse:
    month = month_from(request.GET.get("period"))
    facts, chosen = _filtered(request, month)
    flagged = [f for f in facts if f.alerts]
    if request.GET.get("format") == "xlsx":
        wb = office.new_workbook()
        office.table_sheet(
            wb,
            f"重点项目预警（{month.span_label}）",
            LIST_HEADERS,
            _list_rows(flagged, month),
            "金额单位：万元",
            number_format="#,##0.0#",
        )
        return office.download(office.workbook_bytes(wb), f"重点项目预警-{month}.xlsx", office.XLSX)
    counts = {level: sum(f.level == level for f in flagged) for level in ("red", "yellow")}
    by_rule = {
        label: sum(any(a.rule == rule for a in f.alerts) for f in flagged)
        for rule, label in RULE_LABELS.items()
    }
    form = ThresholdsForm(instance=WarningSettings.row()) if can(request.user, Cap.MANAGE) else None
    query = request.GET.copy()
    query.pop("format", None)
    return render(
        request,
        "projects/warnings.html",
        {
            "month": month,
            "facts": flagged,
            "chosen": chosen,
            "counts": counts,
            "by_rule": by_rule,
            "thresholds": WarningSettings.current(),
            "form": form,
            "rules": RULE_LABELS.items(),
            "query": query.urlencode(),
        },
    )


@require(Cap.VIEW)
def batches(request: HttpRequest) -> HttpResponse:
    visible = visible_projects(request.user)
    rows = []
    for batch in Batch.objects.all():
        entries = batch.entries.filter(project__in=visible)
        rows.append((batch, entries.count()))
    return render(request, "projects/batches.html", {"rows": rows})


@require(Cap.VIEW)
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow-up of one "三个一批" batch: signed → started? started → producing? and when."""
    batch = get_object_or_404(Batch, pk=pk)
    entries = (
        batch.entries.filter(project__in=visible_projects(request.user))
        .select_related("project", "project__county")
        .prefetch_related("project__stages")
    )
    next_stage = {"signed": "started", "started": "producing", "producing": "at_capacity"}
    rows, done = [], {"signed": [0, 0], "started": [0, 0], "producing": [0, 0]}
    for entry in entries:
        actual = {s.kind: s.actual_on for s in entry.project.stages.all()}
        follow = next_stage[entry.side]
        reached_on = actual.get(follow)
        rows.append((entry, STAGE_LABELS[follow], reached_on))
        done[entry.side][0] += 1
        done[entry.side][1] += reached_on is not None
    return render(request, "projects/batch.html", {"batch": batch, "rows": rows, "done": done})
