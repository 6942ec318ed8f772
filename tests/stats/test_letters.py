"""目标责任书: filed with a checked signed document, listed on the unit's page with its
targets' lights, the document served only within scope (issue 16)."""

from __future__ import annotations

import shutil
import tempfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from baozheng.stats.letters import MAX_LETTER_BYTES
from baozheng.stats.models import ResponsibilityLetter, Target
from tests.monitor.base import PERIOD, MonitorTestCase

PDF = b"%PDF-1.4\n% signed and stamped\n%%EOF\n"
MEDIA = tempfile.mkdtemp(prefix="bz-letters-")


@override_settings(MEDIA_ROOT=MEDIA)
class LetterTests(MonitorTestCase):
    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        shutil.rmtree(MEDIA, ignore_errors=True)

    def targets(self, unit) -> list[Target]:
        return list(Target.objects.filter(unit=unit, year=2023, month=None)[:2])

    def post(self, unit, content: bytes = PDF, name: str = "责任书.pdf", targets=None):
        targets = self.targets(unit) if targets is None else targets
        return self.client.post(
            reverse("stats-letter-new"),
            {
                "unit": unit.pk,
                "year": 2023,
                "signer": "张三",
                "signer_title": "区长",
                "signed_on": "2023-02-10",
                "targets": [t.pk for t in targets],
                "document": SimpleUploadedFile(name, content, content_type="application/pdf"),
            },
        )

    def test_the_dispatch_office_files_a_letter_and_the_unit_page_lists_it(self):
        self.login(self.dispatch)
        response = self.post(self.wolong_unit)
        self.assertRedirects(
            response,
            reverse("monitor-unit", args=["411303"]) + "#letters",
            fetch_redirect_response=False,
        )
        letter = ResponsibilityLetter.objects.get()
        self.assertEqual((letter.signer, letter.content_type), ("张三", "application/pdf"))
        self.assertTrue(letter.document.name.endswith(".pdf"))
        self.assertNotIn("责任书", letter.document.name)
        page = self.client.get(reverse("monitor-unit", args=["411303"]), {"period": PERIOD})
        self.assertContains(page, "2023年目标责任书")
        self.assertContains(page, "张三")
        lines = page.context["letters"][0]["targets"]
        self.assertEqual(len(lines), 2)
        self.assertTrue(all(line["state"] for line in lines))

    def test_the_document_is_served_within_scope_only(self):
        self.login(self.dispatch)
        self.post(self.wolong_unit)
        url = reverse("stats-letter-document", args=[ResponsibilityLetter.objects.get().pk])
        self.login(self.wolong)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), PDF)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.login(self.wancheng)
        self.assertEqual(self.client.get(url).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(url).status_code, 302)

    def test_a_file_that_is_not_a_scan_is_refused_in_chinese(self):
        self.login(self.dispatch)
        response = self.post(self.wolong_unit, b"MZ\x90\x00 not a pdf", "责任书.pdf")
        self.assertContains(response, "不是 PDF、JPEG 或 PNG 文件")
        response = self.post(self.wolong_unit, b"%PDF-" + b"0" * MAX_LETTER_BYTES)
        self.assertContains(response, "超过 10 MB")
        self.assertFalse(ResponsibilityLetter.objects.exists())

    def test_targets_of_another_unit_are_refused(self):
        self.login(self.dispatch)
        response = self.post(self.wolong_unit, targets=self.targets(self.wancheng_unit))
        self.assertContains(response, "不是卧龙区2023年的目标")
        self.assertFalse(ResponsibilityLetter.objects.exists())

    def test_a_clerk_may_not_file_a_letter(self):
        self.login(self.wolong)
        self.assertEqual(self.post(self.wolong_unit).status_code, 403)
        self.assertFalse(ResponsibilityLetter.objects.exists())
