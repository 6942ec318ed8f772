"""Supervision-and-service groups (督导服务组): which counties each covers, its members,
and the tasks of those counties with their lights."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from baozheng.org.permissions import require
from baozheng.org.roles import Cap
from baozheng.tasks.access import one_visible, visible_groups, visible_tasks
from baozheng.tasks.models import Status
from baozheng.tasks.services import today
from baozheng.tasks.views.common import export_list, rows_with_lights
from baozheng.tasks.visits import group_figures, may_record, visible_visits


@require(Cap.VIEW)
def group_list(request: HttpRequest) -> HttpResponse:
    groups = list(visible_groups(request.user))
    if request.GET.get("export") == "xlsx":
        return export_list(
            "督导服务组",
            ["名称", "组长", "联系县市区", "成员", "工作职责"],
            [
                [
                    g.name,
                    g.leader_name,
                    "、".join(c.name for c in g.counties.all()),
                    "、".join(str(m) for m in g.members.all()),
                    g.duties,
                ]
                for g in groups
            ],
        )
    return render(
        request, "tasks/group_list.html", {"groups": groups, "figures": group_figures(groups)}
    )


@require(Cap.VIEW)
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = one_visible(visible_groups(request.user), pk, "督导服务组")
    q = Q(pk__in=[])
    for county in group.counties.all():
        q |= Q(lead_unit__path__startswith=county.path) | Q(helpers__path__startswith=county.path)
    tasks = visible_tasks(request.user).filter(q).exclude(status=Status.CLOSED).distinct()
    rows = rows_with_lights(tasks, today())
    visits = visible_visits(request.user).filter(group=group)
    return render(
        request,
        "tasks/group_detail.html",
        {
            "group": group,
            "rows": rows,
            "visits": visits,
            "figures": group_figures([group])[0],
            "can_record": may_record(request.user, group),
        },
    )
