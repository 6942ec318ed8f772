"""The topic bank, judges and schools' teacher headcounts: forms and all-or-nothing imports."""

from decimal import Decimal

from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from baozheng.contest import scoring
from baozheng.contest.models import Judge, JudgeGroup, SchoolStage, SchoolTeachers, Topic
from baozheng.testing import BaozhengTestCase
from tests.contest.factory import SmallContest

TOPICS = "题目编号,学科,学段,课题,教材出处\nYW100,语文,小学,秋天的雨,三年级上册\nSX100,数学,初中,勾股定理,八年级下册\n"
JUDGES = (
    "姓名,评委类别,工作单位,可评学科,联系电话\n"
    "王芳,一线教师,石桥一小,语文,13800000001\n李强,教研员,411300JYJ,语文,0377-63123456\n"
)
TEACHERS = "学校,教师人数\n瓦店一小,45\n411303ZA,52\n"


def upload(text: str, name: str = "file.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


class PeopleSetupPageTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.c = SmallContest(head=cls.contest_staff)
        cls.cid = cls.c.contest.pk

    def setUp(self):
        self.login(self.contest_staff)

    def import_file(self, name: str, text: str, dry_run: bool = False):
        data = {"form": "import", "file": upload(text)}
        if dry_run:
            data["dry_run"] = "on"
        return self.client.post(reverse(name, args=[self.cid]), data)

    def test_staff_add_a_topic_and_a_duplicate_code_is_refused(self):
        url = reverse("contest-topics", args=[self.cid])
        data = {
            "form": "add",
            "code": "YW99",
            "subject": "语文",
            "school_stage": SchoolStage.PRIMARY,
            "title": "荷花",
        }
        self.client.post(url, data)
        self.assertTrue(Topic.objects.filter(contest=self.c.contest, code="YW99").exists())
        self.assertContains(self.client.post(url, data), "已有这个题目编号")

    def test_a_topic_import_dry_run_reports_without_saving(self):
        response = self.import_file("contest-topics", TOPICS, dry_run=True)
        self.assertContains(response, "试导入（未保存）：共 2 行，新增 2")
        self.assertFalse(Topic.objects.filter(code="YW100").exists())

    def test_a_topic_import_saves_once_as_one_audit_event_and_a_reimport_changes_nothing(self):
        before = LogEntry.objects.count()
        self.import_file("contest-topics", TOPICS)
        self.assertEqual(Topic.objects.filter(code__in=["YW100", "SX100"]).count(), 2)
        self.assertEqual(LogEntry.objects.count(), before + 1)
        response = self.import_file("contest-topics", TOPICS)
        self.assertContains(response, "新增 0，更新 0，未变 2")
        self.assertEqual(LogEntry.objects.count(), before + 1)

    def test_a_topic_file_with_one_bad_row_imports_nothing(self):
        response = self.import_file("contest-topics", TOPICS + "YW101,语文,大学,错误学段\n")
        self.assertContains(response, "第 4 行“学段”列")
        self.assertFalse(Topic.objects.filter(code="YW100").exists())

    def test_staff_add_a_judge_with_a_valid_phone_only(self):
        url = reverse("contest-judge-roster", args=[self.cid])
        data = {
            "form": "add",
            "name": "赵敏",
            "group": JudgeGroup.FRONTLINE,
            "unit": self.c.units["LA"].pk,
            "subjects": "语文",
            "phone": "12345",
        }
        self.assertContains(self.client.post(url, data), "格式不正确")
        self.client.post(url, {**data, "phone": "13912345678"})
        self.assertEqual(Judge.objects.get(name="赵敏").phone, "13912345678")

    def test_judges_import_with_units_by_name_or_code(self):
        response = self.import_file("contest-judge-roster", JUDGES)
        self.assertContains(response, "导入完成：共 2 行，新增 2")
        self.assertEqual(Judge.objects.get(name="李强").unit.code, "411300JYJ")
        self.assertEqual(Judge.objects.get(name="王芳").group, JudgeGroup.FRONTLINE)

    def test_a_judge_file_with_an_unknown_unit_or_group_imports_nothing(self):
        response = self.import_file("contest-judge-roster", JUDGES + "钱多,专家,火星小学,语文,\n")
        self.assertContains(response, "“评委类别”列")
        self.assertContains(response, "找不到单位")
        self.assertFalse(Judge.objects.filter(name="王芳").exists())

    def test_a_judge_who_has_scored_keeps_their_group(self):
        judge = self.c.frontline[0]
        scoring.submit_sheet(
            judge,
            self.c.session,
            self.c.contestants[0],
            {self.c.goal.pk: Decimal(8), self.c.process.pk: Decimal(4)},
            "k1",
        )
        text = f"姓名,评委类别,工作单位,可评学科\n{judge.name},教研员,{judge.unit.code},语文\n"
        self.assertContains(self.import_file("contest-judge-roster", text), "不能再修改")
        self.client.post(
            reverse("contest-judge-edit", args=[judge.pk]),
            {
                "name": judge.name,
                "group": JudgeGroup.RESEARCHER,
                "unit": judge.unit_id,
                "subjects": "语文",
            },
        )
        judge.refresh_from_db()
        self.assertEqual(judge.group, JudgeGroup.FRONTLINE)

    def test_a_judge_on_a_panel_is_not_deleted(self):
        judge = self.c.frontline[0]
        response = self.client.post(
            reverse("contest-setup-delete", args=["judge", judge.pk]), follow=True
        )
        self.assertContains(response, "已被分配到场次")
        self.assertTrue(Judge.objects.filter(pk=judge.pk).exists())

    def test_teacher_headcounts_import_and_update(self):
        response = self.import_file("contest-teachers", TEACHERS)
        self.assertContains(response, "导入完成：共 2 行，新增 0，更新 2")
        self.assertEqual(SchoolTeachers.objects.get(school=self.c.units["WA"]).teachers, 45)

    def test_a_headcount_that_is_not_a_positive_number_imports_nothing(self):
        response = self.import_file("contest-teachers", TEACHERS + "瓦店二小,很多\n")
        self.assertContains(response, "应为正整数")
        self.assertEqual(SchoolTeachers.objects.get(school=self.c.units["WA"]).teachers, 40)

    def test_a_school_twice_in_a_headcount_file_names_its_first_row(self):
        response = self.import_file("contest-teachers", TEACHERS + "411302ZB,30\n瓦店一小,46\n")
        self.assertContains(response, "第 5 行：学校 瓦店一小 在文件中重复（第 2 行已有）")
        self.assertEqual(SchoolTeachers.objects.get(school=self.c.units["WA"]).teachers, 40)

    def test_staff_set_one_schools_headcount_by_form(self):
        self.client.post(
            reverse("contest-teachers", args=[self.cid]),
            {"form": "add", "school": self.c.units["WB"].pk, "teachers": 61},
        )
        self.assertEqual(SchoolTeachers.objects.get(school=self.c.units["WB"]).teachers, 61)

    def test_clerks_leaders_judges_and_anonymous_visitors_are_refused(self):
        self.client.logout()
        urls = [
            reverse(name, args=[self.cid])
            for name in ("contest-topics", "contest-judge-roster", "contest-teachers")
        ]
        for url in urls:
            self.assertEqual(self.client.get(url).status_code, 302, url)
        for user in (self.wancheng, self.leader, self.judge):
            self.login(user)
            for url in urls:
                self.assertEqual(self.client.get(url).status_code, 403, (user.username, url))
            self.assertEqual(
                self.client.post(urls[0], {"form": "import", "file": upload(TOPICS)}).status_code,
                403,
            )
        self.assertFalse(Topic.objects.filter(code="YW100").exists())
