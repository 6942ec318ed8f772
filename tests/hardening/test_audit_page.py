"""F4: the audit trail never breaks on a change set's field names, and reads in Chinese."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from baozheng.assessment.models import Scheme
from baozheng.org.audit_units import unit_paths
from baozheng.org.models import AuditUnit, Unit, UnitKind, User
from baozheng.org.roles import Role
from baozheng.stats.models import Observation
from baozheng.tasks.models import TaskProgress
from baozheng.testing import BaozhengTestCase
from tests.tasks.factory import make_task


class AuditPageTests(BaozhengTestCase):
    def add_entry(self, model, changes: dict, actor=None, name: str = "对象") -> LogEntry:
        return LogEntry.objects.create(
            content_type=ContentType.objects.get_for_model(model),
            object_pk="1",
            object_repr=name,
            action=LogEntry.Action.UPDATE,
            changes=changes,
            actor=actor,
        )

    def test_f4_a_change_set_with_a_field_named_items_does_not_break_the_page(self):
        self.add_entry(Scheme, {"items": ["None", "assessment.SchemeItem.None"]}, name="考核方案")
        self.login(self.admin)
        response = self.client.get(reverse("org-audit"))
        self.assertContains(response, "考核方案")

    def test_f4_fields_and_actions_are_named_in_chinese(self):
        self.add_entry(
            Unit, {"name": ["宛城区", "宛城区（新）"]}, actor=self.dispatch, name="宛城区"
        )
        self.login(self.admin)
        response = self.client.get(reverse("org-audit"))
        self.assertContains(response, "名称：宛城区 → 宛城区（新）")
        self.assertContains(response, "<td>修改</td>", html=True)

    def test_f4_filters_by_user_type_and_search(self):
        self.add_entry(Unit, {"name": ["甲", "乙"]}, actor=self.dispatch, name="调度改的单位")
        self.add_entry(Scheme, {"name": ["丙", "丁"]}, actor=self.admin, name="管理员改的方案")
        self.login(self.admin)
        url = reverse("org-audit")
        by_user = self.client.get(url, {"user": "dispatch"})
        self.assertContains(by_user, "调度改的单位")
        self.assertNotContains(by_user, "管理员改的方案")
        unit_type = ContentType.objects.get_for_model(Scheme).pk
        by_type = self.client.get(url, {"type": str(unit_type)})
        self.assertContains(by_type, "管理员改的方案")
        self.assertNotContains(by_type, "调度改的单位")
        searched = self.client.get(url, {"q": "调度改"})
        self.assertContains(searched, "调度改的单位")
        self.assertNotContains(searched, "管理员改的方案")
        future = self.client.get(url, {"start": "2999-01-01"})
        self.assertContains(future, "没有符合条件的记录")

    def test_the_next_page_keeps_the_tab_and_the_filters(self):
        for n in range(51):
            self.add_entry(Unit, {"name": ["甲", f"乙{n}"]}, actor=self.dispatch, name="单位")
        self.login(self.admin)
        first = self.client.get(reverse("org-audit"), {"user": "dispatch"})
        self.assertContains(first, 'href="?kind=changes&amp;user=dispatch&amp;page=2"')
        self.assertContains(first, "第 1 / 2 页，共 51 项")
        logins = self.client.get(reverse("org-audit"), {"kind": "logins"})
        self.assertNotContains(logins, "page=2")  # one page: no pager

    def test_the_filters_are_refused_to_a_clerk_like_the_page(self):
        self.login(self.wancheng)
        self.assertEqual(self.client.get(reverse("org-audit"), {"user": "admin"}).status_code, 403)


class AuditByUnitTests(BaozhengTestCase):
    def setUp(self):
        self.wancheng_task = make_task(self.dispatch, self.wancheng_unit, title="宛城区督办事项")
        make_task(self.dispatch, self.wolong_unit, title="卧龙区督办事项")
        TaskProgress.objects.create(task=self.wancheng_task, note="宛城区进展")
        Unit.objects.create(
            code="411302001", name="新华街道", parent=self.wancheng_unit, kind=UnitKind.SUBDISTRICT
        )

    def test_f4_filtering_by_a_county_lists_its_changes_and_its_subtree_only(self):
        self.login(self.admin)
        response = self.client.get(reverse("org-audit"), {"unit": "411302"})
        self.assertContains(response, "宛城区督办事项")
        self.assertContains(response, "宛城区进展")  # a progress note: through its task
        self.assertContains(response, "新华街道")  # a unit below 宛城区
        self.assertNotContains(response, "卧龙区督办事项")
        self.assertContains(response, '<option value="411302" selected>宛城区</option>', html=True)
        other = self.client.get(reverse("org-audit"), {"unit": "411303"})
        self.assertContains(other, "卧龙区督办事项")
        self.assertNotContains(other, "宛城区督办事项")

    def test_f4_the_unit_of_an_entry_is_recorded_as_its_path(self):
        entry = LogEntry.objects.get_for_object(self.wancheng_task).first()
        paths = list(AuditUnit.objects.filter(entry=entry).values_list("path", flat=True))
        self.assertEqual(paths, [self.wancheng_unit.path])

    def test_f4_a_manager_cannot_filter_by_a_unit_outside_their_scope(self):
        manager = User.objects.create_user("wolong_admin", role=Role.ADMIN, unit=self.wolong_unit)
        manager.scope.set([self.wolong_unit])
        self.login(manager)
        self.assertEqual(self.client.get(reverse("org-audit"), {"unit": "411302"}).status_code, 403)
        page = self.client.get(reverse("org-audit"), {"unit": "411303"})
        self.assertContains(page, "卧龙区督办事项")
        self.assertEqual([code for code, _ in page.context["units"]][:1], ["411303"])
        self.login(self.dispatch)  # no 管理 capability: no audit page at all
        self.assertEqual(self.client.get(reverse("org-audit"), {"unit": "411303"}).status_code, 403)


class AuditUnitPathTests(BaozhengTestCase):
    def test_a_unit_the_saved_row_holds_gives_its_path_without_a_query(self):
        held = Observation(unit=self.wancheng_unit, year=2023, month=9)
        with self.assertNumQueries(0):
            self.assertEqual(unit_paths(held), {self.wancheng_unit.path})
        by_id = Observation(unit_id=self.wolong_unit.pk, year=2023, month=9)
        with self.assertNumQueries(1):
            self.assertEqual(unit_paths(by_id), {self.wolong_unit.path})
