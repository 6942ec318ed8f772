"""A second city installs Baozheng, and everything works for it.

Every other test world is built from the demo city's units and loads, so a place-bound
assumption (a code pattern, a county count, a department code, a name) passes them all:
the support requests' default departments and the login page's city name were such
bugs. Here a fictional city sharing no code or name with the demo is installed the way a
city's office installs it: units, indicators, figures, targets, a report form and key
projects through the importers behind `baozheng import KIND FILE`, the accounts with
`baozheng createuser`, the period released, the support routes and a support request
through the pages, with `BAOZHENG_HOME_UNIT` naming the city. Then every main page and
download answers each role (or refuses it as documented), shows the fictional names and
no demo place name, and a few figures match values worked by hand.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import sys
import tempfile
from importlib import import_module
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.management import call_command
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from openpyxl import load_workbook

from baozheng.headline.models import HeadlineIndicator
from baozheng.org.models import Unit, User
from baozheng.projects.forms import SupportForm
from baozheng.projects.models import Project, SupportRequest
from baozheng.stats.models import Indicator
from baozheng.testing import docx_text
from tests.architecture.test_no_city_in_code import demo_places
from tests.jobs.helpers import download_through_job, run_queued_jobs

HOME = "990100"
CLERK_COUNTY = "990102"
PERIOD = "2024-06"

# The province, its city (the home unit), four county-level units of every kind that
# ranks (区, 县, 县级市) plus a functional zone outside the partition, three departments,
# one of them with a code of its own that does not extend the city's (as the demo's do).
UNITS = """编码,名称,上级编码,类型,分组,分组构成上级全域,简称
990000,甲省,,省,,,
990100,乙市,990000,市,,,
990102,丙川区,990100,区,县市区,是,
990121,丁原县,990100,县,县市区,是,
990122,戊岭县,990100,县,县市区,是,
990181,己水市,990100,县级市,县市区,是,
990171,庚湖园区,990100,功能区,功能区,否,
YSJXJ,乙市经济和信息化局,990100,部门,,,经信局
990100SW,乙市商务局,990100,部门,,,商务局
990100FG,乙市发展和改革委员会,990100,部门,,,发改委
"""
OTHER_COUNTIES = ["丁原县", "戊岭县", "己水市", "庚湖园区"]
NAMES = ["乙市", "丙川区", "丁原县", "戊岭县", "己水市", "庚湖园区"]

# A total with growth, a growth-only indicator and a rate whose better direction is down.
INDICATORS = """编码,名称,计量单位,类型,频度,方向,可加,牵头部门
Y01,社会消费品零售总额,亿元,总量,月,正向,是,商务局
Y02,规模以上工业增加值,%,增速,月,正向,否,经信局
Y03,城镇调查失业率,%,比率,月,逆向,否,发改委
"""

# 2024年1-5月 and 1-6月. The counties' Y01 growth in 1-6月 ranks them 丙川区 (9.1),
# 己水市 (7.4), 丁原县 (5.2), 戊岭县 (3.0); the city's own figure is 300.0 (+6.2%).
FIGURES = {
    # unit: (Y01 value 5月, growth 5月, value 6月, growth 6月, Y02 6月, Y03 6月)
    "990100": ("250.0", "6.0", "300.0", "6.2", "7.5", "5.1"),
    "990102": ("80.0", "8.8", "96.0", "9.1", "8.2", "4.9"),
    "990121": ("50.0", "5.0", "60.0", "5.2", "6.0", "5.3"),
    "990122": ("40.0", "3.1", "48.0", "3.0", "9.4", "5.0"),
    "990181": ("80.0", "7.0", "96.0", "7.4", "7.1", "5.6"),
    "990171": ("20.0", "12.0", "24.0", "11.5", "10.0", ""),
}


def observations() -> str:
    lines = ["指标,地区,期间,累计值,同比增长"]
    for unit, (v5, g5, v6, g6, y02, y03) in FIGURES.items():
        lines += [f"Y01,{unit},2024-05,{v5},{g5}", f"Y01,{unit},2024-06,{v6},{g6}"]
        lines += [f"Y02,{unit},2024-05,,{y02}", f"Y02,{unit},2024-06,,{y02}"]
        if y03:
            lines += [f"Y03,{unit},2024-05,{y03},", f"Y03,{unit},2024-06,{y03},"]
    return "\n".join(lines) + "\n"


TARGETS = """指标,地区,年度,类型,保,争,抢,责任单位
Y01,990100,2024,增速,6,7,8,990100SW
Y01,990102,2024,增速,7,8,9,990102
Y01,990122,2024,增速,5,6,,990122
Y02,990100,2024,增速,7,8,9,YSJXJ
"""

FORMS = """表号,表名,频度,截止方式,截止日,指标,单位,单位类型
Y-01,县区经济运行月报,月,次月固定日,10,Y01;Y02;Y03,990100,区;县;县级市
"""

PROJECTS = (
    "项目编码,项目名称,县市区,主管部门,行业,是否制造业,总投资（万元）,计划年度,"
    "年度计划投资（万元）,项目类别,分包领导,分包领导账户,牵头单位\n"
    "YX-001,丙川区新能源电池项目,990102,经信局,新能源,是,50000,2024,12000,市重点,"
    "乙市领导,boss,990102\n"
    "YX-002,丁原县冷链物流园,丁原县,商务局,现代物流,否,8000,2024,2000,市重点,,,\n"
    "YX-003,己水市装备制造园,990181,经信局,装备制造,是,30000,2024,6000,县重点,,,\n"
)

# The accounts as README's production section makes them: `baozheng createuser`.
ACCOUNTS = [
    ("chief", "admin", [HOME], "市级管理员"),
    ("office", "dispatch", ["990100FG", HOME], "调度办 周一"),
    ("jingxin", "department", ["YSJXJ", HOME], "经信局 吴二"),
    ("bingchuan", "clerk", [CLERK_COUNTY], "丙川区填报员 郑三"),
    ("boss", "leader", [HOME], "市领导 王四"),
]


def imported(kind: str, text: str) -> None:
    """`baozheng import KIND FILE`, from a CSV file as an office would save it."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{kind}.csv"
        path.write_text(text, encoding="utf-8")
        call_command("import", kind, str(path), stdout=io.StringIO(), stderr=io.StringIO())


