from decimal import Decimal

from django.core.exceptions import PermissionDenied

from baozheng.org.models import PeerGroup, Unit
from baozheng.stats.imports import run_import
from baozheng.stats.models import Indicator, Target
from baozheng.testing import BaozhengTestCase
from tests.stats import factory


class UnitImportTests(BaozhengTestCase):
    FILE = factory.csv("""
编码,名称,上级编码,类型,分组,分组构成上级全域
411302001,新华街道,411302,街道,街道乡镇,是
411302100,黄台岗镇,411302,乡镇,街道乡镇,
""")

    def test_units_are_created_under_their_parent_with_a_new_peer_group(self) -> None:
        report = run_import("units", self.FILE, "u.csv")
        self.assertEqual((report.created, report.errors), (2, []))
        street = Unit.objects.get(code="411302001")
        self.assertEqual(
            (street.parent, street.path), (self.wancheng_unit, "410000/411300/411302/411302001/")
        )
        group = PeerGroup.objects.get(parent=self.wancheng_unit)
        self.assertTrue(group.partitions)
        self.assertEqual(run_import("units", self.FILE, "u.csv").unchanged, 2)

    def test_a_parent_defined_later_in_the_file_is_accepted_and_an_unknown_one_is_not(self) -> None:
        data = factory.csv(
            "code,name,parent,kind\nX2,乙,X1,乡镇\nX1,甲,411302,乡镇\nX3,丙,NOPE,乡镇\nX4,丁,411302,星球"
        )
        report = run_import("units", data, "u.csv")
        self.assertEqual([(e.row, e.column) for e in report.errors], [(4, "上级编码"), (5, "类型")])
        self.assertFalse(Unit.objects.filter(code="X1").exists())
        data = factory.csv("code,name,parent,kind\nX2,乙,X1,乡镇\nX1,甲,411302,乡镇")
        self.assertEqual(run_import("units", data, "u.csv").created, 2)
        self.assertEqual(Unit.objects.get(code="X2").parent.code, "X1")

    def test_only_managers_import_units(self) -> None:
        with self.assertRaises(PermissionDenied):
            run_import("units", self.FILE, "u.csv", self.wancheng)


class IndicatorImportTests(BaozhengTestCase):
    def test_indicators_get_the_documented_defaults_and_reimport_changes_nothing(self) -> None:
        data = factory.csv("""
编码,名称,计量单位,类型,频度,方向,可加,牵头部门
X01,社会消费品零售总额,亿元,总量,月,正向,是,商务局
X02,地区生产总值,%,增速,季,,,
X03,城镇调查失业率,%,数量,月度,逆向,否,
""")
        report = run_import("indicators", data, "i.csv", dry_run=True)
        self.assertEqual((report.created, Indicator.objects.count()), (3, 0))
        self.assertTrue(run_import("indicators", data, "i.csv").ok)
        retail, gdp = Indicator.objects.get(code="X01"), Indicator.objects.get(code="X02")
        self.assertEqual(
            (retail.merged_jan_feb, retail.cumulative, retail.department.code),
            (True, True, "411300SWJ"),
        )
        self.assertEqual(
            (gdp.frequency, gdp.additive, gdp.cumulative, gdp.merged_jan_feb),
            ("quarterly", False, False, False),
        )
        self.assertEqual(Indicator.objects.get(code="X03").direction, "down")
        self.assertEqual(run_import("indicators", data, "i.csv").unchanged, 3)

    def test_bad_cells_are_reported_per_column(self) -> None:
        data = factory.csv(
            "code,name,kind,frequency,additive\nX1,甲,总数,月,是\nX2,乙,增速,旬,\nX3,丙,增速,月,是"
        )
        messages = {
            (e.row, e.column): e.message for e in run_import("indicators", data, "i.csv").errors
        }
        self.assertIn("无法识别", messages[(2, "类型")])
        self.assertIn("无法识别", messages[(3, "频度")])
        self.assertEqual(messages[(4, "可加")], "增速类指标不可加")


class TargetImportTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.ind = factory.indicators()

    def test_targets_import_with_responsible_unit_and_leader(self) -> None:
        data = factory.csv("""
指标,地区,年度,类型,保,争,抢,责任单位,责任领导
地区生产总值,南阳市,2023,增速,8,9,10,市发展改革委,分管副市长
新建5G基站,卧龙区,2023年,总量,100,120,,卧龙区,区长
""")
        report = run_import("targets", data, "t.csv")
        self.assertTrue(report.ok, report.errors)
        gdp = Target.objects.get(indicator=self.ind["GDP"])
        self.assertEqual(
            (gdp.floor, gdp.stretch, gdp.top, gdp.responsible_unit.code, gdp.leader),
            (Decimal("8"), Decimal("9"), Decimal("10"), "411300FGW", "分管副市长"),
        )
        self.assertEqual(run_import("targets", data, "t.csv").unchanged, 2)

    def test_tiers_against_the_direction_are_rejected(self) -> None:
        data = factory.csv("""
indicator,unit,year,basis,floor,stretch
JOBLESS,411300,2023,level,5.5,5.8
RETAIL,411300,2023,growth,12,11
GDP,411300,2023,level,8,9
RETAIL,411302,2023,growth,,9
""")
        messages = {
            (e.row, e.column): e.message for e in run_import("targets", data, "t.csv").errors
        }
        self.assertIn("逆向指标的“争”目标（5.8）不能高于“保”目标（5.5）", messages[(2, "争")])
        self.assertIn("不能低于“保”目标", messages[(3, "争")])
        self.assertIn("增速类指标只能设增速目标", messages[(4, "争")])
        self.assertEqual(messages[(5, "保")], "必填")
        self.assertFalse(Target.objects.exists())

    def test_clerks_may_not_set_targets(self) -> None:
        with self.assertRaises(PermissionDenied):
            run_import("targets", b"indicator,unit,year,floor,stretch\n", "t.csv", self.wancheng)
