"""Accountability records: recorded by dispatch with their basis, seen by the unit
concerned and dispatch (not by another county), counted per unit, shown on the unit's page."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from baozheng.tasks.accountability import unit_counts
from baozheng.tasks.models import Accountability
from baozheng.tasks.services import today
from baozheng.testing import BaozhengTestCase
from tests.tasks.exported import EXPORT_BUTTON, cell_with, sheets
from tests.tasks.factory import make_task


class AccountabilityTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.overdue = make_task(
            cls.dispatch,
            cls.wancheng_unit,
            title="宛城超期事项",
            opened_on=today() - timedelta(days=60),
            deadline=today() - timedelta(days=10),
        )
        cls.wolong_overdue = make_task(
            cls.dispatch,
            cls.wolong_unit,
            title="卧龙超期事项",
            opened_on=today() - timedelta(days=60),
            deadline=today() - timedelta(days=10),
        )

    def post(self, **changes):
        data = {
            "kind": "talk",
            "unit": self.wancheng_unit.pk,
            "person": "张某",
            "basis": "督办事项超期未办结",
            "tasks": [self.overdue.pk],
            "decided_by": "市委督查室",
            "decided_on": (today() - timedelta(days=1)).isoformat(),
            "document_number": "宛督〔2023〕3号",
            "document": SimpleUploadedFile("约谈通知.pdf", b"%PDF-1.4 test"),
        }
        data.update(changes)
        return self.client.post(reverse("tasks-accountability-new"), data)

    def test_dispatch_records_a_talk_with_its_basis_and_it_shows_on_the_units_page(self):
        self.login(self.dispatch)
        response = self.post()
        record = Accountability.objects.get()
        self.assertRedirects(response, reverse("tasks-accountability", args=[record.pk]))
        self.assertEqual(list(record.tasks.all()), [self.overdue])
        self.login(self.wancheng)
        page = self.client.get(reverse("tasks-unit", args=[self.wancheng_unit.code]))
        self.assertContains(page, "宛督〔2023〕3号")
        self.assertContains(page, "约谈")
        document = self.client.get(reverse("tasks-accountability-document", args=[record.pk]))
        self.assertEqual(document.status_code, 200)

    def test_another_county_does_not_see_the_record(self):
        self.login(self.dispatch)
        self.post()
        record = Accountability.objects.get()
        self.login(self.wolong)
        self.assertEqual(
            self.client.get(reverse("tasks-accountability", args=[record.pk])).status_code, 403
        )
        self.assertEqual(
            self.client.get(reverse("tasks-accountability-document", args=[record.pk])).status_code,
            403,
        )
        self.assertNotContains(self.client.get(reverse("tasks-accountability-list")), "张某")
        self.assertEqual(
            self.client.get(reverse("tasks-unit", args=[self.wancheng_unit.code])).status_code,
            403,
        )

    def test_a_task_led_by_another_unit_cannot_be_its_basis(self):
        self.login(self.dispatch)
        response = self.post(tasks=[self.wolong_overdue.pk], document="")
        self.assertContains(response, "涉及的督办事项须由被追责单位牵头", status_code=400)
        self.assertFalse(Accountability.objects.exists())

    def test_only_dispatch_records(self):
        for user in (self.wancheng, self.leader):
            self.login(user)
            self.assertEqual(self.post().status_code, 403)
        self.assertFalse(Accountability.objects.exists())

    def test_figures_per_unit_for_the_list_and_the_assessment(self):
        for kind, decided_on in (("talk", date(2023, 3, 1)), ("criticism", date(2023, 5, 1))):
            Accountability.objects.create(
                kind=kind,
                unit=self.wancheng_unit,
                basis="超期",
                decided_by="市委督查室",
                decided_on=decided_on,
            )
        codes = [self.wancheng_unit.code, self.wolong_unit.code]
        self.assertEqual(
            unit_counts(codes, date(2023, 1, 1), date(2023, 3, 31)),
            {self.wancheng_unit.code: 1, self.wolong_unit.code: 0},
        )
        self.assertEqual(
            unit_counts(codes, date(2023, 1, 1), date(2023, 12, 31), "criticism")[
                self.wancheng_unit.code
            ],
            1,
        )
        self.login(self.leader)
        page = self.client.get(reverse("tasks-accountability-list"))
        self.assertContains(page, "通报批评")
        self.assertContains(page, EXPORT_BUTTON, html=True)
        self.assertEqual(page.context["figures"][0]["total"], 2)

    def test_the_list_exports_xlsx_with_figures_within_scope_and_not_to_a_judge(self):
        record = Accountability.objects.create(
            kind="talk",
            unit=self.wancheng_unit,
            person="张某",
            basis="-督办事项超期未办结" + "，情节较重" * 20,  # whole, and inert
            decided_by="市委督查室",
            decided_on=date(2023, 3, 1),
            document_number="宛督〔2023〕3号",
        )
        record.tasks.add(self.overdue)
        Accountability.objects.create(
            kind="criticism",
            unit=self.wolong_unit,
            basis="红灯未整改",
            decided_by="市委督查室",
            decided_on=date(2023, 4, 1),
        )
        self.login(self.dispatch)
        response = self.client.get(reverse("tasks-accountability-list"), {"export": "xlsx"})
        found = sheets(self, response)
        self.assertEqual(
            found["追责记录"][2],
            [
                "决定日期",
                "追责方式",
                "被追责单位",
                "被追责人员",
                "追责依据",
                "涉及督办事项",
                "决定机关/领导",
                "文号",
            ],
        )
        self.assertEqual(
            [r[2] for r in found["追责记录"][3:]], [self.wolong_unit.name, self.wancheng_unit.name]
        )
        self.assertEqual(found["按单位统计"][2], ["单位", "约谈", "通报批评", "问责", "合计"])
        self.assertEqual(len(found["按单位统计"]), 5)
        self.assertTrue(cell_with(response, record.basis).quotePrefix)
        self.login(self.wancheng)
        response = self.client.get(reverse("tasks-accountability-list"), {"export": "xlsx"})
        found = sheets(self, response)
        self.assertEqual(
            found["追责记录"][3:],
            [
                [
                    datetime(2023, 3, 1),
                    "约谈",
                    self.wancheng_unit.name,
                    "张某",
                    record.basis,
                    f"{self.overdue.code} 宛城超期事项",
                    "市委督查室",
                    "宛督〔2023〕3号",
                ]
            ],
        )
        self.assertEqual(found["按单位统计"][3:], [[self.wancheng_unit.name, 1, 0, 0, 1]])
        self.login(self.judge)
        response = self.client.get(reverse("tasks-accountability-list"), {"export": "xlsx"})
        self.assertEqual(response.status_code, 403)
