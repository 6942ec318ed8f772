"""F4: the audit trail never breaks on a change set's field names, and reads in Chinese."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from baozheng.assessment.models import Scheme
from baozheng.org.models import Unit
from baozheng.testing import BaozhengTestCase


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

    def test_the_filters_are_refused_to_a_clerk_like_the_page(self):
        self.login(self.wancheng)
        self.assertEqual(self.client.get(reverse("org-audit"), {"user": "admin"}).status_code, 403)
