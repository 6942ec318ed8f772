"""Importing contestants: all or nothing, row-level Chinese errors, dry run, idempotent."""

from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from baozheng.contest.importer import import_contestants
from baozheng.contest.models import Contestant, Division, Judge, SchoolTeachers, Topic
from baozheng.testing import BaozhengTestCase
from tests.contest.factory import SmallContest

HEADER = "参赛编号,姓名,学校,比赛阶段,学段,学科,推选方式\n"
GOOD = (
    HEADER
    + "101,赵一,瓦店一小,市级决赛,小学,语文,推荐\n102,钱二,411303ZA,乡推市赛,小学,数学,抽取\n"
)


class ImportTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.c = SmallContest(head=cls.contest_staff)

    def run_import(self, text, dry_run=False):
        return import_contestants(self.c.contest, text.encode(), "选手.csv", dry_run=dry_run)

    def test_a_good_file_creates_contestants_and_new_divisions(self):
        report = self.run_import(GOOD)
        self.assertEqual((report.ok, report.created), (True, 2))
        self.assertTrue(
            Division.objects.filter(subject="数学", stage__kind="township_recommended").exists()
        )
        self.assertEqual(Contestant.objects.get(number="102").nomination, "sampled")

    def test_an_xlsx_file_with_english_headers_imports_alike(self):
        from baozheng.lib.office import new_workbook, workbook_bytes

        wb = new_workbook()
        ws = wb.create_sheet("选手")
        ws.append(
            ["number", "name", "school", "stage", "school_stage", "subject", "nomination", "video"]
        )
        ws.append(
            [
                "201",
                "吴六",
                "411302ZB",
                "市级决赛",
                "小学",
                "语文",
                "推荐",
                "https://video.example/201",
            ]
        )
        report = import_contestants(self.c.contest, workbook_bytes(wb), "选手.xlsx")
        self.assertEqual((report.ok, report.created), (True, 1))
        self.assertEqual(Contestant.objects.get(number="201").video, "https://video.example/201")

    def test_importing_the_same_file_again_changes_nothing(self):
        self.run_import(GOOD)
        report = self.run_import(GOOD)
        self.assertEqual((report.created, report.updated, report.unchanged), (0, 0, 2))

    def test_a_dry_run_reports_and_writes_nothing(self):
        report = self.run_import(GOOD, dry_run=True)
        self.assertEqual(report.created, 2)
        self.assertFalse(Contestant.objects.filter(number__in=["101", "102"]).exists())
        self.assertFalse(Division.objects.filter(subject="数学").exists())

    def test_a_dry_run_plans_the_new_division_without_writing_it(self):
        with CaptureQueriesContext(connection) as queries:
            report = self.run_import(GOOD, dry_run=True)
        self.assertEqual(report.created, 2)
        writes = [q["sql"] for q in queries if q["sql"].lstrip().startswith("INSERT")]
        self.assertEqual(writes, [])

    def test_any_bad_row_stops_the_whole_file_with_row_errors(self):
        bad = (
            GOOD
            + "103,孙三,不存在学校,市级决赛,大学,语文,指定\n101,重复,瓦店一小,市级决赛,小学,语文,推荐\n"
        )
        report = self.run_import(bad)
        messages = [str(e) for e in report.errors]
        self.assertIn("第 4 行“学校”列：找不到学校“不存在学校”", messages)
        self.assertTrue(any("第 4 行“学段”列" in m for m in messages))
        self.assertTrue(any("第 4 行“推选方式”列" in m for m in messages))
        self.assertIn("第 5 行“参赛编号”列：编号 101 在文件中重复（第 2 行已有）", messages)
        self.assertFalse(Contestant.objects.filter(number="101").exists())

    def test_an_unconfigured_stage_is_an_error(self):
        report = self.run_import(HEADER + "104,李四,瓦店一小,县推市赛,小学,语文,推荐\n")
        self.assertIn("未设置阶段", str(report.errors[0]))

    def test_the_command_line_imports_and_dry_runs(self):
        path = Path(self.id().replace(".", "_") + ".csv")
        path.write_text(GOOD, encoding="utf-8")
        self.addCleanup(path.unlink)
        out = StringIO()
        call_command("contest", "import-contestants", str(path), "--dry-run", stdout=out)
        self.assertIn("试导入（未保存）：共 2 行，新增 2", out.getvalue())
        self.assertFalse(Contestant.objects.filter(number="101").exists())
        call_command("contest", "import-contestants", str(path), stdout=out)
        self.assertTrue(Contestant.objects.filter(number="101").exists())
        path.write_text(HEADER + "105,周五,无此校,市级决赛,小学,语文,推荐\n", encoding="utf-8")
        with self.assertRaises(CommandError):
            call_command("contest", "import-contestants", str(path), stdout=out)

    def test_the_command_line_imports_topics_judges_and_teachers_as_the_set_up_pages_do(self):
        school = self.c.units["WA"]
        topic = "题目编号,学科,学段,课题,教材出处\n"
        judge = "姓名,评委类别,工作单位,可评学科,联系电话\n"
        teachers = "学校,教师人数\n"
        cases = {
            "import-topics": (
                topic + "T9,语文,小学,春晓,部编版\n",
                topic + "T10,语文,小学,,\n",
                lambda: Topic.objects.filter(code="T9", title="春晓").exists(),
            ),
            "import-judges": (
                judge + f"李评,一线教师,{school.name},语文,13800000000\n",
                judge + f"王评,不存在的类别,{school.name},语文,\n",
                lambda: Judge.objects.filter(name="李评").exists(),
            ),
            "import-teachers": (
                teachers + f"{school.name},45\n",
                teachers + "无此学校,40\n",
                lambda: SchoolTeachers.objects.get(school=school).teachers == 45,
            ),
        }
        for action, (good, bad, imported) in cases.items():
            with self.subTest(action):
                path = Path(self.id().replace(".", "_") + ".csv")
                self.addCleanup(path.unlink, missing_ok=True)
                path.write_text(good, encoding="utf-8")
                out = StringIO()
                call_command("contest", action, str(path), "--dry-run", stdout=out)
                self.assertIn("试导入（未保存）：共 1 行", out.getvalue())
                self.assertFalse(imported())
                call_command("contest", action, str(path), stdout=out)
                self.assertTrue(imported())
                path.write_text(bad, encoding="utf-8")
                out = StringIO()
                with self.assertRaises(CommandError):
                    call_command("contest", action, str(path), stdout=out)
                self.assertIn("第 2 行", out.getvalue())

    def test_the_upload_page_imports_for_staff_only(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        url = reverse("contest-import", args=[self.c.contest.pk])
        self.login(self.wancheng)
        self.assertEqual(
            self.client.post(url, {"file": SimpleUploadedFile("a.csv", GOOD.encode())}).status_code,
            403,
        )
        self.login(self.contest_staff)
        response = self.client.post(url, {"file": SimpleUploadedFile("a.csv", GOOD.encode())})
        self.assertContains(response, "导入完成：共 2 行，新增 2")
