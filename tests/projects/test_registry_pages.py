"""Registering and editing a project on a page: the import's rules, scope, refusals, audit;
and a county's project list as xlsx."""

import io
from datetime import date
from decimal import Decimal

from auditlog.models import LogEntry
from django.urls import reverse
from openpyxl import load_workbook

from baozheng.org.models import Unit
from baozheng.projects.forms import RegistryForm
from baozheng.projects.importer import import_projects
from baozheng.projects.models import Batch, BatchEntry, Project
from baozheng.projects.registry import LABELS
from baozheng.testing import BaozhengTestCase
from tests.interleave import after
from tests.projects.factory import make_project

VALID = {
    "code": "NY-101",
    "name": "宛城智能装备产业园",
    "county": "411302",
    "department": "411300GXJ",
    "industry": "equipment",
    "manufacturing": "是",
    "total_investment": "120,000",
    "plan_year": "2023",
    "annual_plan": "30000.5",
    "category": "batch",
    "batch": "2023年第二期",
    "batch_side": "signed",
    "batch_date": "2023-06-28",
    "leader": "",
    "leader_account": "leader",
    "lead_unit": "411302",
    "task_force": "装备制造专班",
}


class RegistryPageTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.own = make_project(
            cls.wancheng_unit,
            "WC-001",
            leader=cls.leader,
            department=Unit.objects.get(code="411300SWJ"),
        )
        cls.other = make_project(
            cls.wolong_unit, "WL-001", department=Unit.objects.get(code="411300GXJ")
        )

    def post_new(self, **changes):
        return self.client.post(reverse("projects-create"), {**VALID, **changes})

    def test_a_clerk_registers_a_project_of_their_county_with_amounts_leader_and_batch(self):
        self.login(self.wancheng)
        response = self.post_new()
        project = Project.objects.get(code="NY-101")
        self.assertRedirects(response, reverse("projects-detail", args=[project.pk]))
        self.assertEqual(project.county, self.wancheng_unit)
        self.assertEqual(project.total_investment, Decimal("120000.00"))
        self.assertEqual(project.annual_plan, Decimal("30000.50"))
        self.assertEqual((project.leader, project.leader_name), (self.leader, str(self.leader)))
        self.assertTrue(project.is_manufacturing)
        entry = BatchEntry.objects.get(project=project)
        self.assertEqual(
            (entry.batch.name, entry.batch.held_on, entry.side),
            ("2023年第二期", date(2023, 6, 28), "signed"),
        )

    def test_the_registration_is_audited_with_the_clerk_as_actor(self):
        self.login(self.wancheng)
        self.post_new()
        entry = LogEntry.objects.get_for_object(Project.objects.get(code="NY-101")).get()
        self.assertEqual((entry.action, entry.actor), (LogEntry.Action.CREATE, self.wancheng))

    def test_the_page_refuses_a_row_with_exactly_the_messages_of_the_import(self):
        bad = {
            "county": "不存在县",
            "manufacturing": "也许",
            "total_investment": "-5",
            "plan_year": "",
            "annual_plan": "100",
            "leader_account": "nobody",
            "batch": "新批次",
            "batch_date": "",
        }
        self.login(self.dispatch)
        form = self.post_new(**bad).context["form"]
        on_page = {(LABELS[k], m) for k, messages in form.errors.items() for m in messages}
        header = ",".join(LABELS.values())
        row = ",".join({**VALID, **bad}[k] for k in LABELS).replace("120,000", "120000")
        report = import_projects(f"{header}\n{row}\n".encode(), "p.csv", dry_run=True)
        self.assertEqual(on_page, {(e.column, e.message) for e in report.errors})
        self.assertEqual(len(on_page), 6)
        self.assertFalse(Project.objects.filter(code="NY-101").exists())

    def test_a_code_already_used_by_another_project_is_refused(self):
        self.login(self.dispatch)
        response = self.post_new(code="WL-001")
        self.assertContains(response, "项目编码“WL-001”已被其他项目使用")
        self.assertEqual(Project.objects.filter(code="WL-001").count(), 1)

    def test_a_clerk_cannot_register_a_project_in_another_county(self):
        self.login(self.wancheng)
        response = self.post_new(county="411303")
        self.assertContains(response, "您只能登记本人负责的县市区的项目")
        self.assertFalse(Project.objects.filter(code="NY-101").exists())

    def test_a_clerk_cannot_open_or_change_another_countys_project(self):
        self.login(self.wancheng)
        url = reverse("projects-edit", args=[self.other.pk])
        self.assertEqual(self.client.get(url).status_code, 403)
        self.assertEqual(
            self.client.post(url, {**VALID, "code": "WL-001", "county": "411303"}).status_code, 403
        )
        self.assertEqual(Project.objects.get(pk=self.other.pk).name, self.other.name)

    def test_a_clerk_cannot_move_their_project_to_another_county(self):
        self.login(self.wancheng)
        response = self.client.post(
            reverse("projects-edit", args=[self.own.pk]),
            {**VALID, "code": "WC-001", "county": "411303"},
        )
        self.assertContains(response, "您只能登记本人负责的县市区的项目")
        self.assertEqual(Project.objects.get(pk=self.own.pk).county, self.wancheng_unit)

    def test_a_leader_may_neither_register_nor_edit_even_their_own_project(self):
        self.login(self.leader)
        self.assertEqual(self.client.get(reverse("projects-create")).status_code, 403)
        self.assertEqual(self.post_new().status_code, 403)
        url = reverse("projects-edit", args=[self.own.pk])
        self.assertEqual(self.client.get(url).status_code, 403)
        self.assertEqual(self.client.post(url, {**VALID, "code": "WC-001"}).status_code, 403)
        self.assertFalse(Project.objects.filter(code="NY-101").exists())

    def test_judges_contest_staff_and_anonymous_visitors_are_kept_out(self):
        url = reverse("projects-edit", args=[self.own.pk])
        self.assertEqual(self.client.get(reverse("projects-create")).status_code, 302)
        self.assertEqual(self.client.post(url, VALID).status_code, 302)
        for user in (self.judge, self.contest_staff):
            self.login(user)
            self.assertEqual(self.client.get(reverse("projects-create")).status_code, 403)
            self.assertEqual(self.post_new().status_code, 403)
            self.assertEqual(self.client.post(url, {**VALID, "code": "WC-001"}).status_code, 403)
        self.assertFalse(Project.objects.filter(code="NY-101").exists())

    def test_department_staff_maintain_only_projects_their_department_is_in_charge_of(self):
        self.login(self.dept)  # 商务局
        self.assertContains(self.post_new(), "部门人员只能登记本部门主管的项目")
        self.assertRedirects(
            self.post_new(department="411300SWJ"),
            reverse("projects-detail", args=[Project.objects.get(code="NY-101").pk]),
        )
        self.assertEqual(
            self.client.get(reverse("projects-edit", args=[self.own.pk])).status_code, 200
        )
        self.assertEqual(
            self.client.get(reverse("projects-edit", args=[self.other.pk])).status_code, 403
        )

    def test_the_dispatch_office_edits_any_project_and_the_change_is_audited(self):
        self.login(self.dispatch)
        Batch.objects.create(name="2023年第一期", held_on=date(2023, 3, 28))
        url = reverse("projects-edit", args=[self.other.pk])
        response = self.client.post(
            url,
            {
                **VALID,
                "code": "WL-001A",
                "county": "411303",
                "batch": "2023年第一期",
                "batch_side": "开工",
                "batch_date": "",
            },
        )
        self.assertRedirects(response, reverse("projects-detail", args=[self.other.pk]))
        project = Project.objects.get(pk=self.other.pk)
        self.assertEqual((project.code, project.name), ("WL-001A", "宛城智能装备产业园"))
        self.assertEqual(BatchEntry.objects.get(project=project).side, "started")
        change = (
            LogEntry.objects.get_for_object(project).filter(action=LogEntry.Action.UPDATE).get()
        )
        self.assertEqual(change.actor, self.dispatch)
        self.assertIn("code", change.changes_dict)

    def test_the_edit_page_starts_from_the_registry_and_saving_it_unchanged_changes_nothing(self):
        self.login(self.wancheng)
        url = reverse("projects-edit", args=[self.own.pk])
        form = self.client.get(url).context["form"]
        self.assertEqual(form["total_investment"].value(), "20000.00")
        self.assertEqual(form["leader_account"].value(), "leader")
        data = {key: form[key].value() for key in LABELS}
        response = self.client.post(url, data, follow=True)
        self.assertContains(response, "登记信息没有变化")
        self.assertFalse(
            LogEntry.objects.get_for_object(self.own).filter(action=LogEntry.Action.UPDATE).exists()
        )

    def test_list_and_project_page_link_to_the_registry_pages_only_for_those_who_may_use_them(self):
        self.login(self.wancheng)
        self.assertContains(self.client.get(reverse("projects-list")), reverse("projects-create"))
        self.assertContains(
            self.client.get(reverse("projects-detail", args=[self.own.pk])),
            reverse("projects-edit", args=[self.own.pk]),
        )
        self.login(self.leader)
        self.assertNotContains(
            self.client.get(reverse("projects-list")), reverse("projects-create")
        )
        self.assertNotContains(
            self.client.get(reverse("projects-detail", args=[self.own.pk])),
            reverse("projects-edit", args=[self.own.pk]),
        )

    def test_a_county_page_exports_its_projects_as_xlsx_within_scope(self):
        self.login(self.wancheng)
        page = self.client.get(reverse("projects-county", args=["411302"]))
        self.assertContains(page, "format=xlsx")
        response = self.client.get(reverse("projects-county", args=["411302"]), {"format": "xlsx"})
        self.assertEqual(response.status_code, 200)
        sheet = load_workbook(io.BytesIO(response.content)).active
        cells = {c.value for row in sheet.iter_rows() for c in row}
        self.assertIn("WC-001", cells)
        self.assertNotIn("WL-001", cells)
        refused = self.client.get(reverse("projects-county", args=["411303"]), {"format": "xlsx"})
        self.assertEqual(refused.status_code, 403)


class RegistryRaceTests(BaozhengTestCase):
    def test_a_code_registered_meanwhile_by_another_clerk_is_refused_as_used(self):
        self.login(self.dispatch)
        other = lambda: make_project(self.wolong_unit, VALID["code"])  # noqa: E731
        with after(RegistryForm, "is_valid", other):
            response = self.client.post(reverse("projects-create"), VALID)
        self.assertContains(response, f"项目编码“{VALID['code']}”已被其他项目使用")
        self.assertEqual(Project.objects.get(code=VALID["code"]).county, self.wolong_unit)

    def test_a_code_taken_meanwhile_while_editing_is_refused_as_used(self):
        self.login(self.dispatch)
        mine = make_project(self.wancheng_unit, "WC-009")
        url = reverse("projects-edit", args=[mine.pk])
        other = lambda: make_project(self.wolong_unit, VALID["code"])  # noqa: E731
        with after(RegistryForm, "is_valid", other):
            response = self.client.post(url, VALID)
        self.assertContains(response, f"项目编码“{VALID['code']}”已被其他项目使用")
        mine.refresh_from_db()
        self.assertEqual(mine.code, "WC-009")
