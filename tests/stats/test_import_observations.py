from decimal import Decimal

from django.core.exceptions import PermissionDenied

from baozheng.stats.imports import run_import
from baozheng.stats.models import ImportBatch, Observation, ObservationRevision, Status
from baozheng.testing import BaozhengTestCase
from tests.stats import factory

GOOD = factory.csv("""
indicator,unit,period,value,growth
RETAIL,411302,2023-06,210.5,8.2
社会消费品零售总额,卧龙区,2023年1-6月,305.25,
GDP,411300,2023年1-6月,,8.5
""")


class ObservationImportTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.ind = factory.indicators()

    def run_cli(self, data: bytes, **kwargs):
        return run_import("observations", data, "data.csv", None, **kwargs)

    def test_the_command_line_creates_approved_observations_with_one_revision_each(self) -> None:
        report = self.run_cli(GOOD)
        self.assertTrue(report.ok, report.errors)
        self.assertEqual((report.rows, report.created), (3, 3))
        obs = Observation.objects.get(
            indicator=self.ind["RETAIL"], unit=self.wolong_unit, year=2023, month=6
        )
        self.assertEqual(
            (obs.status, obs.value, obs.growth), (Status.APPROVED, Decimal("305.25"), None)
        )
        self.assertEqual(ObservationRevision.objects.count(), 3)
        batch = ImportBatch.objects.get()
        self.assertEqual((batch.created, batch.dry_run, len(batch.file_hash)), (3, False, 64))
        self.assertEqual(set(batch.revisions.values_list("status", flat=True)), {Status.APPROVED})

    def test_reimporting_the_same_file_changes_nothing(self) -> None:
        self.run_cli(GOOD)
        report = self.run_cli(GOOD)
        self.assertEqual((report.created, report.updated, report.unchanged), (0, 0, 3))
        self.assertEqual(ObservationRevision.objects.count(), 3)

    def test_a_dry_run_reports_what_would_happen_and_writes_nothing(self) -> None:
        report = self.run_cli(GOOD, dry_run=True)
        self.assertEqual((report.created, report.dry_run), (3, True))
        self.assertFalse(Observation.objects.exists())
        self.assertTrue(ImportBatch.objects.get().dry_run)

    def test_a_changed_value_becomes_a_new_revision_and_the_old_one_is_kept(self) -> None:
        self.run_cli(GOOD)
        report = self.run_cli(factory.csv("指标,地区,期间,累计值\nRETAIL,411302,2023-06,211.0"))
        self.assertEqual((report.updated, report.unchanged), (1, 0))
        obs = Observation.objects.get(indicator=self.ind["RETAIL"], unit=self.wancheng_unit)
        self.assertEqual((obs.value, obs.growth), (Decimal("211.0"), Decimal("8.2")))
        self.assertEqual(
            [r.value for r in obs.revisions.order_by("id")], [Decimal("210.5"), Decimal("211.0")]
        )

    def test_an_empty_cell_keeps_the_stored_figure_and_a_dash_clears_it(self) -> None:
        self.run_cli(GOOD)
        self.run_cli(factory.csv("indicator,unit,period,value,growth\nRETAIL,411302,2023-06,,-"))
        obs = Observation.objects.get(indicator=self.ind["RETAIL"], unit=self.wancheng_unit)
        self.assertEqual((obs.value, obs.growth), (Decimal("210.5"), None))

    def test_every_row_error_is_reported_in_chinese_and_nothing_is_written(self) -> None:
        data = factory.csv("""
indicator,unit,period,value,growth
RETAIL,411302,2023-06,210.5,8.2
NOPE,411302,2023-06,1,
RETAIL,南阳,2023-06,1,
RETAIL,411302,2023-13,1,
RETAIL,411302,2023-01,1,
RETAIL,411303,2023-06,abc,
RETAIL,411303,2023-05,,
GDP,411300,2023-06,12,8
RETAIL,411302,2023-06,5,
RETAIL,411303,2023-04,1.123456,
,411303,2023-04,1,
""")
        report = self.run_cli(data)
        messages = {(e.row, e.column): e.message for e in report.errors}
        self.assertIn("找不到指标“NOPE”", messages[(3, "指标")])
        self.assertIn("南阳市（411300）", messages[(4, "地区")])
        self.assertIn("无法识别期间", messages[(5, "期间")])
        self.assertIn("1月不发布数据", messages[(6, "期间")])
        self.assertIn("不是有效的数字", messages[(7, "累计值")])
        self.assertIn("均未填写", messages[(8, "累计值")])
        self.assertIn("增速类指标", messages[(9, "累计值")])
        self.assertIn("与第 2 行重复", messages[(10, "期间")])
        self.assertIn("小数位数", messages[(11, "累计值")])
        self.assertEqual(messages[(12, "指标")], "必填")
        self.assertEqual((report.created, report.updated), (0, 0))
        self.assertFalse(Observation.objects.exists())
        self.assertIn("未做任何修改", report.summary())

    def test_a_quarterly_indicator_takes_only_quarter_ends_and_a_yearly_one_the_year(self) -> None:
        data = factory.csv(
            "indicator,unit,period,value,growth\nSRDI,411300,2023年,40,\nGDP,411300,2023-05,,8"
        )
        report = self.run_cli(data)
        self.assertEqual([(e.row, e.column) for e in report.errors], [(3, "期间")])
        data = factory.csv("indicator,unit,period,value\nSRDI,411300,2023年,40")
        self.assertTrue(self.run_cli(data).ok)
        self.assertEqual(Observation.objects.get().month, 12)

    def test_a_locked_value_changes_only_with_a_reason(self) -> None:
        factory.approved(
            self.ind["RETAIL"], self.wancheng_unit, 2023, 6, "200", status=Status.LOCKED
        )
        data = factory.csv("indicator,unit,period,value\nRETAIL,411302,2023-06,201")
        report = self.run_cli(data)
        self.assertIn("已锁定", report.errors[0].message)
        report = self.run_cli(data, reason="统计局年报修订")
        self.assertEqual(report.updated, 1)
        obs = Observation.objects.get()
        self.assertEqual(
            (obs.status, obs.value, obs.note), (Status.LOCKED, Decimal("201"), "统计局年报修订")
        )
        self.assertEqual(obs.revisions.get().reason, "统计局年报修订")

    def test_a_clerk_upload_creates_submitted_figures_that_computations_do_not_read(self) -> None:
        data = factory.csv("indicator,unit,period,value,growth\nRETAIL,宛城区,2023-06,210.5,8.2")
        report = run_import("observations", data, "d.csv", self.wancheng, channel="web")
        self.assertTrue(report.ok, report.errors)
        obs = Observation.objects.get()
        self.assertEqual(
            (obs.status, obs.value, obs.pending_value), (Status.SUBMITTED, None, Decimal("210.5"))
        )
        again = run_import("observations", data, "d.csv", self.wancheng, channel="web")
        self.assertEqual(again.unchanged, 1)

    def test_a_clerk_cannot_import_another_county(self) -> None:
        data = factory.csv(
            "indicator,unit,period,value\nRETAIL,411303,2023-06,1\nRETAIL,卧龙区,2023-06,1"
        )
        report = run_import("observations", data, "d.csv", self.wancheng, channel="web")
        self.assertIn("不在您的数据范围内", report.errors[0].message)
        self.assertIn("找不到地区“卧龙区”", report.errors[1].message)
        self.assertFalse(Observation.objects.exists())

    def test_a_clerk_cannot_change_a_locked_value(self) -> None:
        factory.approved(
            self.ind["RETAIL"], self.wancheng_unit, 2023, 6, "200", status=Status.LOCKED
        )
        data = factory.csv("indicator,unit,period,value\nRETAIL,411302,2023-06,201")
        report = run_import("observations", data, "d.csv", self.wancheng, reason="x")
        self.assertIn("请联系审核人员", report.errors[0].message)

    def test_department_staff_approve_their_own_indicators_on_upload_only(self) -> None:
        data = factory.csv(
            "indicator,unit,period,value\nRETAIL,411302,2023-06,1\nFIVEG,411302,2023-06,5"
        )
        run_import("observations", data, "d.csv", self.dept, channel="web")
        statuses = dict(Observation.objects.values_list("indicator__code", "status"))
        self.assertEqual(statuses, {"RETAIL": Status.APPROVED, "FIVEG": Status.SUBMITTED})

    def test_a_leader_may_not_import_at_all(self) -> None:
        with self.assertRaises(PermissionDenied):
            run_import("observations", GOOD, "d.csv", self.leader)

    def test_the_wide_layout_reads_a_statistics_office_table(self) -> None:
        data = factory.csv("""
2023年1-6月社会消费品零售总额,,
地区,累计值,增长(%)
全市,1500.2,7.5
宛 城 区,210.5,8.2
卧龙区,305.3,-1.0
""")
        report = run_import(
            "observations",
            data,
            "w.csv",
            None,
            indicator="社会消费品零售总额",
            period="2023年1-6月",
        )
        self.assertTrue(report.ok, report.errors)
        figures = dict(Observation.objects.values_list("unit__code", "growth"))
        self.assertEqual(
            figures, {"411300": Decimal("7.5"), "411302": Decimal("8.2"), "411303": Decimal("-1.0")}
        )

    def test_an_xlsx_file_with_chinese_headers_imports_like_a_csv(self) -> None:
        from baozheng.lib.office import new_workbook, workbook_bytes

        wb = new_workbook()
        ws = wb.create_sheet("数据")
        ws.append(["指标", "地区", "期间", "累计值", "同比增长(%)"])
        ws.append(["RETAIL", "宛城区", "2023年1-6月", 210.5, 8.2])
        report = run_import("observations", workbook_bytes(wb), "d.xlsx", None)
        self.assertTrue(report.ok, report.errors)
        self.assertEqual(Observation.objects.get().value, Decimal("210.5"))
