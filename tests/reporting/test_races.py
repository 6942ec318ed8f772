"""Two managers saving the same form code, assignment or rule code at once: the later one
gets the form back with the reason, never a server error or a second row."""

from __future__ import annotations

from django.urls import reverse

from baozheng.reporting.forms import AssignmentForm, ReportFormForm, RuleForm
from baozheng.reporting.models import FormAssignment, ReportForm, ValidationRule
from tests.interleave import after
from tests.reporting.base import ReportingTestCase
from tests.reporting.test_rule_pages import NEW


class SavedMeanwhileTests(ReportingTestCase):
    def test_a_form_code_taken_meanwhile_is_refused_as_taken(self):
        self.login(self.dispatch)
        data = {
            "code": "F01",
            "name": "功能区补充表",
            "indicators": [self.retail.pk],
            "frequency": "monthly",
            "deadline_kind": "workdays",
            "deadline_value": "5",
        }
        other = lambda: ReportForm.objects.create(code="F01", name="他人的表")  # noqa: E731
        with after(ReportFormForm, "is_valid", other):
            response = self.client.post(reverse("reporting-forms"), data)
        self.assertContains(response, "具有 表号 的 报表 已存在")
        self.assertEqual(ReportForm.objects.get(code="F01").name, "他人的表")

    def test_an_assignment_made_meanwhile_is_refused_as_made(self):
        self.login(self.dispatch)
        form = ReportForm.objects.create(code="F02", name="补充表")
        other = lambda: FormAssignment.objects.create(form=form, unit=self.city)  # noqa: E731
        with after(AssignmentForm, "is_valid", other):
            response = self.client.post(
                reverse("reporting-form", args=[form.pk]), {"unit": self.city.pk}
            )
        self.assertContains(response, "该报表已按同样方式指派给该单位")
        self.assertEqual(form.assignments.count(), 1)

    def test_a_rule_code_taken_meanwhile_is_refused_as_taken(self):
        self.login(self.dispatch)
        other = lambda: ValidationRule.objects.create(  # noqa: E731
            code=NEW["code"], name="他人的规则", kind="expression", severity="error"
        )
        with after(RuleForm, "is_valid", other):
            response = self.client.post(reverse("reporting-rule-new"), NEW)
        self.assertContains(response, "具有 规则编码 的 校验规则 已存在")
        self.assertEqual(ValidationRule.objects.get(code=NEW["code"]).name, "他人的规则")
