from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from baozheng.lib.tabular import ImportFileError
from baozheng.projects.importer import import_projects
from baozheng.projects.models import Batch, BatchEntry, Project, Stage
from baozheng.testing import BaozhengTestCase

HEADER = (
    "项目编码,项目名称,县市区,主管部门,行业,是否制造业,总投资（万元）,计划年度,年度计划投资（万元）,项目类别,"
    "三个一批批次,批次类别,批次日期,分包领导,分包领导账户,牵头单位,工作专班,入统日期,实际签约日期,计划开工日期,实际开工日期\n"
)
ROW_A = (
    'NY-001,宛城光伏组件项目,宛城区,工信局,新能源,是,"120,000",2023,30000,三个一批,'
    "2023年第一期,签约,2023-03-28,陈静,leader,宛城区,光伏专班,,2023-03-28,2023-09-01,\n"
)
ROW_B = (
    "NY-002,卧龙冷链物流园,411303,,现代物流,否,8000,2023,2000,市重点,,,,王建国,,,,,2023-01-10,,\n"
)


def csv(*rows: str) -> bytes:
    return (HEADER + "".join(rows)).encode()


class ImportProjectsTests(BaozhengTestCase):
    def test_it_imports_projects_with_amounts_stages_leader_and_batch(self):
        report = import_projects(csv(ROW_A, ROW_B), "projects.csv", today=date(2023, 12, 31))
        self.assertTrue(report.ok, report.errors)
        self.assertEqual((report.created, report.updated, report.unchanged), (2, 0, 0))
        a = Project.objects.get(code="NY-001")
        self.assertEqual(str(a.total_investment), "120000.00")
        self.assertEqual(a.county, self.wancheng_unit)
        self.assertEqual(a.leader, self.leader)
        self.assertEqual(a.get_category_display(), "三个一批")
        self.assertEqual(Stage.objects.get(project=a, kind="started").planned_on, date(2023, 9, 1))
        entry = BatchEntry.objects.get(project=a)
        self.assertEqual((entry.batch.name, entry.side), ("2023年第一期", "signed"))

    def test_importing_the_same_file_again_changes_nothing(self):
        import_projects(csv(ROW_A, ROW_B), "projects.csv", today=date(2023, 12, 31))
        report = import_projects(csv(ROW_A, ROW_B), "projects.csv", today=date(2023, 12, 31))
        self.assertEqual((report.created, report.updated, report.unchanged), (0, 0, 2))

    def test_a_dry_run_reports_and_saves_nothing(self):
        report = import_projects(
            csv(ROW_A, ROW_B), "projects.csv", dry_run=True, today=date(2023, 12, 31)
        )
        self.assertEqual(report.created, 2)
        self.assertIn("试导入", report.summary())
        self.assertFalse(Project.objects.exists())
        self.assertFalse(Batch.objects.exists())

    def test_a_dry_run_classifies_a_new_batch_entry_as_a_change_without_writing(self):
        import_projects(csv(ROW_A, ROW_B), "projects.csv", today=date(2023, 12, 31))
        in_batch = ROW_B.replace(",,,,王建国", ",2023年第一期,签约,2023-03-28,王建国")
        with CaptureQueriesContext(connection) as queries:
            report = import_projects(
                csv(ROW_A, in_batch), "projects.csv", dry_run=True, today=date(2023, 12, 31)
            )
        self.assertEqual((report.created, report.updated, report.unchanged), (0, 1, 1))
        writes = [q["sql"] for q in queries if q["sql"].lstrip().startswith(("INSERT", "UPDATE"))]
        self.assertEqual(writes, [])
        report = import_projects(csv(ROW_A, in_batch), "projects.csv", today=date(2023, 12, 31))
        self.assertEqual((report.created, report.updated, report.unchanged), (0, 1, 1))
        self.assertEqual(BatchEntry.objects.filter(project__code="NY-002").count(), 1)

    def test_any_row_error_changes_nothing_and_names_row_and_column(self):
        bad = "NY-003,某项目,不存在县,,新能源,也许,abc,2023,100,市重点,,,,,nobody,,,,,,\n"
        report = import_projects(csv(ROW_A, bad), "projects.csv", today=date(2023, 12, 31))
        self.assertFalse(report.ok)
        text = "\n".join(str(e) for e in report.errors)
        self.assertIn("第 3 行“县市区”列", text)
        self.assertIn("是否制造业", text)
        self.assertIn("总投资", text)
        self.assertIn("找不到账户“nobody”", text)
        self.assertFalse(Project.objects.exists())

    def test_a_skipped_stage_in_the_file_is_a_row_error(self):
        skipped = "NY-004,某项目,宛城区,,新能源,是,100,2023,10,市重点,,,,,,,,,,,2023-05-01\n"
        report = import_projects(csv(skipped), "projects.csv", today=date(2023, 12, 31))
        self.assertIn("不能直接开工", str(report.errors[0]))

    def test_duplicate_codes_in_one_file_are_refused(self):
        report = import_projects(csv(ROW_B, ROW_B), "projects.csv", today=date(2023, 12, 31))
        self.assertIn("与第 2 行重复", str(report.errors[0]))

    def test_blank_stage_cells_keep_dates_entered_on_the_page(self):
        import_projects(csv(ROW_B), "projects.csv", today=date(2023, 12, 31))
        project = Project.objects.get(code="NY-002")
        Stage.objects.create(project=project, kind="landed", actual_on=date(2023, 2, 1))
        report = import_projects(csv(ROW_B), "projects.csv", today=date(2023, 12, 31))
        self.assertEqual(report.unchanged, 1)
        self.assertEqual(
            Stage.objects.get(project=project, kind="landed").actual_on, date(2023, 2, 1)
        )

    def test_a_file_without_required_columns_is_refused_as_a_whole(self):
        with self.assertRaises(ImportFileError):
            import_projects("项目编码,项目名称\nA,B\n".encode(), "projects.csv")
