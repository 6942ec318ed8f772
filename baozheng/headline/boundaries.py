"""Import of unit boundaries: a GeoJSON FeatureCollection, one feature per unit, keyed by
the unit code in the feature's properties (`code`, `编码` or `adcode`, the administrative
code boundary packages use), geometry Polygon or MultiPolygon in longitude/latitude.

The import contract of the product: every feature is checked and every problem reported
in Chinese; a file with any error changes nothing; a dry run reports what a real import
would do; importing the same file again changes nothing; the attempt is recorded as one
`ImportBatch` with the file's hash (the geometry itself is not copied into the audit log).

A feature list is a table of features: the importer skeleton (`lib.tabular.Importer`) runs
it, with one row per feature (its number is the feature's position). A problem names the
feature, not a row (`FeatureError`), so this importer reports its own, repeated codes
included, rather than through `ImportReport.error`.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from baozheng.headline.models import UnitBoundary
from baozheng.lib.tabular import (
    Importer,
    ImportFileError,
    ImportReport,
    Row,
    RowList,
    UpsertPlan,
)
from baozheng.org.models import Unit, User
from baozheng.org.roles import Cap
from baozheng.stats.imports.context import ImportContext, Recorded

CODE_KEYS = ("code", "编码", "adcode")
GEOMETRY_TYPES = ("Polygon", "MultiPolygon")


@dataclass(frozen=True)
class FeatureError:
    feature: int  # 1-based position in the file
    code: str
    message: str

    def __str__(self) -> str:
        which = f"（编码 {self.code}）" if self.code else ""
        return f"第 {self.feature} 个要素{which}：{self.message}"

    @property
    def row(self) -> int:
        """The feature's position, by which the skeleton orders a report's problems."""
        return self.feature


def _features(data: bytes) -> list:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ImportFileError(f"不是有效的 GeoJSON 文件：{exc}") from None
    if not isinstance(document, dict):
        raise ImportFileError("不是有效的 GeoJSON 文件：顶层应为 FeatureCollection 对象")
    if document.get("type") == "Feature":
        return [document]
    if document.get("type") != "FeatureCollection" or not isinstance(
        document.get("features"), list
    ):
        raise ImportFileError("GeoJSON 顶层应为 FeatureCollection（含 features 列表）")
    return document["features"]


def _code(feature: dict) -> str:
    properties = feature.get("properties") or {}
    if not isinstance(properties, dict):
        return ""
    for key in CODE_KEYS:
        value = properties.get(key)
        if value not in (None, ""):
            return str(value).strip()
    return ""


def _position_ok(position) -> bool:
    return (
        isinstance(position, list | tuple)
        and len(position) >= 2
        and all(isinstance(v, int | float) and math.isfinite(v) for v in position[:2])
        and -180 <= position[0] <= 180
        and -90 <= position[1] <= 90
    )


def _polygon_problem(polygon) -> str:
    if not isinstance(polygon, list) or not polygon:
        return "多边形为空"
    for ring in polygon:
        if not isinstance(ring, list) or len(ring) < 4:
            return "每个环至少需要 4 个坐标点"
        if not all(_position_ok(p) for p in ring):
            return "坐标应为 [经度, 纬度]，经度在 −180～180、纬度在 −90～90 之间"
        if list(ring[0][:2]) != list(ring[-1][:2]):
            return "环未闭合（首尾坐标应相同）"
    return ""


def geometry_problem(geometry) -> str:
    """Why a geometry cannot be stored, or "" when it can."""
    if not isinstance(geometry, dict):
        return "缺少几何（geometry）"
    kind = geometry.get("type")
    if kind not in GEOMETRY_TYPES:
        return f"几何类型应为 Polygon 或 MultiPolygon，实为“{kind}”"
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if kind == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        return "缺少坐标（coordinates）"
    for polygon in polygons:
        if problem := _polygon_problem(polygon):
            return problem
    return ""


def import_boundaries(
    data: bytes, file_name: str, user: User | None = None, dry_run: bool = False
) -> ImportReport:
    return BoundaryImporter(user, file_name).run(data, file_name, dry_run)


Boundary = tuple[Unit, dict]


class BoundaryImporter(Recorded, Importer[Boundary]):
    kind = "boundaries"

    def __init__(self, user: User | None, file_name: str) -> None:
        self.ctx = ImportContext(user=user, channel="cli" if user is None else "web")
        if not self.ctx.may(Cap.MANAGE):
            raise PermissionDenied("您没有导入单位边界的权限")
        self.file_name = file_name
        self.units = {u.code: u for u in Unit.objects.all()}
        self.stored = dict(UnitBoundary.objects.values_list("unit__code", "geometry"))
        self.seen: dict[str, int] = {}

    def read(self, data: bytes, file_name: str) -> RowList:
        self.features = _features(data)
        rows = [
            Row(number, {"code": _code(f) if isinstance(f, dict) else ""})
            for number, f in enumerate(self.features, start=1)
        ]
        return RowList(rows, ["code"])

    def parse_row(self, row: Row, report: ImportReport) -> Boundary | None:
        number, code, feature = row.number, row.get("code"), self.features[row.number - 1]
        problem = ""
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            code, problem = "", "不是 GeoJSON 要素（Feature）"
        elif not code:
            problem = "缺少单位编码（properties 中的 code、编码 或 adcode）"
        elif code not in self.units:
            problem = f"找不到单位“{code}”"
        elif not self.ctx.may(Cap.MANAGE, self.units[code]):
            problem = "该单位不在您的数据范围内，无权导入"
        elif code in self.seen:
            problem = f"与第 {self.seen[code]} 个要素重复"
        else:
            self.seen[code] = number
            problem = geometry_problem(feature.get("geometry"))
        if problem:
            report.errors.append(FeatureError(number, code, problem))
            return None
        geometry = feature["geometry"]
        return self.units[code], {"type": geometry["type"], "coordinates": geometry["coordinates"]}

    def key(self, item: Boundary) -> str:
        return item[0].code

    def plan(self, items: list[Boundary], report: ImportReport) -> UpsertPlan:
        plan: UpsertPlan[Boundary] = UpsertPlan()
        for unit, geometry in items:
            if unit.code not in self.stored:
                plan.creates.append((unit, geometry))
            elif self.stored[unit.code] != geometry:
                plan.updates.append((unit, geometry))
            else:
                plan.unchanged += 1
        return plan

    def commit(self, plan: UpsertPlan, batch: object) -> None:
        for unit, geometry in [*plan.creates, *plan.updates]:
            UnitBoundary.objects.update_or_create(unit=unit, defaults={"geometry": geometry})
