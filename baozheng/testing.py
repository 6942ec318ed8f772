"""The base test case: Nanyang's units and one persona per role, built once per class.

Personas (see baozheng.org.demo.ACCOUNTS): `admin` city administrator, `dispatch` the
dispatch office, `dept` 商务局 staff, `wancheng` and `wolong` county clerks, `leader`
(read-only), `contest_staff`, `judge`; `anonymous` is simply the unauthenticated client.
Every view test should check a refusal as well as a success.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.test import TestCase, override_settings

from baozheng import testing_worlds
from baozheng.org import demo
from baozheng.org.models import Unit, User
from baozheng.testing_worlds import shared_world

# The day the test worlds' demo data is built on (`load(..., as_of=DEMO_AS_OF)`): 2023年1-9月
# released, 1-10月 open and past its deadline — the timeline the tests' figures assert.
DEMO_AS_OF = date(2023, 11, 15)


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
    def setUpClass(cls) -> None:
        """The class's world committed before its transaction opens (`testing_worlds`)."""
        testing_worlds.enter(cls)
        super().setUpClass()

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

    def login(self, user: User) -> None:
        """Signed in as `user` with a session of its own, as `force_login` signs in but
        without a login's side effects (last_login saved and audited, axes' access record,
        a new CSRF token), which the login tests check through the real login page: they
        were two thirds of every page test's sign-in."""
        session = import_module(settings.SESSION_ENGINE).SessionStore()
        session[SESSION_KEY] = user._meta.pk.value_to_string(user)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        self.client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key

    def use_own_reports_folder(self) -> None:
        """A reports folder of this test's own, removed after it: no document file cached
        by another test is served, and none of this test's is left behind."""
        folder = tempfile.mkdtemp(prefix="bz-reports-")
        self.addCleanup(shutil.rmtree, folder, ignore_errors=True)
        reports = override_settings(REPORTS_DIR=folder)
        reports.enable()
        self.addCleanup(reports.disable)


def docx_text(data: bytes) -> str:
    """The body paragraphs of a Word file as a reader copies them: the invisible word joiners
    that keep numbers whole at line ends (`gongwen.keep_numbers_whole`) removed."""
    import io

    from docx import Document

    from baozheng.lib.gongwen import WORD_JOINER

    paragraphs = Document(io.BytesIO(data)).paragraphs
    return "\n".join(p.text for p in paragraphs).replace(WORD_JOINER, "")
