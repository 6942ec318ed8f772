"""Promotion page: choose stages and the quota, preview who moves up, then confirm."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from baozheng.contest import promotion
from baozheng.contest.access import staff_contest
from baozheng.org.permissions import require
from baozheng.org.roles import Cap


@require(Cap.CONTEST)
def promotion_page(request: HttpRequest, contest_id: int) -> HttpResponse:
    contest = staff_contest(request, contest_id)
    data = request.POST if request.method == "POST" else request.GET
    stages = {str(s.pk): s for s in contest.stages.all()}
    choice = {
        "source": data.get("source", ""),
        "target": data.get("target", ""),
        "mode": data.get("mode", "top"),
        "value": data.get("value", ""),
        "grouping": data.get("grouping", "county"),
    }
    picks, error = None, ""
    if choice["source"] and choice["target"]:
        try:
            value = Decimal(choice["value"] or "0")
            if choice["mode"] == "top" and value != value.to_integral_value():
                raise promotion.PromotionError("前 N 名须是正整数")
            if choice["source"] not in stages or choice["target"] not in stages:
                raise promotion.PromotionError("请选择本赛事的比赛阶段")
            picks = promotion.preview(
                contest,
                stages[choice["source"]],
                stages[choice["target"]],
                choice["mode"],
                value,
                choice["grouping"],
            )
        except InvalidOperation:
            error = "晋级名额须是数字"
        except promotion.PromotionError as exc:
            error = str(exc)
    if request.method == "POST":
        if error or picks is None:
            messages.error(request, error or "请选择阶段和名额")
        else:
            created = promotion.confirm(contest, stages[choice["target"]], picks, request.user)
            messages.success(
                request, f"已晋级 {created} 人到{stages[choice['target']]}（已晋级者不重复）"
            )
            return redirect("contest-promotion", contest_id=contest.pk)
    return render(
        request,
        "contest/promotion.html",
        {
            "contest": contest,
            "stages": stages.values(),
            "choice": choice,
            "picks": picks,
            "error": error,
            "groupings": promotion.GROUPINGS.items(),
        },
    )
