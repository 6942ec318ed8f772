"""Inspection visits: recorded by the group or dispatch, findings become tasks, per-group
figures, and a county sees only the visits to it."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from baozheng.tasks.models import SourceKind, Status, SupervisionGroup, Task, Visit
from baozheng.tasks.services import today
from baozheng.tasks.visits import group_figures
from baozheng.testing import BaozhengTestCase
from tests.tasks.exported import sheets

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


class VisitTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.group = SupervisionGroup.objects.create(name="第一督导服务组", order=1)
        cls.group.counties.add(cls.wancheng_unit)
        cls.group.members.add(cls.dept)
        cls.visit = Visit.objects.create(
            group=cls.group, visited_on=date(2023, 3, 8), checked="项目开工", findings="用电滞后"
        )
        cls.visit.units.add(cls.wancheng_unit)

    def test_the_group_list_exports_with_its_date(self):
        self.login(self.dispatch)
        (rows,) = sheets(
            self, self.client.get(reverse("tasks-groups"), {"export": "xlsx"})
        ).values()
        self.assertIn(["第一督导服务组", None, "宛城区", str(self.dept), None], rows)

    def post_visit(self, **changes):
        data = {
            "visited_on": "2023-03-15",
            "units": [self.wancheng_unit.pk],
            "checked": "重点项目推进",
            "findings": "两个项目未按计划开工",
        }
        data.update(changes)
        return self.client.post(reverse("tasks-visit-new", args=[self.group.pk]), data)

    def test_a_group_member_records_a_visit_with_photos(self):
        self.login(self.dept)
        response = self.post_visit(photos=[SimpleUploadedFile("现场.png", PNG)])
        visit = Visit.objects.latest("pk")
        self.assertRedirects(response, reverse("tasks-visit", args=[visit.pk]))
        self.assertEqual(visit.recorded_by, self.dept)
        photo = visit.photos.get()
        self.assertEqual(photo.content_type, "image/png")
        self.assertEqual(
            self.client.get(reverse("tasks-visit-photo", args=[photo.pk])).status_code, 200
        )
        self.login(self.wolong)
        self.assertEqual(
            self.client.get(reverse("tasks-visit-photo", args=[photo.pk])).status_code, 403
        )

    def test_a_photo_that_is_not_an_image_is_refused_and_nothing_is_saved(self):
        self.login(self.dept)
        response = self.post_visit(photos=[SimpleUploadedFile("a.png", b"not an image at all")])
        self.assertContains(response, "不是 JPEG、PNG 或 WebP 图片", status_code=400)
        self.assertEqual(Visit.objects.count(), 1)

    def test_units_outside_the_group_are_refused(self):
        self.login(self.dispatch)
        response = self.post_visit(units=[self.wolong_unit.pk])
        self.assertEqual(response.status_code, 400)
        self.assertEqual(Visit.objects.count(), 1)

    def test_others_may_not_record_a_visit(self):
        for user in (self.wancheng, self.leader):
            self.login(user)
            self.assertEqual(self.post_visit().status_code, 403)
        self.assertEqual(Visit.objects.count(), 1)

    def test_a_finding_becomes_a_task_and_counts_for_the_group(self):
        self.login(self.dispatch)
        response = self.client.post(
            reverse("tasks-visit-finding", args=[self.visit.pk]),
            {
                "title": "督促光电产业园用电报装",
                "lead_unit": self.wancheng_unit.pk,
                "deadline": (today() + timedelta(days=10)).isoformat(),
                "priority": "normal",
            },
        )
        self.assertRedirects(response, reverse("tasks-visit", args=[self.visit.pk]))
        task = Task.objects.get()
        self.assertEqual((task.source_kind, task.source_id), (SourceKind.VISIT, self.visit.pk))
        Task.objects.filter(pk=task.pk).update(
            status=Status.CLOSED, reported_on=task.deadline - timedelta(days=1)
        )
        figures = group_figures([self.group])[0]
        self.assertEqual((figures.visits, figures.findings, figures.closed), (1, 1, 1))
        self.assertEqual(figures.on_time_rate, 100.0)
        page = self.client.get(reverse("tasks-group", args=[self.group.pk]))
        self.assertContains(page, "督导 1 次，发现问题立项 1 项")

    def test_only_dispatch_raises_a_finding(self):
        self.login(self.dept)
        response = self.client.post(
            reverse("tasks-visit-finding", args=[self.visit.pk]),
            {"title": "x", "lead_unit": self.wancheng_unit.pk, "deadline_workdays": "5"},
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Task.objects.exists())

    def test_a_county_sees_the_visits_to_it_and_not_another_counties(self):
        self.login(self.wancheng)
        url = reverse("tasks-visit", args=[self.visit.pk])
        self.assertContains(self.client.get(url), "用电滞后")
        self.login(self.wolong)
        self.assertEqual(self.client.get(url).status_code, 403)
        self.login(self.judge)
        self.assertEqual(self.client.get(url).status_code, 403)
