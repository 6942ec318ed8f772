"""The reporting tests' world: the demo statistics with the full demo reporting system
(forms with their approval chain, default rules, 2023年1-9月 released with a snapshot,
2023年1-10月 open for entry) and a school under 宛城区 that owes nothing."""

from __future__ import annotations

from baozheng.org.models import Unit, UnitKind
from baozheng.reporting import demo as reporting_demo
from baozheng.stats.models import Indicator
from baozheng.testing import DEMO_AS_OF
from baozheng.testing_worlds import shared_world
from tests.stats.world import StatsDemoTestCase

OPEN = "2023-10"
RELEASED = "2023-09"


class ReportingTestCase(StatsDemoTestCase):
    @classmethod
    @shared_world
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.school = Unit.objects.create(
            code="411302S01",
            name="宛城区第一小学",
            kind=UnitKind.SCHOOL,
            parent=cls.wancheng_unit,
        )
        reporting_demo.load(lambda text: None, as_of=DEMO_AS_OF)
        cls.retail = Indicator.objects.get(code="B01")

    def entry(self, figures: dict, action: str = "save", unit: str = "411302", period=OPEN):
        data = {"action": action}
        for indicator, (value, growth) in figures.items():
            data[f"value-{indicator.pk}"] = value
            data[f"growth-{indicator.pk}"] = growth
        return self.client.post(f"/monitor/entry/?unit={unit}&period={period}", data)
