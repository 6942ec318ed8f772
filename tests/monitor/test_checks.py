"""The rules behind the entry grid and the dashboard's small pictures, without a database."""

from __future__ import annotations

from decimal import Decimal

from django.test import SimpleTestCase

from baozheng.monitor.charts import sparkline
from baozheng.monitor.entry_checks import check_figures, growth_of, parse_figure
from baozheng.monitor.report import Row
from baozheng.org.models import Unit
from baozheng.stats.models import Indicator

D = Decimal


def amount() -> Indicator:
    return Indicator(
        code="B01", name="社会消费品零售总额", kind="amount", warn_growth_change_pp=D("5")
    )


class EntryCheckTests(SimpleTestCase):
    def test_it_reads_figures_with_thousands_separators_and_percent_signs(self):
        self.assertEqual(parse_figure("1,234.5"), D("1234.5"))
        self.assertEqual(parse_figure(" 8.2% "), D("8.2"))
        self.assertIsNone(parse_figure("  "))

    def test_it_refuses_what_is_not_a_number(self):
        for text in ("12o", "nan", "inf", "1.2.3"):
            with self.assertRaises(ValueError):
                parse_figure(text)

    def test_a_growth_at_or_below_minus_100_is_an_error(self):
        self.assertTrue(check_figures(amount(), None, D("-100"), None, None, None).errors)
        self.assertFalse(check_figures(amount(), None, D("-99.9"), None, None, None).errors)

    def test_a_count_must_be_a_whole_number(self):
        count = Indicator(code="C01", name="新增规上工业企业数", kind="count")
        self.assertTrue(check_figures(count, D("12.5"), None, None, None, None).errors)
        self.assertFalse(check_figures(count, D("12"), None, None, None, None).errors)

    def test_a_growth_only_indicator_takes_no_value(self):
        gdp = Indicator(
            code="A01", name="地区生产总值", kind="growth", additive=False, cumulative=False
        )
        self.assertTrue(check_figures(gdp, D("100"), D("5"), None, None, None).errors)

    def test_a_jump_beyond_the_threshold_warns_but_does_not_block(self):
        checked = check_figures(amount(), None, D("15.1"), None, D("10"), None)
        self.assertFalse(checked.errors)
        self.assertIn("变化 5.1 个百分点", checked.warnings[0])
        self.assertFalse(check_figures(amount(), None, D("15"), None, D("10"), None).warnings)

    def test_the_jump_is_measured_on_the_growth_from_values_when_none_is_typed(self):
        checked = check_figures(amount(), D("130"), None, None, D("10"), D("100"))
        self.assertIn("变化 20.0 个百分点", checked.warnings[0])

    def test_a_falling_cumulative_value_warns(self):
        checked = check_figures(amount(), D("90"), None, D("100"), None, None)
        self.assertIn("累计值低于上期", checked.warnings[0])

    def test_published_growth_wins_over_the_values(self):
        self.assertEqual(growth_of(D("110"), D("8"), D("100")), D("8"))
        self.assertEqual(growth_of(D("110"), None, D("100")), D("10"))
        self.assertIsNone(growth_of(D("110"), None, D("0")))


class PictureTests(SimpleTestCase):
    def test_a_sparkline_needs_two_points_and_names_every_figure(self):
        self.assertIsNone(sparkline(["1-2月"], [5.0]))
        line = sparkline(["1-2月", "1-3月", "1-4月"], [5.0, None, 7.25])
        self.assertEqual(len(line.points.split()), 2)
        self.assertEqual(line.values, "1-2月 5.0%；1-4月 7.3%")

    def test_the_gap_to_the_floor_follows_the_direction(self):
        unit = Unit(code="411302", name="宛城区")
        data = {
            "target_basis": "growth",
            "target_floor": 8.0,
            "growth": 6.55,
            "status": "off_track",
        }
        self.assertEqual(Row(data, amount(), unit, False).floor_gap, -1.4)
        jobless = Indicator(code="D01", name="城镇调查失业率", kind="count", direction="down")
        level = {"target_basis": "level", "target_floor": 5.5, "value": 5.8, "status": "at_risk"}
        self.assertEqual(Row(level, jobless, unit, False).floor_gap, -0.3)

    def test_a_level_targets_gap_is_the_progress_behind_schedule(self):
        unit = Unit(code="411302", name="宛城区")
        data = {
            "target_basis": "level",
            "target_floor": 200,
            "completion_pct": 64.66,
            "expected_pct": 71.3,
        }
        row = Row(data, amount(), unit, False)
        self.assertEqual((row.floor_gap, row.gap_kind), (-6.6, "progress"))


class RateEntryCheckTests(SimpleTestCase):
    """A rate (城镇调查失业率) is entered as it stands: no growth field (issue 16)."""

    def rate(self) -> Indicator:
        return Indicator(
            code="D01",
            name="城镇调查失业率",
            kind="rate",
            direction="down",
            additive=False,
            cumulative=False,
            warn_growth_change_pp=D("5"),
        )

    def test_a_growth_for_a_rate_is_an_error(self):
        errors = check_figures(self.rate(), D("5.5"), D("2.0"), None, None, None).errors
        self.assertEqual(errors, ["比率类指标只填当期比率，不填同比增长"])

    def test_a_rate_is_not_warned_as_a_growth(self):
        checked = check_figures(self.rate(), D("9.0"), None, D("5.0"), D("1.0"), D("5.0"))
        self.assertEqual((checked.errors, checked.warnings), ([], []))
