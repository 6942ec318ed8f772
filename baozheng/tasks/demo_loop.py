"""Demo data for the rest of the dispatch loop, on top of `baozheng.tasks.demo`: the
standing meeting series (their demo meetings linked, the next 周研判 and 旬会商 planned,
so the periods in between show as missed), two inspection visits with a finding raised as
a task, leaders' instructions with feedback, and an accountability record.

Idempotent: skipped when demo meeting series exist.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from baozheng.org.models import Unit, User
from baozheng.tasks import meetings
from baozheng.tasks.instructions import instruct, report_back
from baozheng.tasks.models import (
    OPEN_STATUSES,
    Accountability,
    AccountabilityKind,
    InstructionTarget,
    Meeting,
    MeetingKind,
    MeetingSeries,
    Priority,
    SourceKind,
    SupervisionGroup,
    Task,
    Visit,
)
from baozheng.tasks.services import colour, open_task
from baozheng.workcal.calendar import add_workdays

SERIES = [
    (MeetingKind.WEEKLY_REVIEW, "全市经济运行周研判", "市调度办主任"),
    (MeetingKind.TEN_DAY, "全市重点工作旬会商", "市调度办主任"),
    (MeetingKind.MONTHLY, "全市目标任务月调度", "市政府常务副市长"),
]
STANDING = ("411300FGW", "411300TJJ", "411302", "411303", "411300SWJ")
VISIT_TASK_WORKDAYS = 15  # the time a visit's finding is given as a task
INSTRUCTED_DAYS_AGO = 5  # the mayor's instruction on the overdue task


def overdue_visit_day(today: date) -> date:
    """The first visit's day: at least 20 days before the anchor, and early enough that
    its task was overdue when the mayor's instruction came, whatever the anchor's weekday
    and holidays. 20 days flat left the task due on or after the anchor on 329 of 2026's
    365 days, and the instruction, its feedback and the accountability record out of the
    demo built on them."""
    day = today - timedelta(days=20)
    instructed = today - timedelta(days=INSTRUCTED_DAYS_AGO)
    while add_workdays(day, VISIT_TASK_WORKDAYS) >= instructed:
        day -= timedelta(days=1)
    return day


def create_series(units: dict[str, Unit], dispatch: User, today: date) -> None:
    for kind, title, chair in SERIES:
        held = Meeting.objects.filter(is_demo=True, kind=kind)
        first = held.order_by("held_on").first()
        series = MeetingSeries.objects.create(
            kind=kind,
            title=title,
            chair=chair,
            started_on=first.held_on if first else today,
            is_demo=True,
        )
        series.standing_units.set([units[c] for c in STANDING])
        held.update(series=series)
        if kind != MeetingKind.MONTHLY:
            meetings.schedule_next(series, today, dispatch)


def create_visits(units: dict[str, Unit], dispatch: User, today: date) -> None:
    plan = [
        (
            "第一督导服务组",
            "411302",
            "宛城区重点项目开工和企业诉求办理情况",
            "食品产业园项目用地报批滞后，企业反映审批材料多次退回",
            "督促宛城区加快食品产业园项目用地报批",
        ),
        (
            "第二督导服务组",
            "411303",
            "卧龙区固定资产投资入库和统计数据质量",
            "",
            "",
        ),
    ]
    days = (overdue_visit_day(today), today - timedelta(days=12))
    for visited_on, (group_name, county, checked, findings, task_title) in zip(
        days, plan, strict=True
    ):
        group = SupervisionGroup.objects.get(name=group_name)
        visit = Visit.objects.create(
            group=group,
            visited_on=visited_on,
            checked=checked,
            findings=findings,
            recorded_by=dispatch,
            is_demo=True,
        )
        visit.units.set([units[county]])
        if task_title:
            open_task(
                source_kind=SourceKind.VISIT,
                source_id=visit.pk,
                source_label=f"{group.name}督导（{visit.visited_on:%Y-%m-%d}）",
                title=task_title,
                lead_unit=units[county],
                helpers=[units["411300ZRJ"]],
                deadline_workdays=VISIT_TASK_WORKDAYS,
                opened_on=visit.visited_on,
                created_by=dispatch,
                is_demo=True,
            )


def create_instructions(
    units: dict[str, Unit], users: dict[str, User], dispatch: User, today: date
) -> Task | None:
    """An instruction on an overdue task (with the lead unit's feedback) and one on a
    project followed as a new task. Returns the overdue task."""
    overdue = next(
        (
            t
            for t in Task.objects.filter(
                is_demo=True, status__in=OPEN_STATUSES, lead_unit__code="411302"
            )
            if colour(t, today) == "red"
        ),
        None,
    )
    if overdue is not None:
        instruction = instruct(
            overdue,
            leader="市长",
            given_on=today - timedelta(days=INSTRUCTED_DAYS_AGO),
            content="此事已多次督办仍未办结，请宛城区主要负责同志亲自过问，一周内办结并报结果。",
            user=dispatch,
            today=today,
        )
        instruction.is_demo = True
        instruction.save()
        clerk = users.get("wancheng") or dispatch
        report_back(
            instruction,
            "区政府已召开专题会研究，明确分管副区长牵头，预计本周五前办结。",
            clerk,
            today - timedelta(days=2),
        )
    task = open_task(
        source_kind=SourceKind.INSTRUCTION,
        source_label="市委书记批示：光电产业园项目",
        title="落实市委书记批示，加快光电产业园二期建设",
        lead_unit=units["411371"],
        helpers=[units["411300FGW"]],
        deadline_workdays=20,
        priority=Priority.URGENT,
        opened_on=today - timedelta(days=3),
        created_by=dispatch,
        is_demo=True,
    )
    instruction = instruct(
        task,
        leader="市委书记",
        given_on=today - timedelta(days=3),
        content="光电产业园是全市重中之重，要倒排工期、挂图作战。",
        user=dispatch,
        today=today,
        target_kind=InstructionTarget.PROJECT,
        target_label="光电产业园项目",
    )
    instruction.is_demo = True
    instruction.save()
    return overdue


def create_accountability(overdue: Task, dispatch: User, today: date) -> None:
    record = Accountability.objects.create(
        kind=AccountabilityKind.TALK,
        unit=overdue.lead_unit,
        person="分管副区长",
        basis=f"督办事项“{overdue.title}”超期未办结，经市长批示督办仍未按期反馈。",
        decided_by="市委督查室、市政府督查室",
        decided_on=today - timedelta(days=1),
        document_number="督查〔演示〕1号",
        recorded_by=dispatch,
        is_demo=True,
    )
    record.tasks.set([overdue])


def load(units: dict[str, Unit], users: dict[str, User], today: date, out: Callable) -> None:
    if MeetingSeries.objects.filter(is_demo=True).exists():
        return
    dispatch = users["dispatch"]
    create_series(units, dispatch, today)
    create_visits(units, dispatch, today)
    overdue = create_instructions(units, users, dispatch, today)
    if overdue is not None:
        create_accountability(overdue, dispatch, today)
    out(
        "督办：3 个例行会议序列（已排期下次周研判、旬会商）、2 次督导记录、"
        f"{2 if overdue else 1} 条领导批示、{1 if overdue else 0} 条追责记录"
    )
