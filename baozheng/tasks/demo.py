"""Demo data for dispatch and enterprise service: nine supervision groups, the meetings of
the last four months with their decisions as tasks in every state and light, enterprises
with valid credit codes, and their requests at every step of the green channel.

Idempotent (skips when demo tasks exist), deterministic (a fixed random state), dated relative to the
demo timeline's anchor (`baozheng.org.timeline`, today by default) so that the lights are
always a realistic mix and the meetings fall in the weeks before the anchor.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from baozheng.lib import saved
from baozheng.org.demo import one_load
from baozheng.org.models import Unit, User
from baozheng.org.timeline import of as timeline_of
from baozheng.tasks import demo_loop
from baozheng.tasks import green_channel as green
from baozheng.tasks.creditcode import ALPHABET, check_character
from baozheng.tasks.models import (
    Channel,
    Complexity,
    Contact,
    ContactRole,
    Enterprise,
    Meeting,
    MeetingKind,
    Priority,
    RequestCategory,
    Satisfaction,
    ServiceRequest,
    SourceKind,
    Status,
    SupervisionGroup,
    Task,
)
from baozheng.tasks.services import add_progress, open_task, transition
from baozheng.workcal.calendar import add_workdays

GROUPS = [  # (name, counties): the source interviews' nine groups, each with one or two counties or zones
    ("第一督导服务组", ["411302", "411371"]),
    ("第二督导服务组", ["411303", "411372"]),
    ("第三督导服务组", ["411321", "411300YH"]),
    ("第四督导服务组", ["411322", "411300GZ"]),
    ("第五督导服务组", ["411323", "411325"]),
    ("第六督导服务组", ["411324"]),
    ("第七督导服务组", ["411326", "411381"]),
    ("第八督导服务组", ["411327", "411328"]),
    ("第九督导服务组", ["411329", "411330"]),
]

DECISIONS = [
    ("加快推进重点项目集中开工，确保一季度开工率达到 60% 以上", "411300FGW", ["411302", "411303"]),
    ("协调解决光电产业园项目 110 千伏变电站建设用电报装", "411300GDG", ["411371"]),
    ("落实工业企业稳产满产奖补政策，完成首批资金兑付", "411300GXJ", ["411300CZJ"]),
    ("开展规上工业企业入库培育，新增入规企业不少于 30 家", "411300GXJ", ["411300TJJ"]),
    ("梳理社会消费品零售总额增长点，组织春季消费促进活动", "411300SWJ", ["411302"]),
    ("推进外贸企业稳订单拓市场，组织企业参加广交会", "411300SWJ", []),
    ("解决宛城区食品产业园项目用地报批问题", "411300ZRJ", ["411302"]),
    ("督促卧龙区落实固定资产投资入库项目手续", "411303", ["411300TJJ"]),
    ("做好减税降费政策落实和留抵退税办理", "411300SWU", ["411300CZJ"]),
    ("推进邓州市新能源汽车配套项目签约落地", "411381", ["411300FGW"]),
    ("加快唐河县纺织服装产业园标准化厂房建设", "411328", ["411300ZJJ"]),
    ("完善“三个一批”项目台账，按月通报签约、开工、投产情况", "411300FGW", []),
    ("开展十万教师课堂教学大比武市级赛区场地保障", "411300JYJ", ["411302"]),
    ("协调西峡县香菇出口企业物流通关便利化", "411323", ["411300SWJ"]),
    ("推动内乡县农牧装备项目达产达效", "411325", ["411300GXJ"]),
    ("落实住宅项目保交楼工作，逐项目明确责任人", "411300ZJJ", ["411302", "411303"]),
]

# What each decision's task has become by today: the lifecycle step and the light.
SCENARIOS = [
    "closed",
    "closed_late",
    "red",
    "yellow",
    "blue",
    "green",
    "opened",
    "reported",
    "verifying",
    "returned",
    "red",
    "green",
    "closed",
    "yellow",
    "blue",
    "closed",
]

ENTERPRISES = [
    ("南阳光电科技有限公司", "411371", "光电信息", True),
    ("宛城食品股份有限公司", "411302", "食品加工", True),
    ("卧龙新材料有限公司", "411303", "新材料", True),
    ("南召石材开发有限公司", "411321", "建材", False),
    ("方城县装备制造有限公司", "411322", "装备制造", True),
    ("西峡香菇进出口有限公司", "411323", "农副产品", True),
    ("镇平玉雕文化有限公司", "411324", "工艺美术", False),
    ("内乡牧原设备有限公司", "411325", "农牧装备", True),
    ("淅川汽车零部件有限公司", "411326", "汽车零部件", True),
    ("社旗纺织有限公司", "411327", "纺织服装", False),
    ("唐河服装产业有限公司", "411328", "纺织服装", True),
    ("新野纺织集团有限公司", "411329", "纺织服装", True),
    ("桐柏矿业有限公司", "411330", "矿产", True),
    ("邓州新能源汽车配件有限公司", "411381", "新能源汽车", True),
    ("南阳中药材种植合作社", "411302", "中医药", False),
    ("卧龙艾草制品有限公司", "411303", "中医药", False),
]

REQUESTS = [
    (RequestCategory.ENERGY, "新建车间需要增容 2000 千伏安，申请加快电力报装", "411300GDG"),
    (RequestCategory.LAND, "二期项目用地指标尚未落实，影响开工", "411300ZRJ"),
    (RequestCategory.FINANCE, "流动资金紧张，希望对接银行续贷", "411300CZJ"),
    (RequestCategory.LABOUR, "订单增加，急需招聘熟练工 200 人", "411300SWJ"),
    (RequestCategory.APPROVAL, "环评审批进度慢，请协调加快", "411300FGW"),
    (RequestCategory.POLICY, "去年技改奖补资金尚未兑付", "411300GXJ"),
    (RequestCategory.LOGISTICS, "出口货物通关时间长，希望提供便利", "411300SWJ"),
    (RequestCategory.OTHER, "厂区周边道路破损，影响货车通行", "411300ZJJ"),
]
# The step each request has reached: (final status, satisfaction).
REQUEST_STEPS = [
    "received",
    "assigned",
    "handled",
    "resolved",
    "followed_up",
    "followed_up",
    "reopened",
    "followed_up",
    "assigned",
    "resolved",
    "followed_up",
    "received",
]


def credit_code(rng: random.Random, county: str) -> str:
    body = "91" + county[:6] + "".join(rng.choice(ALPHABET[:10] + "MA") for _ in range(9))
    return body + check_character(body)


def _backdate(task: Task, reported: date | None = None, closed: date | None = None) -> None:
    fields = {}
    if reported:
        fields["reported_on"] = reported
    if closed:
        fields["closed_at"] = timezone.make_aware(datetime.combine(closed, time(16, 0)))
    if fields:
        Task.objects.filter(pk=task.pk).update(**fields)


def _play(task: Task, scenario: str, lead: User, dispatch: User, today: date) -> None:
    """Move a task through its lifecycle to the scenario's step."""
    if scenario == "opened":
        return
    percent = {"red": 60, "yellow": 10, "blue": 90, "green": 30, "returned": 80}.get(scenario, 50)
    add_progress(task, lead, "已召开专题推进会，明确责任人和时间节点", percent_done=percent)
    if scenario in ("red", "yellow", "blue", "green"):
        return
    transition(task, Status.REPORTED, lead, note="已按要求办结，附现场照片及相关文件")
    if scenario == "returned":
        transition(task, Status.IN_PROGRESS, dispatch, note="佐证材料不全，请补充验收文件")
        return
    on_time = scenario != "closed_late"
    reported = min(task.deadline, today) if on_time else task.deadline + timedelta(days=3)
    _backdate(task, reported=reported)
    if scenario == "reported":
        return
    transition(task, Status.VERIFYING, dispatch)
    if scenario == "verifying":
        return
    transition(task, Status.CLOSED, dispatch, note="经现场核实，已办结，同意销号")
    _backdate(task, closed=min(reported + timedelta(days=2), today))


