"""The monitoring tests' world: Nanyang's demo statistics (up to 2023年1-9月) on top of
the org personas, loaded once per test class."""

from __future__ import annotations

from baozheng.reporting import demo as reporting_demo
from baozheng.stats import demo
from baozheng.testing import DEMO_AS_OF, BaozhengTestCase
from baozheng.testing_worlds import shared_world

PERIOD = "2023-09"


class MonitorTestCase(BaozhengTestCase):
    @classmethod
    @shared_world
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        demo.load(lambda text: None, as_of=DEMO_AS_OF)
        # Who reports what; no period control, so these tests see the figures as entered.
        reporting_demo.create_forms()
