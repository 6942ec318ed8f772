"""Where a support request goes when its reporter names no unit: the dispatch office's
routes per category (对口单位), else the project's lead unit, else its county. No
department of any city is written into the code."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from baozheng.org.models import Unit
from baozheng.projects.forms import SupportRoutesForm
from baozheng.projects.models import SupportCategory, SupportRequest, SupportRoute
from baozheng.projects.services import default_support_unit
from baozheng.testing import BaozhengTestCase
from tests.projects.factory import make_project


class SupportRouteTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.project = make_project(cls.wancheng_unit, "WC-001")
        cls.power = Unit.objects.get(code="411300GDG")
        cls.land = Unit.objects.get(code="411300ZRJ")

    def routes(self) -> dict[str, str]:
        return dict(SupportRoute.objects.values_list("category", "unit__code"))

    def test_without_a_route_a_request_goes_to_the_lead_unit_else_the_county(self):
        self.assertEqual(
            default_support_unit(self.project, SupportCategory.POWER), self.wancheng_unit
        )
        self.project.lead_unit = self.land
        self.assertEqual(default_support_unit(self.project, SupportCategory.POWER), self.land)

    def test_a_routed_category_goes_to_its_unit_and_other_to_the_lead_unit(self):
        SupportRoute.objects.create(category=SupportCategory.POWER, unit=self.power)
        self.assertEqual(default_support_unit(self.project, SupportCategory.POWER), self.power)
        self.assertEqual(
            default_support_unit(self.project, SupportCategory.OTHER), self.wancheng_unit
        )

    def test_the_request_form_says_where_a_request_without_a_unit_goes(self):
        self.login(self.wancheng)
        url = reverse("projects-support", args=[self.project.pk])
        page = self.client.get(url)
        self.assertContains(page, "各类别的对口单位尚未设置")
        self.assertNotContains(page, reverse("projects-support-routes"))  # a clerk does not route
        SupportRoute.objects.create(category=SupportCategory.POWER, unit=self.power)
        self.assertContains(self.client.get(url), f"用电→{self.power.name}")
        self.client.post(url, {"category": "power", "description": "专线报装慢"})
        self.assertEqual(SupportRequest.objects.get().task.lead_unit, self.power)

    def test_the_dispatch_office_sets_changes_and_clears_routes_each_audited(self):
        self.login(self.dispatch)
        url = reverse("projects-support-routes")
        self.assertContains(self.client.get(url), "未设置（交项目牵头单位）")
        response = self.client.post(url, {"power": self.power.pk, "land": self.land.pk})
        self.assertRedirects(response, url, fetch_redirect_response=False)
        self.assertEqual(self.routes(), {"power": "411300GDG", "land": "411300ZRJ"})
        self.assertContains(self.client.get(url), "已更新 2 个类别的对口单位")
        self.client.post(url, {"power": self.land.pk})
        self.assertEqual(self.routes(), {"power": "411300ZRJ"})
        self.client.post(url, {"power": self.land.pk})
        self.assertContains(self.client.get(url), "对口单位没有变化")
        kind = ContentType.objects.get_for_model(SupportRoute)
        actions = list(
            LogEntry.objects.filter(content_type=kind)
            .order_by("pk")
            .values_list("action", flat=True)
        )
        created, updated, deleted = (
            LogEntry.Action.CREATE,
            LogEntry.Action.UPDATE,
            LogEntry.Action.DELETE,
        )
        self.assertEqual(
            actions, [created, created, deleted, updated]
        )  # land cleared, power changed
        self.assertEqual(LogEntry.objects.filter(content_type=kind, actor=self.dispatch).count(), 4)

    def test_a_route_stored_by_someone_else_meanwhile_is_overwritten_not_duplicated(self):
        form = SupportRoutesForm({"power": self.power.pk, "land": ""})
        self.assertTrue(form.is_valid())
        SupportRoute.objects.create(category=SupportCategory.POWER, unit=self.land)  # meanwhile
        SupportRoute.objects.create(category=SupportCategory.LAND, unit=self.land)
        self.assertEqual(form.save(), 2)
        self.assertEqual(self.routes(), {"power": "411300GDG"})

    def test_a_unit_outside_the_home_units_departments_and_counties_is_refused(self):
        self.login(self.dispatch)
        response = self.client.post(reverse("projects-support-routes"), {"power": self.province.pk})
        self.assertContains(response, "选择一个有效的选项")
        self.assertEqual(self.routes(), {})

    def test_only_the_dispatch_office_and_administrators_open_the_routes(self):
        url = reverse("projects-support-routes")
        for user in (self.wancheng, self.dept, self.leader, self.contest_staff):
            self.login(user)
            self.assertEqual(self.client.get(url).status_code, 403, user.username)
            self.assertEqual(
                self.client.post(url, {"power": self.power.pk}).status_code, 403, user.username
            )
        self.assertEqual(self.routes(), {})
        self.login(self.admin)
        self.assertEqual(self.client.get(url).status_code, 200)
        self.client.logout()
        self.assertEqual(self.client.get(url).status_code, 302)
