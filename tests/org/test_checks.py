from django.core.checks import run_checks
from django.test import override_settings

from baozheng.testing import BaozhengTestCase


class HomeUnitCheckTests(BaozhengTestCase):
    def codes(self) -> list[str]:
        return [message.id for message in run_checks()]

    def test_an_unknown_home_unit_is_reported(self) -> None:
        with override_settings(HOME_UNIT="999999"):
            self.assertIn("baozheng.W001", self.codes())

    def test_a_real_or_empty_home_unit_is_fine(self) -> None:
        for code in ("411300", ""):
            with override_settings(HOME_UNIT=code):
                self.assertNotIn("baozheng.W001", self.codes())
