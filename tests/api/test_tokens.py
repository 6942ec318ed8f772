from datetime import timedelta
from io import StringIO
from unittest.mock import patch

from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from baozheng.api import tokens
from baozheng.api.models import ApiRequest, ApiToken
from baozheng.org.models import Unit, User
from baozheng.testing import BaozhengTestCase
from tests.api.helpers import TokenClient, token
from tests.interleave import after_query
from tests.stats import factory

OBSERVATIONS = "/api/v1/stats/observations"


class TokenAuthenticationTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.ind = factory.indicators()
        factory.approved(cls.ind["RETAIL"], cls.wancheng_unit, 2023, 6, "120.5", "6.2")
        factory.approved(cls.ind["RETAIL"], cls.wolong_unit, 2023, 6, "98.1", "4.0")

    def test_a_token_scoped_to_a_county_reads_that_county_and_is_refused_another(self) -> None:
        api = TokenClient(token("宛城区大屏", "clerk", "411302"))
        rows = api.get(OBSERVATIONS, {"period": "2023-06"}).json()["items"]
        self.assertEqual([(r["unit"], r["value"]) for r in rows], [("411302", 120.5)])
        refused = api.get(OBSERVATIONS, {"unit": "411303"})
        self.assertEqual(refused.status_code, 403)
        self.assertEqual(refused.json()["code"], "forbidden")
        self.assertIn("不在您的数据范围内", refused.json()["message"])

    def test_revoked_expired_malformed_and_unknown_tokens_are_refused(self) -> None:
        secret = token("省统计系统", "dispatch", "411300")
        tokens.revoke(ApiToken.objects.get(name="省统计系统"))
        expired = token("旧系统", "leader", "411300")
        ApiToken.objects.filter(name="旧系统").update(expires_at=timezone.now() - timedelta(1))
        cases = {
            secret: "revoked_token",
            expired: "expired_token",
            "not-a-token": "invalid_token",
            secret[:-3] + "xyz": "invalid_token",
            "bz_000000000000_guess": "invalid_token",
        }
        for raw, code in cases.items():
            response = TokenClient(raw).get(OBSERVATIONS)
            self.assertEqual((response.status_code, response.json()["code"]), (401, code), raw)
            self.assertIn("Bearer", response["WWW-Authenticate"])

    def test_a_revoked_tokens_account_cannot_act_either(self) -> None:
        token("部门系统", "department", "411300")
        found = ApiToken.objects.get(name="部门系统")
        tokens.revoke(found)
        found.account.refresh_from_db()
        self.assertFalse(found.account.is_active)
        self.assertEqual(found.account.caps, frozenset())

    def test_an_address_outside_the_allow_list_is_refused(self) -> None:
        secret = token("税务系统", "leader", "411300", allowed_addresses="10.1.2.0/24")
        inside = TokenClient(secret, REMOTE_ADDR="10.1.2.7").get(OBSERVATIONS)
        outside = TokenClient(secret, REMOTE_ADDR="10.9.9.9").get(OBSERVATIONS)
        self.assertEqual(inside.status_code, 200)
        self.assertEqual((outside.status_code, outside.json()["code"]), (403, "address_refused"))

    def test_only_a_digest_of_the_secret_is_stored(self) -> None:
        secret = token("大屏厂商", "leader", "411300")
        stored = ApiToken.objects.get(name="大屏厂商")
        self.assertNotIn(secret.split("_", 2)[2], stored.secret_hash)  # the secret may hold "_"
        self.assertEqual(len(stored.secret_hash), 64)
        self.assertFalse(stored.account.has_usable_password())

    def test_a_secret_holding_underscores_still_authenticates(self) -> None:
        with patch.object(tokens.secrets, "token_urlsafe", return_value="_a_b_" + "x" * 38):
            secret = token("县区系统", "clerk", "411302")
        self.assertEqual(TokenClient(secret).get(OBSERVATIONS).status_code, 200)
        self.assertEqual(TokenClient(secret[:-1] + "y").get(OBSERVATIONS).status_code, 401)

    def test_every_token_request_is_recorded_with_its_last_use(self) -> None:
        api = TokenClient(token("县区系统", "clerk", "411302"), REMOTE_ADDR="127.0.0.9")
        api.get(OBSERVATIONS)
        api.get(OBSERVATIONS, {"unit": "411303"})
        found = ApiToken.objects.get(name="县区系统")
        self.assertEqual(found.last_used_from, "127.0.0.9")
        self.assertIsNotNone(found.last_used_at)
        self.assertEqual(
            list(ApiRequest.objects.filter(token=found).values_list("status", flat=True)),
            [403, 200],
        )

    @override_settings(API_RATE_LIMIT_PER_MINUTE=2)
    def test_a_token_over_its_rate_limit_gets_429_with_retry_after(self) -> None:
        api = TokenClient(token("轮询脚本", "leader", "411300"))
        statuses = [api.get(OBSERVATIONS).status_code for _ in range(3)]
        self.assertEqual(statuses, [200, 200, 429])
        last = api.get(OBSERVATIONS)
        self.assertEqual(last.json()["code"], "rate_limited")
        self.assertTrue(1 <= int(last["Retry-After"]) <= 61)

    def test_reads_carry_an_etag_and_answer_304_when_unchanged(self) -> None:
        api = TokenClient(token("大屏", "leader", "411300"))
        first = api.get(OBSERVATIONS)
        again = api.get(OBSERVATIONS, HTTP_IF_NONE_MATCH=first["ETag"])
        self.assertEqual(again.status_code, 304)
        factory.approved(self.ind["TRADE"], self.wancheng_unit, 2023, 6, "10", "1")
        changed = api.get(OBSERVATIONS, HTTP_IF_NONE_MATCH=first["ETag"])
        self.assertEqual(changed.status_code, 200)

    def test_a_judge_role_cannot_hold_a_token_and_scope_is_required(self) -> None:
        city = Unit.objects.get(code="411300")
        with self.assertRaisesMessage(tokens.TokenError, "不能用于接口令牌"):
            tokens.issue("评分", "judge", [city])
        with self.assertRaisesMessage(tokens.TokenError, "至少指定一个"):
            tokens.issue("空", "leader", [])


