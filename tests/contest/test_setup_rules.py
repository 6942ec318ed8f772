"""The value rules of contest setup, checked without a database."""

from decimal import Decimal as D

from django.test import SimpleTestCase

from baozheng.contest.setup_rules import quota_errors, step_error, weight_errors


class SetupValueRuleTests(SimpleTestCase):
    def test_weights_must_add_up_to_exactly_one_hundred_percent(self):
        self.assertEqual(weight_errors(D(70), D(30)), [])
        self.assertIn("100%", weight_errors(D(70), D(40))[0])

    def test_default_quotas_ten_twenty_thirty_are_accepted(self):
        self.assertEqual(quota_errors(D(10), D(20), D(30)), [])

    def test_quotas_must_ascend_from_first_to_third_prize(self):
        self.assertIn("逐级递增", "".join(quota_errors(D(30), D(20), D(10))))

    def test_quotas_together_cannot_exceed_every_contestant(self):
        self.assertIn("不能超过 100%", "".join(quota_errors(D(30), D(40), D(50))))

    def test_a_quota_outside_zero_to_hundred_is_refused(self):
        self.assertIn("0 到 100", "".join(quota_errors(D(-1), D(20), D(30))))

    def test_rubric_maximum_must_be_positive_and_a_whole_number_of_steps(self):
        self.assertEqual(step_error(D(10), D("0.5")), "")
        self.assertIn("大于 0", step_error(D(0), D("0.5")))
        self.assertIn("整数倍", step_error(D(10), D(3)))
        self.assertIn("最小分值单位必须大于 0", step_error(D(10), D(0)))