def _dates(scenario: str, held_on: date, today: date) -> tuple[date, date]:
    if scenario == "red":
        return held_on, min(add_workdays(held_on, 10), today - timedelta(days=3))
    if scenario == "blue":
        return min(held_on, today - timedelta(days=20)), add_workdays(today, 2)
    if scenario in ("yellow", "green", "opened", "returned"):
        opened = min(held_on, today - timedelta(days=12 if scenario == "yellow" else 3))
        return opened, max(
            add_workdays(opened, 25), add_workdays(today, 8 if scenario == "yellow" else 15)
        )
    return held_on, add_workdays(held_on, 15)


def create_groups(units: dict[str, Unit], users: dict[str, User]) -> None:
    """The groups matched by name; a group made just now gets its counties without the
    read of which are linked already (none can be: `saved.add_to_new`)."""
    groups = []
    for order, (name, counties) in enumerate(GROUPS, start=1):
        group, created = SupervisionGroup.objects.update_or_create(
            name=name,
            defaults={
                "order": order,
                "leader_name": f"市级领导（第{order}组）",
                "is_demo": True,
                "duties": "督导联系县市区重点项目、重点工作和督办事项落实，服务企业解决实际困难。",
            },
        )
        if created:
            saved.add_to_new(group.counties, [units[c] for c in counties])
        else:
            group.counties.set([units[c] for c in counties])
        groups.append(group)
    if "shangwu" in users:
        groups[0].members.add(users["shangwu"])  # 第一督导服务组


