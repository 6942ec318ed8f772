"""Registering borrowed classes by page and import: stage, grade, size; scoped to staff."""

from django.urls import reverse

from baozheng.contest.classes import import_classes
from baozheng.contest.models import TeachingClass
from baozheng.testing import BaozhengTestCase
from tests.contest.factory import SmallContest

HEADER = "学校,学段,年级,学科,班级,人数\n"


class ClassRegistrationTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.c = SmallContest(head=cls.contest_staff)

    def url(self):
        return reverse("contest-classes", args=[self.c.venue.pk])

    def test_the_import_is_all_or_nothing_dry_runnable_and_idempotent(self):
        good = HEADER + "石桥一小,初中,7,数学,初一（3）班,48\n石桥二小,初中,8,,初二（1）班,50\n"
        before = TeachingClass.objects.count()
        dry = import_classes(self.c.venue, good.encode(), "班级.csv", dry_run=True)
        self.assertEqual((dry.created, TeachingClass.objects.count()), (2, before))
        report = import_classes(self.c.venue, good.encode(), "班级.csv", user=self.contest_staff)
        self.assertEqual(report.created, 2)
        made = TeachingClass.objects.get(name="初一（3）班")
        self.assertEqual((made.school_stage, made.grade, made.size), ("junior", 7, 48))
        again = import_classes(self.c.venue, good.encode(), "班级.csv", user=self.contest_staff)
        self.assertEqual((again.created, again.updated, again.unchanged), (0, 0, 2))
        bad = HEADER + "石桥一小,初中,7,,初一（4）班,48\n石桥一小,大学,13,,甲班,0\n"
        failed = import_classes(self.c.venue, bad.encode(), "班级.csv", user=self.contest_staff)
        self.assertTrue(failed.errors)
        self.assertIn("学段“大学”无效", str(failed.errors[0]))
        self.assertFalse(TeachingClass.objects.filter(name="初一（4）班").exists())

    def test_a_class_name_or_subject_over_its_column_is_refused_not_cut(self):
        text = HEADER + f"石桥一小,初中,7,{'数' * 21},{'班' * 41},48\n"
        report = import_classes(self.c.venue, text.encode(), "班级.csv", user=self.contest_staff)
        messages = [str(e) for e in report.errors]
        self.assertIn("第 2 行“学科”列：超过 20 字（21 字）", messages)
        self.assertIn("第 2 行“班级”列：超过 40 字（41 字）", messages)
        self.assertFalse(TeachingClass.objects.filter(name__startswith="班班").exists())
        text = HEADER + f"石桥一小,初中,7,{'数' * 20},{'班' * 40},48\n"
        import_classes(self.c.venue, text.encode(), "班级.csv", user=self.contest_staff)
        made = TeachingClass.objects.get(name="班" * 40)
        self.assertEqual(made.subject, "数" * 20)

    def test_two_long_class_names_of_one_school_keep_codes_of_their_own(self):
        """Names sharing their first 30 characters: cut to the old 32-character code they
        met in one code, and the import took the second for the first."""
        first, second = "实验" * 15 + "甲班", "实验" * 15 + "乙班"
        text = HEADER + f"石桥一小,初中,7,,{first},48\n石桥一小,初中,7,,{second},40\n"
        report = import_classes(self.c.venue, text.encode(), "班级.csv", user=self.contest_staff)
        self.assertEqual(report.created, 2, report.errors)
        made = TeachingClass.objects.filter(name__in=[first, second])
        self.assertEqual({c.code.rsplit("/", 1)[1] for c in made}, {first, second})

    def test_staff_register_a_class_on_the_page_and_others_cannot(self):
        data = {
            "form": "add",
            "school": self.c.units["LA"].pk,
            "school_stage": "junior",
            "grade": "7",
            "subject": "",
            "name": "初一（5）班",
            "size": "45",
        }
        self.login(self.wancheng)
        self.assertEqual(self.client.post(self.url(), data).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(self.url()).status_code, 302)
        self.login(self.contest_staff)
        self.assertContains(self.client.get(self.url()), "初一（1）班")
        response = self.client.post(self.url(), {**data, "grade": "13"})
        self.assertContains(response, "年级应在 1 到 12 之间")
        self.client.post(self.url(), data)
        made = TeachingClass.objects.get(name="初一（5）班")
        self.assertEqual((made.venue, made.code), (self.c.venue, "411303ZA/初一（5）班"))
