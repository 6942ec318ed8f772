"""The monitoring tests' world: Nanyang's demo statistics (up to 2023年1-9月) on top of
the org personas, loaded once per test class."""

from __future__ import annotations

from baozheng.reporting import demo as reporting_demo
from baozheng.testing_worlds import shared_world
from tests.stats.world import StatsDemoTestCase

PERIOD = "2023-09"


class MonitorTestCase(StatsDemoTestCase):
    @classmethod
    @shared_world
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # Who reports what; no period control, so these tests see the figures as entered.
        reporting_demo.create_forms()