class TokenCommandTests(BaozhengTestCase):
    def test_create_prints_the_secret_once_and_the_token_works(self) -> None:
        out, err = StringIO(), StringIO()
        call_command(
            "token",
            "create",
            "省统计联网直报",
            "--role",
            "dispatch",
            "--unit",
            "411300",
            "--expires",
            "2099-12-31",
            stdout=out,
            stderr=err,
        )
        secret = out.getvalue().strip()
        self.assertTrue(secret.startswith("bz_"))
        self.assertIn("只输出这一次", err.getvalue())
        self.assertEqual(TokenClient(secret).get("/api/v1/org/units").status_code, 200)
        call_command("token", "revoke", "省统计联网直报", stdout=StringIO())
        self.assertEqual(TokenClient(secret).get("/api/v1/org/units").status_code, 401)

    def test_create_refuses_unknown_units_roles_and_past_dates(self) -> None:
        for args, message in (
            (["--role", "leader", "--unit", "999999"], "找不到单位"),
            (["--role", "boss", "--unit", "411300"], "不能用于接口令牌"),
            (["--role", "leader", "--unit", "411300", "--expires", "2001-01-01"], "晚于当前"),
            (["--role", "leader", "--unit", "411300", "--expires", "明天"], "应写作"),
        ):
            with self.assertRaisesMessage(CommandError, message):
                call_command("token", "create", "X", *args, stdout=StringIO(), stderr=StringIO())


class TokenPageTests(BaozhengTestCase):
    URL = "/tokens/"

    def test_an_administrator_issues_a_token_and_sees_the_secret_once(self) -> None:
        self.login(self.admin)
        response = self.client.post(
            self.URL,
            {
                "name": "市税务局",
                "role": "department",
                "units": [self.city.pk],
                "owner_unit": Unit.objects.get(code="411300SWJ").pk,
                "allowed_addresses": "",
            },
        )
        self.assertEqual(response.status_code, 200)
        secret = response.context["secret"]
        self.assertContains(response, secret)
        self.assertNotContains(self.client.get(self.URL), secret)
        found = ApiToken.objects.get(name="市税务局")
        self.assertEqual(found.created_by, self.admin)
        self.assertEqual(found.account.role, "department")

    def test_the_administrator_revokes_and_the_page_shows_recent_requests(self) -> None:
        secret = token("县区大屏", "clerk", "411302")
        TokenClient(secret).get(OBSERVATIONS)
        found = ApiToken.objects.get(name="县区大屏")
        self.login(self.admin)
        page = self.client.get(f"{self.URL}{found.pk}/")
        self.assertContains(page, OBSERVATIONS)
        self.client.post(f"{self.URL}{found.pk}/revoke/")
        self.assertEqual(TokenClient(secret).get(OBSERVATIONS).status_code, 401)

    def test_bad_input_is_refused_in_chinese(self) -> None:
        self.login(self.admin)
        response = self.client.post(
            self.URL,
            {
                "name": "X",
                "role": "leader",
                "units": [self.city.pk],
                "owner_unit": self.city.pk,
                "allowed_addresses": "not-an-address",
            },
        )
        self.assertContains(response, "允许的客户端地址有误")
        self.assertFalse(ApiToken.objects.exists())

    def test_clerks_leaders_and_anonymous_visitors_are_refused(self) -> None:
        for user in (self.wancheng, self.leader, self.dispatch):
            self.login(user)
            self.assertEqual(self.client.get(self.URL).status_code, 403, user)
            self.assertEqual(self.client.post(self.URL, {"name": "x"}).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(self.URL).status_code, 302)
        self.assertFalse(User.objects.filter(username__startswith="api-").exists())


class ErrorShapeTests(BaozhengTestCase):
    def test_an_unknown_route_and_a_missing_method_answer_in_the_one_error_shape(self) -> None:
        api = TokenClient(token("大屏", "leader", "411300"))
        unknown = api.get("/api/v1/stats/no-such-route")
        self.assertEqual((unknown.status_code, unknown.json()["code"]), (404, "not_found"))
        self.assertIn("没有这个接口", unknown.json()["message"])
        self.client.force_login(self.admin)
        wrong = self.client.delete("/api/v1/stats/indicators")
        self.assertEqual((wrong.status_code, wrong.json()["code"]), (405, "method_not_allowed"))
        self.assertIn("GET", wrong["Allow"])


class TokenNameRaceTests(BaozhengTestCase):
    def test_a_name_taken_meanwhile_is_refused_by_name(self) -> None:
        def issue() -> object:
            return tokens.issue("报表系统", "leader", [self.city])

        with after_query('"api_apitoken"', issue):
            with self.assertRaisesMessage(tokens.TokenError, "已有名为“报表系统”的接口令牌"):
                issue()
        self.assertEqual(ApiToken.objects.filter(name="报表系统").count(), 1)
