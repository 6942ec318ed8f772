"""The validation rules page: statistics staff read the rules of a form or an indicator;
administrators and the dispatch office create, edit and deactivate them (audited), with
Chinese errors for a malformed expression; expression rules are evaluated like the
built-in ones, against the unit, its parent or the sum of its children."""

from __future__ import annotations

from decimal import Decimal

from auditlog.models import LogEntry
from django.urls import reverse

from baozheng.analysis.periods import Period
from baozheng.reporting import rules
from baozheng.reporting.models import ReportForm, RuleScope, Severity, ValidationRule
from baozheng.stats.models import Indicator, Observation
from tests.reporting.base import ReportingTestCase

NEW = {
    "code": "E01",
    "name": "单月值不得为负（表达式）",
    "indicator": "",
    "kind": "expression",
    "parameter": "",
    "left": "V - Vp",
    "operator": ">=",
    "right": "0",
    "scope": "unit",
    "message": "单月值为负",
    "severity": "error",
    "active": "on",
}


class RulePageTests(ReportingTestCase):
    def test_staff_read_the_rules_and_only_managers_see_the_editing(self):
        self.login(self.dispatch)
        page = self.client.get(reverse("reporting-rules"))
        self.assertContains(page, "单月值不得为负")
        self.assertContains(page, "新建规则")
        self.login(self.dept)
        page = self.client.get(reverse("reporting-rules"))
        self.assertContains(page, "单月值不得为负")
        self.assertNotContains(page, "新建规则")

    def test_the_list_narrows_to_an_indicator_and_a_form(self):
        other = Indicator.objects.exclude(pk=self.retail.pk).filter(kind="amount").first()
        ValidationRule.objects.create(
            code="E09", name="只管另一个指标", kind="expression", indicator=other,
            left="V", operator=">=", right="0", severity=Severity.WARNING,
        )  # fmt: skip
        self.login(self.dispatch)
        page = self.client.get(reverse("reporting-rules"), {"indicator": self.retail.pk})
        self.assertContains(page, "单月值不得为负")
        self.assertNotContains(page, "只管另一个指标")
        form = ReportForm.objects.filter(indicators=other).first()
        page = self.client.get(reverse("reporting-rules"), {"form": form.pk})
        self.assertContains(page, "只管另一个指标")

    def test_dispatch_creates_an_expression_rule_which_is_audited_and_applied(self):
        self.login(self.dispatch)
        response = self.client.post(reverse("reporting-rule-new"), NEW)
        self.assertEqual(response.status_code, 302)
        rule = ValidationRule.objects.get(code="E01")
        self.assertEqual(rule.formula, "V - Vp ≥ 0（右边取自本单位）")
        self.assertTrue(LogEntry.objects.get_for_object(rule).exists())
        sept = Observation.objects.get(
            indicator=self.retail, unit=self.wancheng_unit, year=2023, month=9
        ).value
        found = rules.check(self.retail, self.wancheng_unit, Period(2023, 10), sept - 1, None)
        mine = next(v for v in found if v.rule.code == "E01")
        self.assertTrue(mine.is_error)
        self.assertIn("单月值为负：V - Vp（-1）应 ≥ 0（本单位：0）", mine.text)

    def test_a_malformed_expression_is_refused_in_chinese_and_nothing_is_saved(self):
        self.login(self.admin)
        cases = [
            ({"left": "V -"}, "写法有误"),
            ({"right": "X * 3"}, "“X”不是可用的变量"),
            ({"left": "__import__('os')"}, "不支持"),
            ({"operator": ""}, "请选择运算符"),
            ({"right": "G", "scope": "parent"}, "不能使用 G"),
            ({"kind": "max_ratio_last_year", "left": "", "right": ""}, "须填写参数"),
        ]
        for change, message in cases:
            response = self.client.post(reverse("reporting-rule-new"), {**NEW, **change})
            self.assertContains(response, message)
        self.assertFalse(ValidationRule.objects.filter(code="E01").exists())

    def test_a_rule_is_edited_deactivated_and_reactivated(self):
        rule = ValidationRule.objects.get(code="R02")
        self.login(self.dispatch)
        data = {
            **NEW,
            "code": "R02",
            "name": rule.name,
            "kind": rule.kind,
            "parameter": "5",
            "left": "",
            "operator": "",
            "right": "",
            "severity": "warning",
        }
        response = self.client.post(reverse("reporting-rule-edit", args=[rule.pk]), data)
        self.assertEqual(response.status_code, 302)
        rule.refresh_from_db()
        self.assertEqual(rule.parameter, Decimal("5"))
        self.client.post(reverse("reporting-rule-toggle", args=[rule.pk]))
        rule.refresh_from_db()
        self.assertFalse(rule.active)
        self.assertNotIn(rule, rules.active_rules())
        self.client.post(reverse("reporting-rule-toggle", args=[rule.pk]))
        rule.refresh_from_db()
        self.assertTrue(rule.active)

    def test_parent_and_children_scopes_compare_with_the_parent_and_the_sum(self):
        ValidationRule.objects.update(active=False)
        for code, scope, op in (("E02", RuleScope.PARENT, "<="), ("E03", RuleScope.CHILDREN, ">=")):
            ValidationRule.objects.create(
                code=code, name=code, kind="expression", left="V", operator=op, right="V",
                scope=scope, severity=Severity.ERROR,
            )  # fmt: skip
        sept = Period(2023, 9)
        county = rules.check(self.retail, self.wancheng_unit, sept, Decimal(10) ** 6, None)
        self.assertEqual([v.rule.code for v in county], ["E02"])
        self.assertIn("上级单位：", county[0].text)
        city = rules.check(self.retail, self.city, sept, Decimal(1), None)
        self.assertEqual([v.rule.code for v in city], ["E03"])
        self.assertIn("下级单位之和：", city[0].text)

    def test_refusals_clerk_leader_department_and_anonymous(self):
        rule = ValidationRule.objects.get(code="R01")
        pages = [
            ("get", reverse("reporting-rules")),
            ("get", reverse("reporting-rule-new")),
            ("post", reverse("reporting-rule-new")),
            ("post", reverse("reporting-rule-edit", args=[rule.pk])),
            ("post", reverse("reporting-rule-toggle", args=[rule.pk])),
        ]
        for user in (self.wancheng, self.leader):
            self.login(user)
            for method, url in pages:
                self.assertEqual(getattr(self.client, method)(url, NEW).status_code, 403, url)
        self.login(self.dept)  # reads, never changes
        for method, url in pages[1:]:
            self.assertEqual(getattr(self.client, method)(url, NEW).status_code, 403, url)
        self.client.logout()
        for method, url in pages:
            response = getattr(self.client, method)(url, NEW)
            self.assertEqual(response.status_code, 302)
            self.assertIn("login", response["Location"])
        rule.refresh_from_db()
        self.assertTrue(rule.active)
        self.assertFalse(ValidationRule.objects.filter(code="E01").exists())


