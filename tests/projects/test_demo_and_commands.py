import io
import json
import tempfile
from pathlib import Path

from django.core.management import call_command

from baozheng.projects import demo
from baozheng.projects.facts import load_facts, reporting_month
from baozheng.projects.models import Project, SupportRequest, SupportRoute
from baozheng.projects.rules import Month
from baozheng.testing import DEMO_AS_OF, BaozhengTestCase


class DemoTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        demo.load(lambda text: None, as_of=DEMO_AS_OF)

    def test_the_demo_shows_every_warning_at_its_reporting_month(self):
        month = reporting_month()
        self.assertEqual(month, Month(2023, 9))  # the released month of DEMO_AS_OF
        seen = {
            (a.rule, a.level) for f in load_facts(Project.objects.all(), month) for a in f.alerts
        }
        for rule in ("investment", "start", "statistics"):
            for level in ("yellow", "red"):
                self.assertIn((rule, level), seen)

    def test_the_demo_has_hundreds_of_projects_in_every_county_and_runs_once(self):
        self.assertGreaterEqual(Project.objects.count(), 200)
        self.assertEqual(Project.objects.values("county").distinct().count(), 13)
        count, requests = Project.objects.count(), SupportRequest.objects.count()
        demo.load(lambda text: None, as_of=DEMO_AS_OF)
        self.assertEqual(
            (Project.objects.count(), SupportRequest.objects.count()), (count, requests)
        )

    def test_the_demo_routes_its_support_requests_and_keeps_a_route_changed_by_hand(self):
        routes = dict(SupportRoute.objects.values_list("category", "unit__code"))
        self.assertEqual(routes, demo.SUPPORT_ROUTES)
        for request in SupportRequest.objects.select_related("task__lead_unit", "project"):
            expected = routes.get(request.category)
            if expected is not None:
                self.assertEqual(request.task.lead_unit.code, expected)
        SupportRoute.objects.filter(category="power").update(unit=self.wancheng_unit)
        demo.load(lambda text: None, as_of=DEMO_AS_OF)
        self.assertEqual(SupportRoute.objects.get(category="power").unit, self.wancheng_unit)
        self.assertEqual(SupportRoute.objects.count(), len(demo.SUPPORT_ROUTES))

    def test_the_bulletin_documents_print_and_name_the_home_unit_from_data(self):
        from docx import Document
        from openpyxl import load_workbook

        from baozheng.org.models import Unit
        from baozheng.projects import bulletin

        data = bulletin.build(Project.objects.all(), bulletin.ranked_counties(), Month(2023, 6))
        home = Unit.objects.home()
        home.name = "某某市"
        home.save()
        self.assertTrue(bulletin.title(data).startswith("某某市重点项目建设月通报"))
        book = load_workbook(io.BytesIO(bulletin.to_xlsx(data)))
        for ws in book.worksheets:
            self.assertEqual(ws.page_setup.orientation, "landscape")
            self.assertEqual(ws.print_title_rows, "$3:$3")
        self.assertEqual(book["县市区排名"]["J4"].number_format, "#,##0.00")
        self.assertEqual(book["县市区排名"]["L4"].number_format, "0.0")
        doc = Document(io.BytesIO(bulletin.to_docx(data)))
        self.assertNotIn("南阳市重点项目", "".join(p.text for p in doc.paragraphs))
        ranking = doc.tables[0]
        self.assertEqual(ranking.rows[1].cells[1].text, "合计")
        self.assertTrue(any(s.page_width > s.page_height for s in doc.sections))
        red = sum(p["level"] == "red" for p in data["lagging"])
        listed = sum(len(t.rows) - 1 for t in doc.tables[2:])
        self.assertEqual(listed, red)  # red-light projects only, grouped by county

    def test_the_bulletin_command_writes_json_xlsx_and_docx(self):
        out = io.StringIO()
        call_command("projects-bulletin", "--period", "2023-06", "--format", "json", stdout=out)
        data = json.loads(out.getvalue())
        self.assertEqual(len(data["counties"]), 13)
        self.assertTrue(any(not c["rule_met"] for c in data["counties"]))
        with tempfile.TemporaryDirectory() as folder:
            for fmt in ("xlsx", "docx"):
                target = Path(folder) / f"b.{fmt}"
                call_command(
                    "projects-bulletin",
                    "--period",
                    "2023-06",
                    "--format",
                    fmt,
                    "--out",
                    str(target),
                    stdout=io.StringIO(),
                )
                self.assertTrue(target.read_bytes().startswith(b"PK"))


class ImportCommandTests(BaozhengTestCase):
    def test_the_import_command_dry_runs_then_imports(self):
        content = (
            "项目编码,项目名称,县市区,行业,是否制造业,总投资（万元）,项目类别\n"
            "NY-9,新野纺织服装产业园,新野县,纺织服装,是,50000,市重点\n"
        ).encode()
        with tempfile.NamedTemporaryFile(suffix=".csv") as handle:
            handle.write(content)
            handle.flush()
            out = io.StringIO()
            call_command("import", "projects", handle.name, "--dry-run", stdout=out)
            self.assertIn("试导入", out.getvalue())
            self.assertFalse(Project.objects.exists())
            call_command("import", "projects", handle.name, stdout=out)
            self.assertTrue(Project.objects.filter(code="NY-9").exists())
