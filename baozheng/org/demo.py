"""Nanyang's units (official administrative codes), departments and one demo account per role.

`load` is idempotent: units and accounts are matched by code and user name, so running
`baozheng demo` twice duplicates nothing. Tests build their personas from the same code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.hashers import get_hasher, make_password
from django.db import models, transaction

from baozheng.lib import versions
from baozheng.lib.heap import collector_paused
from baozheng.org import audit_units
from baozheng.org.models import PeerGroup, Unit, UnitKind, User
from baozheng.org.roles import Role
from baozheng.org.timeline import Timeline
from baozheng.org.timeline import of as timeline_of
from baozheng.workcal import calendar
from baozheng.workcal.models import CalendarDay


@contextmanager
def one_load() -> Iterator[None]:
    """A demo part's load (`@one_load()`): one transaction, its audit entries written
    together at the end and each data version moved once by its number of changes
    (audit_units.batched, versions.deferred): the stored rows are those of saving one
    by one, in a fraction of the statements. The garbage collector waits meanwhile
    (heap.collector_paused): reference counting frees what a load leaves, and the few
    cycles among it (2 MB at the demo's peak) are collected after it, instead of 0.1 s
    of collections during the demo's build."""
    with collector_paused(), audit_units.batched(), versions.deferred():
        yield


PROVINCE = ("410000", "河南省")
CITY = "411300"

HENAN_CITIES = [
    ("410100", "郑州市"),
    ("410200", "开封市"),
    ("410300", "洛阳市"),
    ("410400", "平顶山市"),
    ("410500", "安阳市"),
    ("410600", "鹤壁市"),
    ("410700", "新乡市"),
    ("410800", "焦作市"),
    ("410900", "濮阳市"),
    ("411000", "许昌市"),
    ("411100", "漯河市"),
    ("411200", "三门峡市"),
    ("411300", "南阳市"),
    ("411400", "商丘市"),
    ("411500", "信阳市"),
    ("411600", "周口市"),
    ("411700", "驻马店市"),
    ("419001", "济源示范区"),
]

COUNTIES = [
    ("411302", "宛城区", UnitKind.DISTRICT),
    ("411303", "卧龙区", UnitKind.DISTRICT),
    ("411321", "南召县", UnitKind.COUNTY),
    ("411322", "方城县", UnitKind.COUNTY),
    ("411323", "西峡县", UnitKind.COUNTY),
    ("411324", "镇平县", UnitKind.COUNTY),
    ("411325", "内乡县", UnitKind.COUNTY),
    ("411326", "淅川县", UnitKind.COUNTY),
    ("411327", "社旗县", UnitKind.COUNTY),
    ("411328", "唐河县", UnitKind.COUNTY),
    ("411329", "新野县", UnitKind.COUNTY),
    ("411330", "桐柏县", UnitKind.COUNTY),
    ("411381", "邓州市", UnitKind.COUNTY_CITY),
]

# Functional zones lie inside districts, so their group does not partition the city.
ZONES = [
    ("411371", "高新区"),
    ("411372", "城乡一体化示范区"),
    ("411300GZ", "官庄工区"),
    ("411300YH", "鸭河工区"),
]

DEPARTMENTS = [
    ("411300FGW", "市发展改革委", "发改委"),
    ("411300SWJ", "市商务局", "商务局"),
    ("411300GXJ", "市工业和信息化局", "工信局"),
    ("411300JYJ", "市教育局", "教育局"),
    ("411300TJJ", "市统计局", "统计局"),
    ("411300CZJ", "市财政局", "财政局"),
    ("411300SWU", "国家税务总局南阳市税务局", "税务局"),
    ("411300ZRJ", "市自然资源和规划局", "自然资源局"),
    ("411300ZJJ", "市住房和城乡建设局", "住建局"),
    ("411300GDG", "国网南阳供电公司", "供电公司"),
]

DEMO_PASSWORD = "Nanyang@2023"
# DEMO_PASSWORD hashed once, by Django 5.2's Argon2 hasher with its own parameters: the
# password is printed for everyone, so a salt of its own per installation protects nothing,
# and hashing it anew was 0.19 s of a first start's 2.3 s of loading.
DEMO_PASSWORD_HASH = (
    "argon2$argon2id$v=19$m=102400,t=2,p=8$U2ROOEdzY1JwbzA5S0tsWDkyOUQxZw"
    "$R56X3jig8xLYeQSiPv8HKeKLMuqsidx+d+XaoY6BXrw"
)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str
    unit: str
    scope: tuple[str, ...]


ACCOUNTS = [
    DemoAccount("admin", "市级管理员", Role.ADMIN, CITY, (CITY,)),
    DemoAccount("dispatch", "调度办 李明", Role.DISPATCH, "411300FGW", (CITY,)),
    DemoAccount("shangwu", "商务局 王芳", Role.DEPARTMENT, "411300SWJ", (CITY,)),
    DemoAccount("wancheng", "宛城区填报员 张伟", Role.CLERK, "411302", ("411302",)),
    DemoAccount("wolong", "卧龙区填报员 刘洋", Role.CLERK, "411303", ("411303",)),
    DemoAccount("leader", "市领导 陈静", Role.LEADER, CITY, (CITY,)),
    DemoAccount("contest", "教育局赛事组 赵磊", Role.CONTEST_STAFF, "411300JYJ", (CITY,)),
    DemoAccount("judge", "评委 孙丽", Role.JUDGE, "411325", ("411325",)),
]


def _unit(
    stored: dict[str, Unit],
    code: str,
    name: str,
    kind: str,
    parent: Unit | None,
    group: PeerGroup | None = None,
    short: str = "",
) -> Unit:
    """A unit matched by code: left as it is when stored so already (its path under
    `parent` too), changed as update_or_create changes it when stored otherwise, else
    created without the read update_or_create makes first. (Saved unchanged, each unit
    was an update, a second read for its audit diff and a move of two data versions, for
    nothing.)"""
    fields = {
        "name": name,
        "kind": kind,
        "parent": parent,
        "peer_group": group,
        "short_name": short,
        "is_demo": True,
    }
    unit = stored.get(code)
    if unit is None:
        return Unit.objects.create(code=code, **fields)
    if _as_stored(unit, fields) and unit.path == Unit.path_of(code, parent):
        return unit
    return Unit.objects.update_or_create(code=code, defaults=fields)[0]


def _as_stored(row: models.Model, fields: dict[str, object]) -> bool:
    """Whether `row` holds `fields` already (a related row compared by its key)."""
    return all(
        getattr(row, row._meta.get_field(name).attname)
        == (value.pk if isinstance(value, models.Model) else value)
        for name, value in fields.items()
    )


def _group(code: str, name: str, parent: Unit, partitions: bool, order: int) -> PeerGroup:
    """A peer group matched by code, left as it is when stored so already."""
    fields = {"name": name, "parent": parent, "partitions": partitions, "order": order}
    group = PeerGroup.objects.filter(code=code).first()
    if group is not None and _as_stored(group, fields):
        return group
    return PeerGroup.objects.update_or_create(code=code, defaults=fields)[0]


@transaction.atomic
def create_units() -> Unit:
    """Henan province as the root (for 全省 rankings), its cities, and Nanyang below it."""
    stored = {unit.code: unit for unit in Unit.objects.all()}
    province = _unit(stored, *PROVINCE, UnitKind.PROVINCE, None)
    cities = _group("410000-CITY", "省辖市", province, True, 1)
    made = [
        _unit(stored, code, name, UnitKind.CITY, province, cities) for code, name in HENAN_CITIES
    ]
    city = next(unit for unit in made if unit.code == CITY)
    if not city.is_home:
        city.is_home = True
        city.save(update_fields=["is_home"])
    counties = _group("411300-COUNTY", "县市区", city, True, 1)
    zones = _group("411300-ZONE", "功能区", city, False, 2)
    for code, name, kind in COUNTIES:
        _unit(stored, code, name, kind, city, counties)
    for code, name in ZONES:
        _unit(stored, code, name, UnitKind.ZONE, city, zones)
    for code, name, short in DEPARTMENTS:
        _unit(stored, code, name, UnitKind.DEPARTMENT, city, None, short)
    return city


@transaction.atomic
def create_users(password: str = DEMO_PASSWORD) -> dict[str, User]:
    """The accounts share one password, printed for everyone (`accounts_table`): it is
    hashed once for all of them (an Argon2 hash takes 0.2 s, a sixth of the demo's first
    start for eight), the demo's own password not at all (`DEMO_PASSWORD_HASH`), and each
    account still stores a hash of it that check_password accepts. Changing an account's
    password gives it a hash of its own."""
    users = {}
    units = {u.code: u for u in Unit.objects.all()}
    hashed = ""
    for account in ACCOUNTS:
        user, created = User.objects.get_or_create(username=account.username)
        admin = account.role == Role.ADMIN
        fields = {
            "full_name": account.full_name,
            "role": account.role,
            "unit": units[account.unit],
            "is_staff": admin,
            "is_superuser": admin,
        }
        if created or not _as_stored(user, fields):  # as the demo makes it: left as it is
            for name, value in fields.items():
                setattr(user, name, value)
            if created:
                user.password = hashed = hashed or _hashed(password)
            user.save()
        user.scope.set([units[c] for c in account.scope])
        users[account.username] = user
    return users


def _hashed(password: str) -> str:
    """`make_password(password)`, or for the demo's own password its hash made once, when
    the default hasher would store such a hash now (same algorithm, parameters current)."""
    hasher = get_hasher()
    if (
        password == DEMO_PASSWORD
        and DEMO_PASSWORD_HASH.startswith(f"{hasher.algorithm}$")
        and not hasher.must_update(DEMO_PASSWORD_HASH)
    ):
        return DEMO_PASSWORD_HASH
    return make_password(password)


def load_calendar(line: Timeline) -> str:
    """The working-day calendar for every year the demo touches: years chinesecalendar
    knows are complete; for a year it does not know yet, only 元旦 (fixed by law, 1月1日)
    is entered, and the year stays 未完整 with its warning until the administrator enters
    the State Council's notice and confirms it."""
    states = []
    for year in line.years:
        if not calendar.package_covers(year):
            CalendarDay.objects.get_or_create(
                date=date(year, 1, 1), defaults={"is_workday": False, "name": "元旦"}
            )
        calendar.clear_cache()
        states.append(f"{year}年{calendar.year_state(year)}")
    return (
        "工作日历："
        + "、".join(states)
        + (
            "（未完整的年度仅录入元旦，按周末计算，截止日期可能不准；请在“工作日历”页补录并确认）"
            if any(not calendar.is_complete(y) for y in line.years)
            else ""
        )
    )


@one_load()
def load(out: Callable[[str], None], as_of: date | None = None) -> None:
    create_units()
    create_users()
    out(
        f"单位：{Unit.objects.count()} 个（河南省、18 个省辖市、南阳市 13 个县市区、4 个功能区、10 个市直部门）"
    )
    out(load_calendar(timeline_of(as_of)))


def accounts_table() -> str:
    lines = ["演示账户（密码均为 " + DEMO_PASSWORD + "）："]
    for a in ACCOUNTS:
        lines.append(f"  {a.username:<10} {Role(a.role).label:<10} {a.full_name}")
    return "\n".join(lines)
