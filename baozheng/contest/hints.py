"""Home-page hints for contest staff and judges."""

from __future__ import annotations

from django.urls import reverse

from baozheng.contest.models import Correction, CorrectionStatus, PanelSeat
from baozheng.org.navigation import Hint
from baozheng.org.permissions import can
from baozheng.org.roles import Cap


def hints(user) -> list[Hint]:
    found = []
    if can(user, Cap.CONTEST):
        pending = Correction.objects.filter(
            status=CorrectionStatus.PENDING, sheet__session__venue__head=user
        )
        count = pending.count()
        if count:
            venue_id = pending.values_list("sheet__session__venue_id", flat=True).first()
            found.append(
                Hint("有评分更正申请待您审批", reverse("contest-venue", args=[venue_id]), count)
            )
        found.append(Hint("教学大比武：抽签、评委、成绩与公示", reverse("contest-index")))
    if can(user, Cap.SCORE):
        seats = PanelSeat.objects.filter(judge__user=user, active=True).count()
        if seats:
            found.append(
                Hint("您有评分场次，打开评分页或扫描二维码", reverse("contest-my-sessions"), seats)
            )
    return found