def create_meetings(units: dict[str, Unit], users: dict[str, User], today: date) -> int:
    dispatch = users["dispatch"]
    plan = []
    for weeks_ago in range(16, 0, -1):
        held = today - timedelta(weeks=weeks_ago)
        held -= timedelta(days=held.weekday())  # Mondays
        kind = [
            MeetingKind.WEEKLY_REVIEW,
            MeetingKind.TEN_DAY,
            MeetingKind.WEEKLY_ROUTINE,
            MeetingKind.MONTHLY,
        ][weeks_ago % 4]
        plan.append((held, kind))
    plan.append((today - timedelta(days=9), MeetingKind.SPECIAL))
    decision_index = 0
    for n, (held, kind) in enumerate(plan):
        meeting = Meeting.objects.create(
            kind=kind,
            title=f"{held:%-m月%-d日}{MeetingKind(kind).label}"
            + ("（要素保障）" if kind == MeetingKind.SPECIAL else ""),
            held_on=held,
            chair="市政府常务副市长" if kind == MeetingKind.MONTHLY else "市调度办主任",
            agenda="一、通报经济运行主要指标\n二、听取重点项目推进情况\n三、研究解决存在问题",
            created_by=dispatch,
            minutes="会议听取了各县市区和有关部门汇报，研究了重点问题，议定事项如下。",
            is_demo=True,
        )
        # A new meeting has no units to compare with: neither `set`'s read nor `add`'s.
        saved.add_to_new(
            meeting.attending_units,
            [units[c] for c in ("411300FGW", "411300TJJ", "411302", "411303", "411300SWJ")],
        )
        for _ in range(1 if n % 2 else 2):
            title, lead, helpers = DECISIONS[decision_index % len(DECISIONS)]
            scenario = SCENARIOS[decision_index % len(SCENARIOS)]
            decision_index += 1
            opened, deadline = _dates(scenario, held, today)
            task = open_task(
                source_kind=SourceKind.MEETING,
                source_id=meeting.pk,
                source_label=str(meeting),
                title=title,
                lead_unit=units[lead],
                helpers=[units[h] for h in helpers],
                deadline=deadline,
                opened_on=opened,
                created_by=dispatch,
                is_demo=True,
                priority=Priority.HIGH if scenario in ("red", "blue") else Priority.NORMAL,
            )
            lead_user = next(
                (
                    u
                    for u in users.values()
                    if u.unit_id == task.lead_unit_id and u.role in ("clerk", "department")
                ),
                dispatch,
            )
            _play(task, scenario, lead_user, dispatch, today)
    return decision_index


