"""亮灯规则: the admin sets the amber margins on a page, globally and per indicator; every
page and the bulletin read them; changes are audited; nobody else may change them."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.urls import reverse

from baozheng.lib.races import TAKEN_MESSAGE
from baozheng.stats.bulletin import bulletin_json, status_rules
from baozheng.stats.models import Indicator, LightRule
from baozheng.stats.views_lights import LightRuleForm
from tests.interleave import after
from tests.monitor.base import PERIOD, MonitorTestCase

GLOBAL = {
    "which": "global",
    "at_risk_growth_pp": "1.0",
    "at_risk_completion_pp": "5.0",
    "at_risk_rate_pp": "1.0",
}


class LightRulePageTests(MonitorTestCase):
    def test_without_rules_the_domain_defaults_hold(self):
        rules = status_rules()
        self.assertEqual(
            (rules.at_risk_growth_pp, rules.at_risk_completion_pp, rules.at_risk_rate_pp),
            (1.0, 5.0, 1.0),
        )

    def test_the_admin_sets_the_global_margin_and_the_bulletin_follows(self):
        def yellow() -> int:
            rows = bulletin_json(PERIOD, self.city)["rows"]
            return sum(r["status"] == "at_risk" for r in rows)

        before = yellow()
        self.login(self.admin)
        response = self.client.post(
            reverse("stats-light-rules"), {**GLOBAL, "at_risk_growth_pp": "0"}
        )
        self.assertRedirects(response, reverse("stats-light-rules"))
        self.assertEqual(status_rules().at_risk_growth_pp, 0.0)
        self.assertLess(yellow(), before)
        self.assertTrue(LogEntry.objects.get_for_model(LightRule).filter(actor=self.admin).exists())

    def test_an_indicator_rule_replaces_the_global_one_for_that_indicator(self):
        retail = Indicator.objects.get(code="B01")
        self.login(self.admin)
        self.client.post(
            reverse("stats-light-rules"),
            {**GLOBAL, "which": "new", "indicator": retail.pk, "at_risk_growth_pp": "3"},
        )
        rules = status_rules()
        self.assertEqual(rules.for_indicator("B01").at_risk_growth_pp, 3.0)
        self.assertEqual(rules.for_indicator("B02").at_risk_growth_pp, 1.0)
        rule = LightRule.objects.get(indicator=retail)
        self.client.post(reverse("stats-light-rule-remove", args=[rule.pk]))
        self.assertEqual(status_rules().for_indicator("B01").at_risk_growth_pp, 1.0)

    def test_a_negative_margin_is_refused_in_chinese(self):
        self.login(self.admin)
        response = self.client.post(
            reverse("stats-light-rules"), {**GLOBAL, "at_risk_rate_pp": "-1"}
        )
        self.assertContains(response, "预警幅度不能为负数")
        self.assertFalse(LightRule.objects.exists())

    def test_only_the_admin_may_open_or_change_the_rules(self):
        for user in (self.dispatch, self.leader, self.wancheng):
            self.login(user)
            self.assertEqual(self.client.get(reverse("stats-light-rules")).status_code, 403)
            self.assertEqual(
                self.client.post(reverse("stats-light-rules"), GLOBAL).status_code, 403
            )
        self.assertFalse(LightRule.objects.exists())
        self.client.logout()
        self.assertEqual(self.client.get(reverse("stats-light-rules")).status_code, 302)


class LightRuleRaceTests(MonitorTestCase):
    def test_a_global_rule_first_saved_meanwhile_by_another_admin_is_not_doubled(self):
        self.login(self.admin)
        with after(LightRuleForm, "is_valid", LightRule.objects.create):
            response = self.client.post(reverse("stats-light-rules"), GLOBAL)
        self.assertContains(response, TAKEN_MESSAGE)
        self.assertEqual(LightRule.objects.filter(indicator=None).count(), 1)
