"""The base test case: Nanyang's units and one persona per role, built once per class.

Personas (see baozheng.org.demo.ACCOUNTS): `admin` city administrator, `dispatch` the
dispatch office, `dept` 商务局 staff, `wancheng` and `wolong` county clerks, `leader`
(read-only), `contest_staff`, `judge`; `anonymous` is simply the unauthenticated client.
Every view test should check a refusal as well as a success.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.test import TestCase

from baozheng.org import demo
from baozheng.org.models import Unit, User
from baozheng.testing_worlds import shared_world


class BaozhengTestCase(TestCase):
    province: Unit
    city: Unit
    wancheng_unit: Unit
    wolong_unit: Unit
    admin: User
    dispatch: User
    dept: User
    wancheng: User
    wolong: User
    leader: User
    contest_staff: User
    judge: User

    @classmethod
    @shared_world
    def setUpTestData(cls) -> None:
        demo.create_units()
        users = demo.create_users(password="test-password-123")
        cls.province = Unit.objects.get(code="410000")
        cls.city = Unit.objects.get(code="411300")
        cls.wancheng_unit = Unit.objects.get(code="411302")
        cls.wolong_unit = Unit.objects.get(code="411303")
        cls.admin = users["admin"]
        cls.dispatch = users["dispatch"]
        cls.dept = users["shangwu"]
        cls.wancheng = users["wancheng"]
        cls.wolong = users["wolong"]
        cls.leader = users["leader"]
        cls.contest_staff = users["contest"]
        cls.judge = users["judge"]

    @classmethod
    def tearDownClass(cls) -> None:
        """A shared world copied back may number content types unlike the rows the class's
        rollback returns to; forget the ids cached meanwhile."""
        super().tearDownClass()
        ContentType.objects.clear_cache()

    def login(self, user: User) -> None:
        self.client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
