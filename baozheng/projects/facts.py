"""Loading what the pure rules need from the database: a `ProjectFacts` per project at
the end of a month, the reporting month in force, and the projects a user may see."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Max, OuterRef, QuerySet, Subquery

from baozheng.org.models import Unit
from baozheng.org.permissions import can, can_for, in_scope, scoped_or_assigned
from baozheng.org.roles import Cap
from baozheng.projects.figures import ProjectFacts, evaluate
from baozheng.projects.models import ProgressReport, Project, Stage, WarningSettings
from baozheng.projects.rules import Month, parse_month


def visible_projects(user) -> QuerySet[Project]:
    """Projects of the user's counties; a leader sees the projects they are responsible for."""
    return scoped_or_assigned(Project.objects.all(), user, field="county", person_field="leader")


def can_see(user, project: Project) -> bool:
    return visible_projects(user).filter(pk=project.pk).exists()


def can_edit(user, project: Project) -> bool:
    return can(user, Cap.ENTER) and in_scope(user, project.county)


def can_maintain(user, county: Unit, department: Unit | None) -> bool:
    """May the user register a project of `county` (in charge: `department`), or change
    one's registry? County clerks in their own county, the dispatch office and the city
    anywhere in scope, department staff only for projects their department is in charge of;
    leaders and judges never (they lack `enter`)."""
    return can_for(user, Cap.ENTER, county, department)


def missing_report(projects: QuerySet[Project], month: Month) -> QuerySet[Project]:
    """Projects with a plan for the month's year that have not reported that month."""
    return projects.filter(plan_year=month.year).exclude(
        reports__year=month.year, reports__month=month.month
    )


def reporting_month(today: date | None = None) -> Month:
    """The month project pages show by default: the last month the office has closed
    (`baozheng.reporting.project_months`); before the office controls months, the
    latest month with any progress report, and before any report, last month."""
    from baozheng.reporting import project_months

    if project_months.in_use():
        closed = project_months.last_closed()
        if closed is not None:
            return Month(*closed)
    latest = ProgressReport.objects.aggregate(year=Max("year"))["year"]
    if latest is not None:
        month = ProgressReport.objects.filter(year=latest).aggregate(m=Max("month"))["m"]
        return Month(latest, month)
    return Month.of(today or date.today()).previous()


def month_from(text: str | None, today: date | None = None) -> Month:
    """The month asked for in a query string, else the reporting month."""
    if text:
        try:
            return parse_month(text)
        except ValueError:
            pass
    return reporting_month(today)


def load_facts(projects: QuerySet[Project], month: Month) -> list[ProjectFacts]:
    """One ProjectFacts per project as at the end of `month`, with its warnings. Read as
    plain values, each project's latest report only: the home page, the headline and the
    meeting-room screen ask about every project in scope (hundreds)."""
    rows = list(
        projects.order_by("county__path", "code").values(
            "pk",
            "code",
            "name",
            "county__code",
            "county__short_name",
            "county__name",
            "leader_id",
            "leader_name",
            "leader__full_name",
            "leader__username",
            "is_manufacturing",
            "total_investment",
            "plan_year",
            "annual_plan",
            "entered_statistics_on",
        )
    )
    ids = [p["pk"] for p in rows]
    actual: dict[int, dict[str, date | None]] = defaultdict(dict)
    planned_start: dict[int, date | None] = {}
    for pid, kind, planned_on, actual_on in Stage.objects.filter(project_id__in=ids).values_list(
        "project_id", "kind", "planned_on", "actual_on"
    ):
        actual[pid][kind] = actual_on
        if kind == "started":
            planned_start[pid] = planned_on
    reports = ProgressReport.objects.filter(year=month.year, month__lte=month.month)
    latest = reports.filter(project=OuterRef("project")).order_by("-month").values("month")[:1]
    ytd = dict(
        reports.filter(project_id__in=ids, month=Subquery(latest)).values_list(
            "project_id", "invested_ytd"
        )
    )
    thresholds = WarningSettings.current()
    facts = []
    for p in rows:
        # str(leader): the account's full name, else its username.
        leader = (p["leader__full_name"] or p["leader__username"]) if p["leader_id"] else ""
        f = ProjectFacts(
            id=p["pk"],
            code=p["code"],
            name=p["name"],
            county_code=p["county__code"],
            county_name=p["county__short_name"] or p["county__name"],
            leader_key=str(p["leader_id"]) if p["leader_id"] else p["leader_name"],
            leader_name=p["leader_name"] or leader,
            is_manufacturing=p["is_manufacturing"],
            total_investment=p["total_investment"],
            plan_year=p["plan_year"],
            annual_plan=p["annual_plan"],
            invested_ytd=ytd.get(p["pk"]),
            actual=actual[p["pk"]],
            planned_start=planned_start.get(p["pk"]),
            entered_statistics=p["entered_statistics_on"],
        )
        f.alerts = evaluate(f, month, thresholds)
        facts.append(f)
    return facts