class ExpressionCheckTests(ReportingTestCase):
    """The editor checks an expression while it is typed, with the parser that saves it."""

    def check(self, **params):
        return self.client.get(reverse("reporting-rule-check"), params)

    def test_the_editor_asks_as_each_expression_is_typed(self):
        self.login(self.admin)
        page = self.client.get(reverse("reporting-rule-new"))
        self.assertContains(page, f'hx-get="{reverse("reporting-rule-check")}"', count=2)
        self.assertContains(page, 'hx-target="#check-left"')
        self.assertContains(page, '<span id="check-right"></span>')

    def test_a_malformed_expression_is_answered_in_chinese_and_a_good_one_names_its_variables(self):
        self.login(self.dispatch)
        bad = self.check(left="V - X")
        self.assertContains(bad, "“X”不是可用的变量")
        self.assertContains(self.check(right="V *"), "写法有误")
        good = self.check(left="abs(V - Vp)")
        self.assertContains(good, "表达式有效：用到 V（")
        self.assertContains(good, "Vp（")
        self.assertEqual(self.check(left="  ").content, b"")

    def test_clerks_leaders_and_anonymous_callers_are_refused(self):
        for user in (self.wancheng, self.leader, self.dept):
            self.login(user)
            self.assertEqual(self.check(left="V").status_code, 403)
        self.client.logout()
        self.assertEqual(self.check(left="V").status_code, 302)