def created_user(username: str, role: str, units: list[str], name: str) -> User:
    """`baozheng createuser NAME --role ROLE --unit CODE … --password-stdin`."""
    scope = [arg for code in units for arg in ("--unit", code)]
    with mock.patch.object(sys, "stdin", io.StringIO("Yishi#Password-2024\n")):
        call_command(
            "createuser", username, "--role", role, *scope, "--name", name,
            "--password-stdin", stdout=io.StringIO(),
        )  # fmt: skip
    return User.objects.get(username=username)


def signed_in(user: User) -> Client:
    """A client with a session of `user`'s own, as `BaozhengTestCase.login` signs in."""
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return client


# One search for every demo place name (a hundred pages, each read once).
DEMO_PLACES = re.compile("|".join(sorted(map(re.escape, demo_places()), key=len, reverse=True)))


def demo_places_in(text: str) -> list[str]:
    return sorted(set(DEMO_PLACES.findall(text)))


@override_settings(HOME_UNIT=HOME)
class SecondCityTests(TestCase):
    """On the database as created (no demo world, no persona): a plain TestCase, so the
    city is built once for the class by its own imports, in the class's transaction."""

    users: dict[str, User]
    project: Project

    @classmethod
    def setUpClass(cls) -> None:
        """A reports folder of the class's own: no document cached by another test (whose
        data versions may carry the same numbers) is served here."""
        cls.reports = tempfile.mkdtemp(prefix="bz-second-city-")
        cls.enterClassContext(override_settings(REPORTS_DIR=cls.reports))
        super().setUpClass()

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        shutil.rmtree(cls.reports, ignore_errors=True)

    @classmethod
    def setUpTestData(cls) -> None:
        imported("units", UNITS)
        cls.users = {name: created_user(name, *rest) for name, *rest in ACCOUNTS}
        for kind, text in [
            ("indicators", INDICATORS),
            ("observations", observations()),
            ("targets", TARGETS),
            ("forms", FORMS),
            ("projects", PROJECTS),
        ]:
            imported(kind, text)
        cls.project = Project.objects.get(code="YX-001")
        chief, office = signed_in(cls.users["chief"]), signed_in(cls.users["office"])
        # The headline's indicators are chosen in the admin site (docs/headline.md).
        chief.post(
            "/admin/headline/headlineindicator/add/",
            {"indicator": Indicator.objects.get(code="Y01").pk, "order": 1},
        )
        # The office releases 1-6月 (its Excel and Word built by the release's job, once for
        # the class) and opens 7月; land requests go to the 经信局.
        action = reverse("reporting-period-action")
        office.post(action, {"period": PERIOD, "action": "release"})
        office.post(action, {"period": "2024-07", "action": "open"})
        run_queued_jobs()
        jingxin = Unit.objects.get(code="YSJXJ")
        office.post(reverse("projects-support-routes"), {"land": jingxin.pk})
        # The county's clerk reports the project's month and asks for land: a tracked task.
        clerk = signed_in(cls.users["bingchuan"])
        clerk.post(
            reverse("projects-progress", args=[cls.project.pk]),
            {"period": PERIOD, "invested_month": "1500", "invested_ytd": "6000"},
        )
        clerk.post(
            reverse("projects-support", args=[cls.project.pk]),
            {"category": "land", "description": "用地指标尚未落实"},
        )

    def test_the_installation_is_the_city_its_office_built(self):
        """Each step of the setup took: a failed POST or import would leave a thinner
        world whose pages still answer 200."""
        self.assertEqual(Unit.objects.home().name, "乙市")
        self.assertEqual(
            list(HeadlineIndicator.objects.values_list("indicator__code", flat=True)), ["Y01"]
        )
        task = SupportRequest.objects.get().task
        self.assertEqual(
            (task.lead_unit.code, SupportRequest.objects.get().project), ("YSJXJ", self.project)
        )
        self.assertEqual(self.project.reports.get().invested_ytd, 6000)
        self.assertEqual(Project.objects.get(code="YX-002").county.name, "丁原县")

    def pages(self) -> dict[str, tuple[str, dict]]:
        task = SupportRequest.objects.get().task
        return {
            "home": (reverse("home"), {}),
            "overview": (reverse("monitor-overview"), {}),
            "indicator": (reverse("monitor-indicator", args=["Y01"]), {"period": PERIOD}),
            "unit": (reverse("monitor-unit", args=[CLERK_COUNTY]), {"period": PERIOD}),
            "bulletin": (reverse("monitor-bulletin"), {"period": PERIOD}),
            "warnings": (reverse("monitor-warnings"), {}),
            "targets": (reverse("monitor-targets"), {}),
            "progress": (reverse("monitor-progress"), {}),
            "periods": (reverse("reporting-periods"), {}),
            "forms": (reverse("reporting-forms"), {}),
            "projects": (reverse("projects-list"), {}),
            "project": (reverse("projects-detail", args=[self.project.pk]), {}),
            "county": (reverse("projects-county", args=[CLERK_COUNTY]), {}),
            "project-warnings": (reverse("projects-warnings"), {}),
            "project-bulletin": (reverse("projects-bulletin"), {}),
            "support": (reverse("projects-support", args=[self.project.pk]), {}),
            "support-routes": (reverse("projects-support-routes"), {}),
            "board": (reverse("tasks-board"), {}),
            "task": (reverse("tasks-detail", args=[task.pk]), {}),
            "headline": (reverse("headline"), {}),
        }

    # Documented refusals: routes are the office's (docs/projects.md), a support request is
    # raised by whoever maintains the project (its county, the office), not by readers.
    REFUSED = {
        ("jingxin", "support-routes"),
        ("bingchuan", "support-routes"),
        ("boss", "support"),
        ("boss", "support-routes"),
    }
    # Pages that list no place for a city-wide reader: the report forms (what, not who), the
    # project warnings when no project of the reader's is late.
    NO_PLACE = {"forms", "project-warnings", "support-routes"}

    def test_every_main_page_answers_every_role_with_the_citys_names_only(self):
        for username in ("chief", "office", "jingxin", "bingchuan", "boss"):
            client = signed_in(self.users[username])
            for name, (url, query) in self.pages().items():
                with self.subTest(user=username, page=name):
                    response = client.get(url, query, follow=True)  # the leader's home: 要览
                    if (username, name) in self.REFUSED:
                        self.assertEqual(response.status_code, 403)
                        continue
                    self.assertEqual(response.status_code, 200)
                    content = response.content.decode()
                    self.assertEqual(demo_places_in(content), [])
                    shown = [place for place in NAMES if place in content]
                    if name not in self.NO_PLACE:
                        self.assertTrue(shown, "页面应显示本市的单位名称")
                    if username == "bingchuan" and name != "support":
                        # A county's clerk sees its county only; the support form lists every
                        # unit a request may go to.
                        self.assertEqual([p for p in shown if p in OTHER_COUNTIES], [])

    def test_the_login_page_names_the_city(self):
        content = Client().get(reverse("login")).content.decode()
        self.assertIn("乙市", content)
        self.assertEqual(demo_places_in(content), [])

    def test_a_clerk_is_refused_another_countys_pages(self):
        client = signed_in(self.users["bingchuan"])
        other = Project.objects.get(code="YX-002")
        for url, query in [
            (reverse("monitor-unit", args=["990121"]), {"period": PERIOD}),
            (reverse("projects-county", args=["990121"]), {}),
            (reverse("projects-detail", args=[other.pk]), {}),
            (reverse("projects-support", args=[other.pk]), {}),
        ]:
            with self.subTest(url=url):
                self.assertEqual(client.get(url, query).status_code, 403)

    def test_the_released_bulletin_documents_name_the_city(self):
        url = reverse("monitor-bulletin-download", args=["xlsx"])
        for username in ("office", "boss"):
            client = signed_in(self.users[username])
            with self.subTest(user=username):
                xlsx = download_through_job(client, url, {"period": PERIOD})
                docx = download_through_job(
                    client, reverse("monitor-bulletin-download", args=["docx"]), {"period": PERIOD}
                )
                self.assertEqual((xlsx.status_code, docx.status_code), (200, 200))
                book = load_workbook(io.BytesIO(xlsx.content))
                cells = " ".join(
                    str(v) for s in book for r in s.iter_rows(values_only=True) for v in r if v
                )
                words = docx_text(docx.content)
                for text in (cells, words):
                    self.assertIn("乙市", text)
                    self.assertIn("己水市", text)
                    self.assertEqual(demo_places_in(text), [])

    def test_the_bulletin_ranks_the_counties_by_the_growth_imported(self):
        """Worked by hand from FIGURES: 丙川区 9.1, 己水市 7.4, 丁原县 5.2, 戊岭县 3.0 rank
        1-4 of 4 (the zone alone in its group); against the city's 6.2%: +2.9, +1.2, −1.0,
        −3.2 points; 6月 alone 96−80, 96−80, 60−50, 48−40; 丙川区 beyond its 抢 9%,
        戊岭县 below its 保 5%."""
        client = signed_in(self.users["office"])
        response = client.get(
            reverse("monitor-bulletin-download", args=["json"]), {"period": PERIOD}
        )
        rows = json.loads(response.content)["rows"]
        facts = {
            r["unit"]: (r["rank"], r["rank_of"], r["vs_parent_pp"], r["month_value"], r["status"])
            for r in rows
            if r["indicator"] == "Y01"
        }
        self.assertEqual(
            facts,
            {
                "990100": (None, None, None, 50.0, "on_track"),
                "990102": (1, 4, 2.9, 16.0, "exceeds"),
                "990181": (2, 4, 1.2, 16.0, "no_target"),
                "990121": (3, 4, -1.0, 10.0, "no_target"),
                "990122": (4, 4, -3.2, 8.0, "off_track"),
                "990171": (1, 1, 5.3, 4.0, "no_target"),
            },
        )

    def test_a_support_request_offers_the_departments_first_whatever_their_codes(self):
        """The 经信局's code does not extend the city's, as the demo's departments' do: the
        list used to be in code order, which put it after the counties."""
        offered = [unit.name for unit in SupportForm().fields["lead_unit"].queryset]
        self.assertEqual(
            offered,
            [
                *("乙市发展和改革委员会", "乙市商务局", "乙市经济和信息化局"),
                *("丙川区", "丁原县", "戊岭县", "庚湖园区", "己水市"),
            ],
        )
