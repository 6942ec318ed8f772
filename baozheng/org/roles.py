"""The roles of docs/rules.md (users) and what each may do.

One table decides every capability, so that a view, an export and an API call ask the same
question (`baozheng.org.permissions.can`) and get the same answer.
"""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "市级管理员"
    DISPATCH = "dispatch", "调度办"
    DEPARTMENT = "department", "部门人员"
    CLERK = "clerk", "县区填报员"
    LEADER = "leader", "领导（只读）"
    CONTEST_STAFF = "contest_staff", "赛事工作人员"
    JUDGE = "judge", "评委"


class Cap(models.TextChoices):
    """Capabilities; a role holds a set of them, always within the user's unit scope."""

    VIEW = "view", "查看"
    ENTER = "enter", "填报"
    APPROVE = "approve", "审核"
    MANAGE = "manage", "管理"
    DISPATCH = "dispatch", "调度督办"
    CONTEST = "contest", "赛事管理"
    SCORE = "score", "评分"


ROLE_CAPS: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset(
        {Cap.VIEW, Cap.ENTER, Cap.APPROVE, Cap.MANAGE, Cap.DISPATCH, Cap.CONTEST}
    ),
    Role.DISPATCH: frozenset({Cap.VIEW, Cap.ENTER, Cap.APPROVE, Cap.DISPATCH}),
    Role.DEPARTMENT: frozenset({Cap.VIEW, Cap.ENTER, Cap.APPROVE}),
    Role.CLERK: frozenset({Cap.VIEW, Cap.ENTER}),
    Role.LEADER: frozenset({Cap.VIEW}),
    Role.CONTEST_STAFF: frozenset({Cap.VIEW, Cap.CONTEST}),
    Role.JUDGE: frozenset({Cap.SCORE}),
}

ROLE_DUTIES: dict[str, str] = {
    Role.ADMIN: "维护单位、账户、指标与目标，导入数据，查看全部审计记录。",
    Role.DISPATCH: "查看全市运行态势，审核数据，召开调度会并督办事项。",
    Role.DEPARTMENT: "审核本部门分管指标的县区数据，跟踪本部门牵头的事项。",
    Role.CLERK: "按期填报本县区的月度数据并提交审核，反馈督办事项进展。",
    Role.LEADER: "查看驾驶舱、预警与通报。",
    Role.CONTEST_STAFF: "组织教师教学大比武：导入选手、抽签、分配评委、公布成绩。",
    Role.JUDGE: "用手机扫码进入评分页，为本场选手逐项打分并提交。",
}
