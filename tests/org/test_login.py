from auditlog.models import LogEntry
from axes.models import AccessLog
from django.urls import reverse

from baozheng.org.models import Unit, User
from baozheng.testing import BaozhengTestCase


class LoginTests(BaozhengTestCase):
    def post_login(self, password: str):
        return self.client.post(reverse("login"), {"username": "wancheng", "password": password})

    def test_the_login_page_is_in_chinese(self):
        response = self.client.get(reverse("login"))
        self.assertContains(response, "<h1>登录</h1>", html=True)
        self.assertContains(response, 'lang="zh-Hans"')

    def test_the_login_page_names_the_installation_by_its_home_unit(self):
        """No city is written into the template: the page follows the home unit's name."""
        home = Unit.objects.home()
        home.name = "测试市"
        home.save()
        response = self.client.get(reverse("login"))
        self.assertContains(response, "测试市经济运行调度指挥平台")
        self.assertNotContains(response, "南阳")
        with self.settings(HOME_UNIT=self.wancheng_unit.code):
            response = self.client.get(reverse("login"))
        self.assertContains(response, f"{self.wancheng_unit.name}经济运行调度指挥平台")

    def test_the_login_page_answers_before_any_unit_is_imported(self):
        User.objects.all().delete()
        Unit.objects.update(parent=None)  # the tree's links protect parents from deletion
        Unit.objects.all().delete()
        self.assertFalse(Unit.objects.exists())
        response = self.client.get(reverse("login"))
        self.assertContains(response, '<p class="muted">经济运行调度指挥平台</p>', html=True)

    def test_a_correct_password_logs_in_and_is_recorded(self):
        response = self.post_login("test-password-123")
        self.assertRedirects(response, reverse("landing"), fetch_redirect_response=False)
        self.assertRedirects(self.client.get(reverse("landing")), reverse("home"))
        self.assertTrue(AccessLog.objects.filter(username="wancheng").exists())

    def test_a_wrong_password_says_so_in_chinese(self):
        response = self.post_login("wrong")
        self.assertContains(response, "用户名或密码不正确")

    def test_five_wrong_passwords_lock_the_account(self):
        for _ in range(4):
            self.post_login("wrong")
        response = self.post_login("wrong")
        self.assertContains(response, "账户已被临时锁定", status_code=429)
        response = self.post_login("test-password-123")
        self.assertContains(response, "账户已被临时锁定", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_the_lock_is_per_account_not_per_office(self):
        for _ in range(5):
            self.post_login("wrong")
        response = self.client.post(
            reverse("login"), {"username": "wolong", "password": "test-password-123"}
        )
        self.assertRedirects(response, reverse("landing"), fetch_redirect_response=False)
        self.assertRedirects(self.client.get(reverse("landing")), reverse("home"))


class SecurityHeaderTests(BaozhengTestCase):
    def test_pages_carry_a_strict_content_security_policy(self):
        response = self.client.get(reverse("login"))
        policy = response["Content-Security-Policy"]
        self.assertIn("script-src 'self'", policy)
        self.assertNotIn("unsafe-eval", policy)
        self.assertIn("frame-ancestors 'none'", policy)

    def test_pages_forbid_framing_and_sniffing(self):
        response = self.client.get(reverse("login"))
        self.assertEqual(response["X-Frame-Options"], "DENY")
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")


class AuditTests(BaozhengTestCase):
    def test_a_change_is_audited_with_who_old_and_new(self):
        self.login(self.admin)
        url = reverse("admin:org_unit_change", args=[self.wancheng_unit.pk])
        response = self.client.post(
            url,
            {
                "code": "411302",
                "name": "宛城区（新）",
                "kind": "district",
                "parent": self.city.pk,
                "peer_group": self.wancheng_unit.peer_group_id,
                "short_name": "",
            },
        )
        self.assertEqual(response.status_code, 302)
        entry = LogEntry.objects.get_for_object(self.wancheng_unit).latest("timestamp")
        self.assertEqual(entry.actor, self.admin)
        self.assertEqual(entry.changes_dict["name"], ["宛城区", "宛城区（新）"])

    def test_the_audit_page_shows_changes_to_the_administrator(self):
        self.wancheng_unit.name = "宛城区（改）"
        self.wancheng_unit.save()
        self.login(self.admin)
        response = self.client.get(reverse("org-audit"))
        self.assertContains(response, "宛城区（改）")

    def test_the_audit_page_is_refused_to_a_leader(self):
        self.login(self.leader)
        self.assertEqual(self.client.get(reverse("org-audit")).status_code, 403)

    def test_the_audit_page_is_refused_to_a_clerk(self):
        self.login(self.wancheng)
        self.assertEqual(self.client.get(reverse("org-audit")).status_code, 403)
