"""Who owes what is declared by forms: the clerk's to-do, the grid, the progress page
and the unit pickers count exactly the (unit, form, period) obligations."""

from __future__ import annotations

from django.urls import reverse

from baozheng.analysis.periods import Period
from baozheng.monitor.hints import hints
from baozheng.monitor.progress import reporting_units
from baozheng.reporting.models import FormAssignment, ReportForm
from baozheng.reporting.obligations import form_deadline, obligations
from tests.reporting.base import OPEN, ReportingTestCase


class ObligationTests(ReportingTestCase):
    def test_a_school_owes_nothing_and_counties_owe_their_form(self):
        owed = obligations([self.school, self.wancheng_unit], Period(2023, 10))
        self.assertFalse([key for key in owed if key[1] == self.school.pk])
        mine = {key[0] for key in owed if key[1] == self.wancheng_unit.pk}
        self.assertIn(self.retail.pk, mine)
        self.assertEqual({o.form.code for o in owed.values()}, {"B101"})

    def test_a_form_assigned_by_kind_reaches_the_school_only_when_its_kind_is_listed(self):
        form = ReportForm.objects.create(code="E01", name="学校统计表")
        form.indicators.add(self.retail)
        FormAssignment.objects.create(form=form, unit=self.city, kinds="school")
        owed = obligations([self.school, self.wancheng_unit], Period(2023, 10))
        self.assertEqual(owed[(self.retail.pk, self.school.pk)].form, form)
        self.assertEqual(owed[(self.retail.pk, self.wancheng_unit.pk)].form.code, "B101")

    def test_the_deadline_follows_the_form_and_the_working_day_calendar(self):
        form = ReportForm(deadline_kind="day", deadline_value=10)
        # 2023-10-10 is a Tuesday after the National Day holiday.
        self.assertEqual(form_deadline(form, Period(2023, 9)).isoformat(), "2023-10-10")
        # Oct 1-6 are holidays; Sat 7 and Sun 8 are make-up working days (调休).
        form = ReportForm(deadline_kind="workdays", deadline_value=3)
        self.assertEqual(form_deadline(form, Period(2023, 9)).isoformat(), "2023-10-09")

    def test_the_clerks_to_do_counts_only_wanchengs_obligations_for_the_open_period(self):
        texts = [hint.text for hint in hints(self.wancheng)]
        owed = len(obligations([self.wancheng_unit], Period(2023, 10)))
        self.assertIn(f"2023年1-10月数据待填报 {owed} 项", texts)
        self.assertFalse([t for t in texts if "第一小学" in t])

    def test_the_progress_page_lists_only_reporting_units(self):
        self.login(self.dispatch)
        response = self.client.get(reverse("monitor-progress"))
        self.assertEqual(response.context["period"].code, OPEN)
        codes = {row.unit.code for row in response.context["rows"]}
        self.assertNotIn(self.school.code, codes)
        self.assertNotIn("411300", codes)
        self.assertIn("411302", codes)
        self.assertEqual(len(codes), 17)  # 13 counties and 4 functional zones
        rows = {row.unit.code: row for row in response.context["rows"]}
        self.assertEqual(rows["411303"].missing, [])  # 卧龙区 submitted in the demo
        self.assertEqual(rows["411302"].overdue, rows["411302"].expected)  # 宛城区 is late

    def test_the_entry_grid_offers_only_reporting_units(self):
        self.login(self.wancheng)
        response = self.client.get(reverse("monitor-entry"))
        self.assertEqual([u.code for u in response.context["units"]], ["411302"])
        self.assertEqual(reporting_units(self.wancheng), [self.wancheng_unit])

    def test_a_school_grid_has_nothing_to_enter(self):
        self.login(self.wancheng)
        response = self.client.get(f"/monitor/entry/?unit={self.school.code}&period={OPEN}")
        self.assertEqual(response.context["lines"], [])
        self.assertContains(response, "没有需要您填报的指标")


class FormPageTests(ReportingTestCase):
    def test_dispatch_creates_a_form_and_assigns_it_by_kind(self):
        self.login(self.dispatch)
        response = self.client.post(
            reverse("reporting-forms"),
            {
                "code": "F01",
                "name": "功能区补充表",
                "indicators": [self.retail.pk],
                "frequency": "monthly",
                "deadline_kind": "workdays",
                "deadline_value": "5",
            },
        )
        form = ReportForm.objects.get(code="F01")
        self.assertRedirects(response, reverse("reporting-form", args=[form.pk]))
        self.client.post(
            reverse("reporting-form", args=[form.pk]), {"unit": self.city.pk, "kinds": ["zone"]}
        )
        self.assertEqual(form.assignments.get().kinds, "zone")
        page = self.client.get(reverse("reporting-form", args=[form.pk]))
        members = {u.code for u in page.context["members"]}
        self.assertEqual(members, {"411371", "411372", "411300GZ", "411300YH"})

    def test_a_duplicate_assignment_is_refused_in_chinese(self):
        self.login(self.dispatch)
        form = ReportForm.objects.get(code="B101")
        response = self.client.post(
            reverse("reporting-form", args=[form.pk]),
            {"unit": self.city.pk, "kinds": ["county", "county_city", "district"]},
        )
        self.assertContains(response, "该报表已按同样方式指派给该单位")
        self.assertEqual(form.assignments.count(), 1)

    def test_clerks_and_leaders_read_forms_but_cannot_change_them(self):
        form = ReportForm.objects.get(code="B101")
        for user in (self.wancheng, self.leader, self.dept):
            self.login(user)
            self.assertEqual(self.client.get(reverse("reporting-forms")).status_code, 200)
            response = self.client.post(
                reverse("reporting-forms"), {"code": "X", "name": "X", "indicators": []}
            )
            self.assertEqual(response.status_code, 403)
            response = self.client.post(
                reverse("reporting-form", args=[form.pk]), {"unit": self.school.pk}
            )
            self.assertEqual(response.status_code, 403)
            assignment = form.assignments.get()
            response = self.client.post(
                reverse("reporting-assignment-remove", args=[assignment.pk])
            )
            self.assertEqual(response.status_code, 403)
        self.assertFalse(ReportForm.objects.filter(code="X").exists())
        self.assertEqual(form.assignments.count(), 1)

    def test_anonymous_visitors_are_sent_to_log_in(self):
        response = self.client.get(reverse("reporting-forms"))
        self.assertEqual(response.status_code, 302)