def create_enterprises(units: dict[str, Unit], users: dict[str, User], today: date) -> int:
    rng = random.Random(411300)
    dispatch = users["dispatch"]
    cadres = ["王磊", "李娜", "张强", "刘敏", "陈杰", "杨帆", "赵静", "黄涛"]
    enterprises = []
    for i, (name, county, industry, above) in enumerate(ENTERPRISES):
        enterprises.append(
            Enterprise.objects.create(
                credit_code=credit_code(rng, county),
                name=name,
                county=units[county],
                industry=industry,
                above_scale=above,
                cadre_name=cadres[i % len(cadres)],
                cadre_phone=f"1383770{i:04d}",
                is_demo=True,
            )
        )
    count = 0
    for i, step in enumerate(REQUEST_STEPS * 2):
        enterprise = enterprises[i % len(enterprises)]
        category, text, department = REQUESTS[i % len(REQUESTS)]
        received = add_workdays(today - timedelta(days=40 - i), 0) if step != "received" else today
        req = green.receive(
            enterprise,
            category=category,
            description=text,
            received_on=received,
            channel=Channel.PUBLIC if i % 3 == 0 else Channel.STAFF,
            complexity=Complexity.COMPLEX if i % 5 == 0 else Complexity.GENERAL,
            contact_name="企业联系人",
            contact_phone="0377-6300000",
            is_demo=True,
        )
        count += 1
        if step == "received":
            continue
        req = green.assign(req, units[department], dispatch, on=received)
        task = req.task
        add_progress(task, dispatch, "已与企业对接，制定解决方案", percent_done=40)
        if step == "assigned":
            continue
        transition(task, Status.REPORTED, dispatch, note="问题已解决，企业已确认")
        _backdate(
            task, reported=min(task.deadline if i % 4 else task.deadline + timedelta(days=2), today)
        )
        if step == "handled":
            continue
        transition(task, Status.VERIFYING, dispatch)
        transition(task, Status.CLOSED, dispatch, note="电话核实，企业确认问题已解决")
        # As the task's steps left it, with what the follow-up checks and records.
        req = ServiceRequest.objects.select_related("enterprise__county", "department").get(
            pk=req.pk
        )
        if step == "resolved":
            continue
        satisfaction = (
            Satisfaction.UNSATISFIED
            if step == "reopened"
            else (Satisfaction.SATISFIED if i % 3 else Satisfaction.BASICALLY)
        )
        green.follow_up(
            req,
            dispatch,
            satisfaction,
            "电话回访" + ("，企业认为仍未彻底解决" if step == "reopened" else ""),
            on=today,  # the anchor, not the clock: a reopened request's task opens on it
        )
    return count


def create_contacts(units: dict[str, Unit]) -> None:
    """Who would be reminded, without any address: the demo has no mail server or group
    robot, so `baozheng remind` reports these as skipped (未配置发送渠道) instead of failing.
    Fill in an e-mail or webhook in the admin to see real delivery."""
    for code, role, name in [
        ("411300FGW", ContactRole.DISPATCH, "市调度办值班室"),
        ("411302", ContactRole.HEAD, "宛城区主要负责人"),
        ("411302", ContactRole.LIAISON, "宛城区督查室联络员"),
    ]:
        Contact.objects.update_or_create(
            unit=units[code],
            role=role,
            name=name,
            defaults={"email": "", "webhook_kind": "", "webhook_url": "", "is_demo": True},
        )


@one_load()
def load(out: Callable[[str], None], as_of: date | None = None) -> None:
    units = {u.code: u for u in Unit.objects.all()}
    users = {u.username: u for u in User.objects.filter(is_active=True)}
    today = timeline_of(as_of).anchor
    create_groups(units, users)
    create_contacts(units)
    if Task.objects.filter(is_demo=True).exists():
        out("督办：演示数据已存在，未重复创建")
        demo_loop.load(units, users, today, out)
        return
    decisions = create_meetings(units, users, today)
    requests = create_enterprises(units, users, today)
    out(
        f"督办：9 个督导服务组、{Meeting.objects.filter(is_demo=True).count()} 次调度会、{decisions} 项议定事项、"
        f"{Enterprise.objects.filter(is_demo=True).count()} 家包联企业、{requests} 件企业诉求"
    )
    out(
        "督办：演示提醒联系人未配置邮箱或群机器人，“baozheng remind --dry-run”列出将发送的提醒，"
        "“baozheng remind”将其报告为跳过（未配置发送渠道）"
    )
    demo_loop.load(units, users, today, out)
