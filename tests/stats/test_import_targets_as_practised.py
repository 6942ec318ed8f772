"""docs/rules.md §3.17: rate indicators, one-tier, phase and rank targets through the imports,
with every refusal reported per row in Chinese and nothing changed; history kept."""

from decimal import Decimal

from baozheng.lib.tabular import ImportFileError
from baozheng.stats.imports import run_import
from baozheng.stats.models import ImportBatch, Indicator, Observation, Target, TargetRevision
from baozheng.testing import BaozhengTestCase
from tests.stats import factory


def messages(report) -> dict[tuple[int, str], str]:
    return {(e.row, e.column): e.message for e in report.errors}


class RateIndicatorImportTests(BaozhengTestCase):
    def test_a_rate_is_neither_additive_nor_cumulative_by_default(self) -> None:
        data = factory.csv("""
编码,名称,计量单位,类型,方向
R01,城镇调查失业率,%,比率,逆向
R02,税收占一般公共预算收入比重,%,rate,
""")
        self.assertTrue(run_import("indicators", data, "i.csv").ok)
        rate = Indicator.objects.get(code="R01")
        self.assertEqual((rate.kind, rate.additive, rate.cumulative), ("rate", False, False))
        self.assertEqual(Indicator.objects.get(code="R02").direction, "up")

    def test_a_rate_said_to_be_additive_or_cumulative_is_refused(self) -> None:
        data = factory.csv("""
code,name,kind,additive,cumulative
R01,城镇调查失业率,rate,是,
R02,研发经费投入强度,rate,,yes
""")
        report = run_import("indicators", data, "i.csv")
        found = messages(report)
        self.assertEqual(found[(2, "可加")], "比率类指标不可设为可加")
        self.assertEqual(found[(3, "累计")], "比率类指标不可设为累计")
        self.assertFalse(Indicator.objects.exists())


class RateObservationImportTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.ind = factory.indicators()

    def test_a_rate_is_entered_as_it_stands(self) -> None:
        data = factory.csv("""
indicator,unit,period,value,growth
JOBLESS,411300,2023-06,5.3,
""")
        self.assertTrue(run_import("observations", data, "o.csv").ok)
        self.assertEqual(Observation.objects.get().value, Decimal("5.3"))

    def test_a_growth_for_a_rate_is_refused(self) -> None:
        data = factory.csv("""
指标,地区,期间,累计值,同比增长
城镇调查失业率,南阳市,2023年1-6月,5.3,2.0
""")
        report = run_import("observations", data, "o.csv")
        self.assertIn("比率类指标", messages(report)[(2, "同比增长")])
        self.assertFalse(Observation.objects.exists())


class TargetImportTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.ind = factory.indicators()

    def test_the_contracts_additions_load(self) -> None:
        data = factory.csv("""
指标,地区,年度,期间,类型,保,争,抢
社会消费品零售总额,南阳市,2023,,增速,5,,
社会消费品零售总额,南阳市,2023,2023年1-3月,增速,10,12,
社会消费品零售总额,南阳市,2023,2023-06,总量,900,950,
社会消费品零售总额,南阳市,2023,,位次,3,2,1
城镇调查失业率,南阳市,2023,,,5.5,5.2,
地区生产总值,南阳市,2023,2023-03,增速,8.5,9,
""")
        report = run_import("targets", data, "t.csv")
        self.assertTrue(report.ok, report.errors)
        self.assertEqual(report.created, 6)
        retail = Target.objects.filter(indicator=self.ind["RETAIL"], unit=self.city)
        annual = retail.get(month=None, basis="growth")
        self.assertEqual((annual.floor, annual.stretch, annual.top), (5, None, None))
        self.assertEqual(retail.get(month=3).tier_label, "一季度目标")
        self.assertEqual(retail.get(month=6).basis, "level")
        rank = retail.get(basis="rank")
        self.assertEqual((rank.floor, rank.stretch, rank.top), (3, 2, 1))
        self.assertEqual(Target.objects.get(indicator=self.ind["JOBLESS"]).basis, "level")
        self.assertEqual(TargetRevision.objects.count(), 6)
        again = run_import("targets", data, "t.csv")
        self.assertEqual((again.unchanged, TargetRevision.objects.count()), (6, 6))

    def test_a_reason_longer_than_a_targets_history_keeps_imports_nothing(self) -> None:
        data = factory.csv("指标,地区,年度,保\n社会消费品零售总额,南阳市,2023,5")
        with self.assertRaisesMessage(ImportFileError, "修改理由超过 200 字（201 字）"):
            run_import("targets", data, "t.csv", reason="调" * 201)
        self.assertFalse(Target.objects.exists() or ImportBatch.objects.exists())
        self.assertTrue(run_import("targets", data, "t.csv", reason="调" * 200).ok)
        self.assertEqual(TargetRevision.objects.get().reason, "调" * 200)

    def test_each_refusal_is_reported_on_its_row_and_nothing_changes(self) -> None:
        data = factory.csv("""
indicator,unit,year,period,basis,floor,stretch,top
RETAIL,411300,2023,2024-03,growth,10,12,
RETAIL,411300,2023,2023-01,growth,10,12,
GDP,411300,2023,2023-05,growth,8,9,
RETAIL,411300,2023,2023-06,rank,3,2,
RETAIL,411300,2023,,rank,3,4,
RETAIL,411300,2023,,rank,2.5,,
JOBLESS,411300,2023,,growth,5.5,5.2,
RETAIL,411302,2023,,growth,8,,9
RETAIL,411300,2023,,rank,3,,
RETAIL,411300,2023,,位次,3,2,
""")
        report = run_import("targets", data, "t.csv")
        found = messages(report)
        self.assertEqual(found[(2, "期间")], "期间“2024-03”不在年度 2023 内")
        self.assertIn("2023年1月没有发布数据", found[(3, "期间")])
        self.assertIn("2023年1-5月没有发布数据", found[(4, "期间")])
        self.assertEqual(found[(5, "期间")], "位次目标是全年目标，期间须为空")
        self.assertIn("不能落后于“保”", found[(6, "争")])
        self.assertIn("不小于 1 的整数名次", found[(7, "争")])
        self.assertIn("比率类指标只能设总量目标", found[(8, "争")])
        self.assertEqual(found[(9, "争")], "只有一档目标时不能填写“抢”目标")
        self.assertIn("与第 10 行重复", found[(11, "地区")])
        self.assertFalse(Target.objects.exists())
        self.assertFalse(TargetRevision.objects.exists())

    def test_a_unit_holds_a_value_and_a_rank_target_and_a_change_keeps_history(self) -> None:
        first = factory.csv("""
indicator,unit,year,basis,floor,stretch
RETAIL,411300,2023,growth,12,13
RETAIL,411300,2023,rank,3,2
""")
        self.assertTrue(run_import("targets", first, "t.csv").ok)
        changed = factory.csv("""
indicator,unit,year,basis,floor,stretch
RETAIL,411300,2023,growth,10,
""")
        report = run_import("targets", changed, "t.csv", reason="年中调整")
        self.assertEqual((report.updated, report.created), (1, 0))
        value = Target.objects.get(basis="growth")
        self.assertEqual((value.floor, value.stretch), (10, None))
        versions = TargetRevision.objects.filter(basis="growth").order_by("created_at", "id")
        self.assertEqual([(v.floor, v.reason) for v in versions], [(12, "导入"), (10, "年中调整")])
