"""A file read, checked and written chunk by chunk behaves as one: a duplicate or an error
in a later chunk than the rows it concerns changes nothing, a dry run writes nothing,
re-importing changes nothing, and progress advances with every chunk."""

from __future__ import annotations

from decimal import Decimal
from unittest import mock

from baozheng.lib.progress import reporting
from baozheng.stats.imports import run_import
from baozheng.stats.imports.observations import ObservationImporter
from baozheng.stats.models import ImportBatch, Observation, ObservationRevision
from baozheng.testing import BaozhengTestCase
from tests.stats import factory

COUNTIES = ("411302", "411303", "411321", "411322", "411323", "411324", "411325")


def rows_csv(*extra: str, value: str = "1.5") -> bytes:
    """7 counties × 11 months × 4 years = 308 rows, then `extra` lines."""
    lines = ["indicator,unit,period,value"]
    for year in range(2020, 2024):
        for month in range(2, 13):
            lines += [f"RETAIL,{unit},{year}-{month:02d},{value}" for unit in COUNTIES]
    return factory.csv("\n".join([*lines, *extra]))


class ChunkedImportTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        factory.indicators()

    def setUp(self) -> None:
        super().setUp()
        small = mock.patch.object(ObservationImporter, "chunk_rows", 50)  # 7 chunks
        small.start()
        self.addCleanup(small.stop)

    def run_cli(self, data: bytes, **kwargs):
        return run_import("observations", data, "data.csv", None, **kwargs)

    def test_a_file_in_many_chunks_imports_like_one_and_reimporting_changes_nothing(self) -> None:
        report = self.run_cli(rows_csv())
        self.assertTrue(report.ok, report.errors[:3])
        self.assertEqual((report.rows, report.created), (308, 308))
        self.assertEqual(ObservationRevision.objects.count(), 308)
        self.assertEqual(ImportBatch.objects.get().created, 308)
        report = self.run_cli(rows_csv())
        self.assertEqual((report.created, report.updated, report.unchanged), (0, 0, 308))
        report = self.run_cli(rows_csv(value="2.25"))
        self.assertEqual(report.updated, 308)
        self.assertEqual(
            set(Observation.objects.values_list("value", flat=True)), {Decimal("2.25")}
        )

    def test_a_duplicate_chunks_after_its_first_row_is_named_and_nothing_is_written(self) -> None:
        report = self.run_cli(rows_csv("RETAIL,411302,2020-02,9"))
        self.assertEqual(
            [str(e) for e in report.errors],
            ["第 310 行“期间”列：与第 2 行重复（同一指标、地区、期间）"],
        )
        self.assertFalse(Observation.objects.exists())
        self.assertFalse(ObservationRevision.objects.exists())
        self.assertEqual(ImportBatch.objects.get().errors, 1)

    def test_an_error_in_the_last_chunk_undoes_the_chunks_written_before_it(self) -> None:
        report = self.run_cli(rows_csv("RETAIL,411302,2024-06,不是数字"))
        self.assertEqual(len(report.errors), 1)
        self.assertEqual(report.errors[0].row, 310)
        self.assertEqual((report.created, report.updated), (0, 0))
        self.assertFalse(Observation.objects.exists())
        self.assertFalse(ObservationRevision.objects.exists())

    def test_a_dry_run_over_many_chunks_counts_everything_and_writes_nothing(self) -> None:
        report = self.run_cli(rows_csv(), dry_run=True)
        self.assertEqual((report.created, report.dry_run), (308, True))
        self.assertFalse(Observation.objects.exists())
        self.assertTrue(ImportBatch.objects.get().dry_run)

    def test_progress_advances_with_every_chunk_read_checked_and_written(self) -> None:
        seen: list[tuple[str, int, int | None]] = []
        with reporting(lambda stage, done, total: seen.append((stage, done, total))):
            self.run_cli(rows_csv())
        for stage in ("read", "checked", "written"):
            steps = [done for name, done, _ in seen if name == stage]
            with self.subTest(stage=stage):
                self.assertGreaterEqual(len(set(steps)), 7)
                self.assertEqual(steps, sorted(steps))
                self.assertEqual(steps[-1], 308)
        self.assertEqual(seen[-1], ("written", 308, 308))
