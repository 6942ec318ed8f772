from django.core.exceptions import PermissionDenied
from django.urls import reverse

from baozheng.org import permissions
from baozheng.org.models import Unit
from baozheng.org.roles import Cap
from baozheng.testing import BaozhengTestCase


class ScopeTests(BaozhengTestCase):
    def test_a_county_clerk_sees_only_its_own_county(self):
        codes = set(permissions.visible_units(self.wancheng).values_list("code", flat=True))
        self.assertEqual(codes, {"411302"})

    def test_a_county_clerk_may_not_touch_the_neighbouring_county(self):
        self.assertTrue(permissions.can(self.wancheng, Cap.ENTER, self.wancheng_unit))
        self.assertFalse(permissions.can(self.wancheng, Cap.VIEW, self.wolong_unit))
        with self.assertRaises(PermissionDenied):
            permissions.check(self.wancheng, Cap.ENTER, self.wolong_unit)

    def test_a_unit_below_the_scope_is_in_scope(self):
        township = Unit.objects.create(
            code="411302001", name="新华街道", kind="subdistrict", parent=self.wancheng_unit
        )
        self.assertTrue(permissions.in_scope(self.wancheng, township))
        self.assertFalse(permissions.in_scope(self.wolong, township))

    def test_the_city_scope_does_not_reach_other_cities(self):
        self.assertTrue(permissions.can(self.dispatch, Cap.VIEW, self.wolong_unit))
        self.assertFalse(permissions.can(self.dispatch, Cap.VIEW, Unit.objects.get(code="410100")))

    def test_a_leader_reads_but_changes_nothing(self):
        self.assertTrue(permissions.can(self.leader, Cap.VIEW, self.wancheng_unit))
        for cap in (Cap.ENTER, Cap.APPROVE, Cap.MANAGE, Cap.DISPATCH):
            self.assertFalse(permissions.can(self.leader, cap, self.wancheng_unit))

    def test_a_judge_sees_no_statistics(self):
        self.assertFalse(permissions.can(self.judge, Cap.VIEW))

    def test_an_inactive_user_can_do_nothing(self):
        self.dispatch.is_active = False
        self.assertFalse(permissions.can(self.dispatch, Cap.VIEW, self.city))

    def test_anonymous_can_do_nothing(self):
        from django.contrib.auth.models import AnonymousUser

        self.assertFalse(permissions.can(AnonymousUser(), Cap.VIEW))
        self.assertEqual(list(permissions.visible_units(AnonymousUser())), [])

    def test_the_units_page_lists_only_the_clerks_units(self):
        self.login(self.wancheng)
        response = self.client.get(reverse("org-units"))
        self.assertContains(response, "宛城区")
        self.assertNotContains(response, "卧龙区")

    def test_the_units_page_is_refused_to_a_judge(self):
        self.login(self.judge)
        self.assertEqual(self.client.get(reverse("org-units")).status_code, 403)

    def test_the_navigation_shows_only_what_the_user_may_open(self):
        self.login(self.leader)
        response = self.client.get(reverse("home"), follow=True)  # a leader's home is 要览
        self.assertContains(response, 'href="/units/"')
        self.assertNotContains(response, 'href="/audit/"')


class HomeUnitTests(BaozhengTestCase):
    def test_the_home_unit_is_the_city_marked_as_running_the_system(self):
        self.assertEqual(Unit.objects.home(), self.city)

    def test_the_setting_wins_over_the_mark(self):
        with self.settings(HOME_UNIT="411302"):
            self.assertEqual(Unit.objects.home(), self.wancheng_unit)

    def test_without_a_mark_the_root_is_home(self):
        Unit.objects.filter(is_home=True).update(is_home=False)
        self.assertEqual(Unit.objects.home(), self.province)


class NavigationTests(BaozhengTestCase):
    def test_each_apps_entries_form_a_group_in_the_menu(self):
        from baozheng.org.navigation import nav_for

        entries = nav_for(self.dispatch)
        starts = [e["label"] for e in entries if e["group_start"]]
        self.assertFalse(entries[0]["group_start"])
        self.assertIn("重点项目", starts)
        self.assertNotIn("预警", starts)
        self.assertNotIn("目标分解", starts)  # the statistics pages share the monitoring group
        self.assertEqual(starts, ["重点项目", "我的督办", "综合考评", "单位"])

    def test_the_menu_follows_the_role_and_the_address_the_site_is_served_under(self):
        from django.test.utils import override_script_prefix

        from baozheng.org.navigation import nav_for

        urls = [e["url"] for e in nav_for(self.dispatch)]
        self.assertIn("/monitor/review/", urls)
        self.assertNotIn("/monitor/review/", [e["url"] for e in nav_for(self.leader)])
        with override_script_prefix("/baozheng/"):
            served = [e["url"] for e in nav_for(self.dispatch)]
        self.assertEqual(served, ["/baozheng" + url for url in urls])
        self.assertEqual([e["url"] for e in nav_for(self.dispatch)], urls)
