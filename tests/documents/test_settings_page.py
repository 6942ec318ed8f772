"""公文设置: the city administrator sets each document type; nobody else may; bad input
changes nothing; every change is audited."""

from auditlog.models import LogEntry
from django.urls import reverse

from baozheng.documents.forms import DocumentSettingsForm
from baozheng.documents.models import DocumentSettings
from baozheng.documents.settings import letterhead
from baozheng.lib.races import TAKEN_MESSAGE
from baozheng.org.models import Role
from baozheng.testing import BaozhengTestCase
from tests.interleave import after

URL = reverse("documents-settings")


def post(values: dict) -> dict:
    data = {"doc_type": "stats_bulletin"}
    data.update({f"stats_bulletin-{k}": v for k, v in values.items()})
    return data


class SettingsPageTests(BaozhengTestCase):
    def test_the_administrator_sets_the_issuer_and_the_number_pattern(self):
        self.login(self.admin)
        self.assertContains(self.client.get(URL), "经济运行通报")
        response = self.client.post(
            URL,
            post(
                {
                    "issuer": "某市经济运行调度指挥部办公室",
                    "style": "简报",
                    "number_pattern": "第{month}期",
                    "recipients": "各县市区人民政府",
                }
            ),
        )
        self.assertRedirects(response, URL)
        row = DocumentSettings.objects.get(doc_type="stats_bulletin")
        self.assertEqual(row.issuer, "某市经济运行调度指挥部办公室")
        self.assertTrue(LogEntry.objects.get_for_object(row).exists())
        head = letterhead("stats_bulletin", year=2023, month=6)
        self.assertEqual((head.number, head.style), ("第6期", "简报"))

    def test_an_unknown_placeholder_is_refused_and_nothing_is_saved(self):
        self.login(self.admin)
        response = self.client.post(
            URL, post({"style": "文件", "number_pattern": "宛调〔{yr}〕号"})
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "占位符", status_code=400)
        self.assertFalse(DocumentSettings.objects.exists())

    def test_others_may_not_open_or_change_it(self):
        for user in (self.dispatch, self.leader, self.wancheng):
            self.login(user)
            self.assertEqual(self.client.get(URL).status_code, 403, user.username)
            self.client.post(URL, post({"style": "文件", "issuer": "冒名"}))
        self.assertFalse(DocumentSettings.objects.exists())
        self.client.logout()
        self.assertEqual(self.client.get(URL).status_code, 302)

    def test_an_administrator_scoped_to_a_county_may_not_change_the_citys_documents(self):
        self.assertEqual(self.admin.role, Role.ADMIN)
        self.admin.scope.set([self.wancheng_unit])
        self.login(self.admin)
        self.assertEqual(self.client.get(URL).status_code, 403)
        self.client.post(URL, post({"style": "文件", "issuer": "越权"}))
        self.assertFalse(DocumentSettings.objects.exists())


class SettingsRaceTests(BaozhengTestCase):
    def test_settings_first_saved_meanwhile_by_another_administrator_are_not_doubled(self):
        self.login(self.admin)
        other = lambda: DocumentSettings.objects.create(  # noqa: E731
            doc_type="stats_bulletin", issuer="他人保存的发文机关"
        )
        with after(DocumentSettingsForm, "is_valid", other):
            response = self.client.post(URL, post({"style": "文件", "issuer": "本人"}))
        self.assertContains(response, TAKEN_MESSAGE, status_code=400)
        self.assertEqual(DocumentSettings.objects.get().issuer, "他人保存的发文机关")
