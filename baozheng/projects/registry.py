"""The project registry (登记信息): reading its fields from text and writing them.

An import row and the create/edit page both hand `parse_registry` the same texts — unit
codes or names, 是/否, amounts with thousands separators, choice codes or labels — so a
project is accepted or refused by one set of rules with the same Chinese messages
wherever it is entered. `save_registry` is the one write of those fields.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction

from baozheng.lib.bounds import (
    ENTERED_YEARS,
    check_decimal,
    length_errors,
    over,
    parse_year,
)
from baozheng.lib.tabular import Column, match_one, parse_bool, parse_decimal
from baozheng.org.models import Unit, UnitKind, User
from baozheng.projects.models import Batch, BatchEntry, Category, Industry, Project

COUNTY_KINDS = (UnitKind.DISTRICT, UnitKind.COUNTY, UnitKind.COUNTY_CITY, UnitKind.ZONE)

REGISTRY_COLUMNS = [
    Column("code", ("code", "项目编码")),
    Column("name", ("name", "项目名称")),
    Column("county", ("county", "县市区")),
    Column("department", ("department", "主管部门"), False),
    Column("industry", ("industry", "行业")),
    Column("manufacturing", ("manufacturing", "是否制造业")),
    Column("total_investment", ("total_investment", "总投资（万元）", "总投资")),
    Column("plan_year", ("plan_year", "计划年度"), False),
    Column("annual_plan", ("annual_plan", "年度计划投资（万元）", "年度计划投资"), False),
    Column("category", ("category", "项目类别")),
    Column("batch", ("batch", "三个一批批次"), False),
    Column("batch_side", ("batch_side", "批次类别"), False),
    Column("batch_date", ("batch_date", "批次日期"), False),
    Column("leader", ("leader", "分包领导"), False),
    Column("leader_account", ("leader_account", "分包领导账户"), False),
    Column("lead_unit", ("lead_unit", "牵头单位"), False),
    Column("task_force", ("task_force", "工作专班"), False),
]

# The Chinese name of each column, used in row errors and as form labels.
LABELS = {c.key: c.headers[1] for c in REGISTRY_COLUMNS}

BatchChoice = tuple[str, str, date | None]  # (batch name, side, held on)


@dataclass
class RegistryEntry:
    values: dict[str, object]  # Project field → value
    batch: BatchChoice | None


class Lookups:
    """Units and accounts loaded once, for a whole import or one form."""

    def __init__(self) -> None:
        units = list(Unit.objects.all())
        self.counties = [(u.code, u.name) for u in units if u.kind in COUNTY_KINDS]
        self.units = [(u.code, u.name) for u in units] + [
            (u.code, u.short_name) for u in units if u.short_name
        ]
        self.unit_by_code = {u.code: u for u in units}
        self.users = {u.username: u for u in User.objects.all()}


def parse_date(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text.replace("/", "-").replace(".", "-")[:10])
    except ValueError:
        raise ValueError(f"“{text}”不是有效日期，请写作 2023-06-30") from None


def _required(text: str, what: str) -> str:
    if not text.strip():
        raise ValueError(f"{what}不能为空")
    return text.strip()


def _choice(text: str, choices: type, what: str) -> str:
    return match_one(text, [(c.value, c.label) for c in choices], what)


def _amount(text: str, required: bool) -> Decimal | None:
    if not text.strip():
        if required:
            raise ValueError("金额不能为空")
        return None
    value = parse_decimal(text)
    if value < 0:
        raise ValueError("金额不能为负")
    return check_decimal(value, Project._meta.get_field("total_investment"))


def _year(text: str) -> int | None:
    if not text.strip():
        return None
    try:
        return parse_year(text)
    except ValueError:
        first, last = ENTERED_YEARS
        raise ValueError(
            f"“{text.strip()[:40]}”不是年份，请写作 2023（{first} 至 {last}）"
        ) from None


def parse_registry(
    get: Callable[[str], str], look: Lookups
) -> tuple[RegistryEntry | None, list[tuple[str, str]]]:
    """The registry fields from their texts (`get(column key)`), or the problems found as
    (column key, message); every field is checked so that all problems are reported."""
    values: dict[str, object] = {}
    errors: list[tuple[str, str]] = []

    def unit(t: str, candidates: list[tuple[str, str]], what: str) -> Unit | None:
        return look.unit_by_code[match_one(t, candidates, what)] if t.strip() else None

    parsers: list[tuple[str, str, Callable[[str], object]]] = [
        ("code", "code", lambda t: _required(t, "项目编码")),
        ("name", "name", lambda t: _required(t, "项目名称")),
        ("county", "county", lambda t: unit(_required(t, "县市区"), look.counties, "县市区")),
        ("department", "department", lambda t: unit(t, look.units, "单位")),
        ("lead_unit", "lead_unit", lambda t: unit(t, look.units, "单位")),
        ("industry", "industry", lambda t: _choice(t, Industry, "行业")),
        ("is_manufacturing", "manufacturing", parse_bool),
        ("total_investment", "total_investment", lambda t: _amount(t, required=True)),
        ("annual_plan", "annual_plan", lambda t: _amount(t, required=False)),
        ("plan_year", "plan_year", _year),
        ("category", "category", lambda t: _choice(t, Category, "项目类别")),
        ("task_force", "task_force", str.strip),
    ]
    for field, key, parse in parsers:
        try:
            values[field] = parse(get(key))
        except ValueError as exc:
            errors.append((key, str(exc)))
    values["leader_name"] = get("leader").strip()
    values["leader"] = None
    account = get("leader_account").strip()
    if account in look.users:
        values["leader"] = look.users[account]
        values["leader_name"] = values["leader_name"] or str(look.users[account])
    elif account:
        errors.append(("leader_account", f"找不到账户“{account}”"))
    if values.get("annual_plan") is not None and values.get("plan_year") is None:
        errors.append(("plan_year", "填写了年度计划投资时必须填写计划年度"))
    keys = {field: key for field, key, _ in parsers} | {"leader_name": "leader"}
    errors += [
        (keys.get(field, field), message) for field, message in length_errors(Project, values)
    ]
    batch = _parse_batch(get, errors)
    return (None if errors else RegistryEntry(values, batch)), errors


def _parse_batch(get: Callable[[str], str], errors: list[tuple[str, str]]) -> BatchChoice | None:
    name = get("batch").strip()
    if not name:
        return None
    limit = Batch._meta.get_field("name").max_length
    if len(name) > limit:
        errors.append(("batch", over(limit, len(name))))
        return None
    try:
        side = _choice(get("batch_side"), BatchEntry.Side, "批次类别")
    except ValueError as exc:
        errors.append(("batch_side", str(exc)))
        return None
    try:
        held_on = parse_date(get("batch_date"))
    except ValueError as exc:
        errors.append(("batch_date", str(exc)))
        return None
    if held_on is None and not Batch.objects.filter(name=name).exists():
        errors.append(("batch_date", f"新批次“{name}”需要填写批次日期"))
        return None
    return name, side, held_on


def registry_texts(project: Project) -> dict[str, str]:
    """A project's registry as the texts `parse_registry` reads (the edit form's start)."""
    entry = project.batch_entries.select_related("batch").order_by("-batch__held_on").first()
    return {
        "code": project.code,
        "name": project.name,
        "county": project.county.code,
        "department": project.department.code if project.department else "",
        "industry": project.industry,
        "manufacturing": "是" if project.is_manufacturing else "否",
        "total_investment": str(project.total_investment),
        "plan_year": str(project.plan_year or ""),
        "annual_plan": str(project.annual_plan or ""),
        "category": project.category,
        "leader": project.leader_name,
        "leader_account": project.leader.username if project.leader else "",
        "lead_unit": project.lead_unit.code if project.lead_unit else "",
        "task_force": project.task_force,
        "batch": entry.batch.name if entry else "",
        "batch_side": entry.side if entry else "",
        "batch_date": entry.batch.held_on.isoformat() if entry else "",
    }


@transaction.atomic
def save_registry(
    project: Project | None, values: dict[str, object], batch: BatchChoice | None
) -> tuple[Project, bool, bool]:
    """Create the project (None) or update the given one; put it in the batch if one is
    named (other batch entries stay). Returns (project, created, changed)."""
    if project is None:
        project = Project.objects.create(**values)
        created, changed = True, True
    else:
        created = False
        changed = any(getattr(project, k) != v for k, v in values.items())
        if changed:
            for k, v in values.items():
                setattr(project, k, v)
            project.save()
    if batch:
        name, side, held_on = batch
        found, batch_created = Batch.objects.get_or_create(name=name, defaults={"held_on": held_on})
        entry, entry_created = BatchEntry.objects.get_or_create(
            batch=found, project=project, defaults={"side": side}
        )
        if not entry_created and entry.side != side:
            entry.side = side
            entry.save()
            entry_created = True
        changed = changed or batch_created or entry_created
    return project, created, changed
