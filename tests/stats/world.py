"""The world most statistics, monitoring and reporting tests stand on: the personas and the
demo statistics built on `DEMO_AS_OF` (2023年1-9月 released, 1-10月 open). Built once per test
process and committed (`shared_world`): the classes below it roll back to it."""

from __future__ import annotations

from baozheng.stats import demo
from baozheng.testing import DEMO_AS_OF, BaozhengTestCase
from baozheng.testing_worlds import shared_world


class StatsDemoTestCase(BaozhengTestCase):
    @classmethod
    @shared_world
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        demo.load(lambda text: None, as_of=DEMO_AS_OF)
