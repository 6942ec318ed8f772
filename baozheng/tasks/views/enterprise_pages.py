"""Enterprise service pages (万人助万企): enterprises, their requests with assignment and
follow-up, and the figures by department and county."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from baozheng.lib.office import new_workbook
from baozheng.lib.once import once
from baozheng.lib.races import saved
from baozheng.org.permissions import can, require
from baozheng.org.roles import Cap
from baozheng.tasks import green_channel as green
from baozheng.tasks.access import one_visible, visible_enterprises, visible_requests
from baozheng.tasks.figures import HEADERS, figures_by, table_rows
from baozheng.tasks.forms import AssignForm, EnterpriseForm, FollowUpForm, RequestForm
from baozheng.tasks.models import Channel, RequestStatus, ServiceRequest
from baozheng.tasks.services import LifecycleError
from baozheng.tasks.views.common import export_download, export_list, export_sheet


@require(Cap.VIEW)
def enterprise_list(request: HttpRequest) -> HttpResponse:
    enterprises = visible_enterprises(request.user).annotate(n=Count("requests"))
    q = request.GET.get("q", "").strip()
    if q:
        enterprises = enterprises.filter(Q(name__icontains=q) | Q(credit_code__icontains=q))
    if request.GET.get("export") == "xlsx":
        return export_list(
            "包联企业",
            [
                "统一社会信用代码",
                "企业名称",
                "县市区",
                "行业",
                "规模以上",
                "包联干部",
                "联系电话",
                "诉求数",
            ],
            [
                [
                    e.credit_code,
                    e.name,
                    e.county.name,
                    e.industry,
                    "是" if e.above_scale else "否",
                    e.cadre_name,
                    e.cadre_phone,
                    e.n,
                ]
                for e in enterprises
            ],
        )
    return render(
        request,
        "tasks/enterprise_list.html",
        {"enterprises": enterprises, "q": q, "can_create": can(request.user, Cap.DISPATCH)},
    )


@require(Cap.DISPATCH)
@once
def enterprise_new(request: HttpRequest) -> HttpResponse:
    form = EnterpriseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid() and (enterprise := saved(form)) is not None:
        messages.success(request, f"已登记企业：{enterprise.name}")
        return redirect("tasks-enterprise", pk=enterprise.pk)
    return render(request, "tasks/enterprise_form.html", {"form": form})


@require(Cap.VIEW)
@once
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = one_visible(visible_enterprises(request.user), pk, "企业")
    may_register = can(request.user, Cap.DISPATCH, enterprise.county) or can(
        request.user, Cap.ENTER, enterprise.county
    )
    form = RequestForm(request.POST or None)
    if request.method == "POST":
        if not may_register:
            return HttpResponse("您无权为该企业登记诉求", status=403)
        if form.is_valid():
            req = green.receive(enterprise, channel=Channel.STAFF, **form.cleaned_data)
            messages.success(request, f"诉求已受理，回执码 {req.receipt_code}")
            return redirect("tasks-request", pk=req.pk)
    requests = visible_requests(request.user).filter(enterprise=enterprise)
    return render(
        request,
        "tasks/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "requests": requests,
            "form": form,
            "may_register": may_register,
        },
    )


@require(Cap.VIEW)
def request_list(request: HttpRequest) -> HttpResponse:
    requests = visible_requests(request.user).distinct()
    status = request.GET.get("status", "")
    if status in RequestStatus.values:
        requests = requests.filter(status=status)
    if request.GET.get("export") == "xlsx":
        return export_list(
            "企业诉求",
            [
                "回执码",
                "企业",
                "县市区",
                "类别",
                "问题类型",
                "诉求内容",
                "受理日期",
                "承办单位",
                "状态",
                "满意度",
                "重办次数",
            ],
            [
                [
                    r.receipt_code,
                    r.enterprise.name,
                    r.enterprise.county.name,
                    r.get_category_display(),
                    r.get_complexity_display(),
                    r.description,
                    r.received_on,
                    r.department.name if r.department else "",
                    r.get_status_display(),
                    r.get_satisfaction_display(),
                    r.reopen_count,
                ]
                for r in requests
            ],
        )
    return render(
        request,
        "tasks/request_list.html",
        {"requests": requests, "status": status, "statuses": RequestStatus.choices},
    )


def _request(request: HttpRequest, pk: int) -> ServiceRequest:
    return one_visible(visible_requests(request.user), pk, "诉求")


@require(Cap.VIEW)
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    req = _request(request, pk)
    may_dispatch = can(request.user, Cap.DISPATCH, req.enterprise.county)
    return render(
        request,
        "tasks/request_detail.html",
        {
            "req": req,
            "deadlines": green.deadlines(req),
            "first_feedback": green.first_feedback_on(req),
            "may_dispatch": may_dispatch,
            "assign_form": AssignForm(user=request.user, initial={"complexity": req.complexity}),
            "follow_form": FollowUpForm(),
        },
    )


@require(Cap.DISPATCH)
@require_POST
def request_assign(request: HttpRequest, pk: int) -> HttpResponse:
    req = _request(request, pk)
    form = AssignForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            green.assign(
                req, form.cleaned_data["department"], request.user, form.cleaned_data["complexity"]
            )
            messages.success(request, "已交办，并生成督办事项")
        except LifecycleError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, "请选择承办单位")
    return redirect("tasks-request", pk=req.pk)


@require(Cap.DISPATCH)
@require_POST
def request_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    req = _request(request, pk)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            green.follow_up(
                req, request.user, form.cleaned_data["satisfaction"], form.cleaned_data["note"]
            )
            messages.success(request, "回访已记录")
        except LifecycleError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, "请选择满意度")
    return redirect("tasks-request", pk=req.pk)


@require(Cap.VIEW)
def figures(request: HttpRequest) -> HttpResponse:
    requests = visible_requests(request.user).distinct()
    by_department = figures_by(requests, "department")
    by_county = figures_by(requests, "county")
    if request.GET.get("export") == "xlsx":
        wb = new_workbook()
        export_sheet(
            wb,
            "企业诉求办理情况（按承办单位）",
            HEADERS,
            table_rows(by_department),
            sheet_name="按承办单位",
        )
        export_sheet(
            wb,
            "企业诉求办理情况（按县市区）",
            HEADERS,
            table_rows(by_county),
            sheet_name="按县市区",
        )
        return export_download(wb, "企业诉求办理情况")
    chart = {
        "units": [f.name for f in by_department[:-1]],
        "series": [
            {"name": label, "values": [getattr(f, attr) for f in by_department[:-1]]}
            for label, attr in (
                ("首次反馈及时率", "first_feedback_rate"),
                ("按期办结率", "on_time_rate"),
                ("解决率", "resolution_rate"),
                ("满意率", "satisfaction_rate"),
            )
        ],
    }
    return render(
        request,
        "tasks/figures.html",
        {
            "by_department": by_department,
            "by_county": by_county,
            "chart": chart,
            "feedback_days": green.limit("first_feedback"),
        },
    )
