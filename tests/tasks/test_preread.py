"""The meeting pre-read: five sections from what is true that day, scoped to the reader,
on the page, printable and as Word."""

from __future__ import annotations

import io
from datetime import timedelta

from django.urls import reverse
from docx import Document

from baozheng.projects.services import open_support_request
from baozheng.tasks import preread
from baozheng.tasks.green_channel import assign, receive
from baozheng.tasks.models import (
    Enterprise,
    Meeting,
    MeetingKind,
    MeetingState,
    RequestCategory,
    SourceKind,
    Task,
)
from baozheng.tasks.services import today
from baozheng.workcal.calendar import add_workdays
from tests.projects.factory import make_project
from tests.stats.world import StatsDemoTestCase
from tests.tasks.factory import make_task


class PreReadTests(StatsDemoTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        on = today()
        cls.previous = Meeting.objects.create(
            kind=MeetingKind.TEN_DAY,
            title="上次旬会商",
            held_on=on - timedelta(days=10),
            chair="主任",
        )
        cls.meeting = Meeting.objects.create(
            kind=MeetingKind.TEN_DAY,
            title="本次旬会商",
            held_on=on,
            chair="主任",
            state=MeetingState.PLANNED,
        )
        cls.meeting.attending_units.add(cls.wancheng_unit, cls.wolong_unit)
        decision = make_task(
            cls.dispatch,
            cls.wancheng_unit,
            title="上次议定：加快宛城项目开工",
            opened_on=on - timedelta(days=10),
            deadline=on + timedelta(days=30),
            source_kind=SourceKind.MEETING,
        )
        Task.objects.filter(pk=decision.pk).update(source_id=cls.previous.pk)
        make_task(
            cls.dispatch,
            cls.wancheng_unit,
            title="宛城超期事项",
            opened_on=on - timedelta(days=40),
            deadline=on - timedelta(days=5),
        )
        project = make_project(
            cls.wancheng_unit, "P-901", name="宛城光电产业园", ytd_by_month={9: "100"}
        )
        open_support_request(
            project,
            category="power",
            description="需要新建专用变电站",
            lead_unit=cls.wancheng_unit,
            owner=None,
            deadline=on + timedelta(days=20),
            user=cls.dispatch,
        )
        enterprise = Enterprise.objects.create(
            credit_code="91411300MA44XXXXX3", name="宛城食品有限公司", county=cls.wancheng_unit
        )
        received = on - timedelta(days=40)
        late = receive(
            enterprise,
            category=RequestCategory.LAND,
            description="厂房用地手续迟迟未办",
            channel="staff",
            received_on=received,
        )
        assign(late, cls.dept.unit, cls.dispatch, on=received)
        cls.late_code = late.receipt_code
        assert add_workdays(received, 7) < on

    def sections(self, user):
        return {s.title[:2]: s for s in preread.build(user, self.meeting, today())}

    def test_the_pre_read_has_all_five_sections_with_content(self):
        sections = self.sections(self.dispatch)
        self.assertEqual(list(sections), ["一、", "二、", "三、", "四、", "五、"])
        stats = sections["一、"]
        self.assertIn("2023年1-9月", stats.note)
        self.assertIn("上次会议", stats.note)
        self.assertTrue(stats.items)
        self.assertTrue({i.light for i in stats.items} <= {"red", "yellow"})
        projects = [i.title for i in sections["二、"].items]
        self.assertTrue(any("宛城光电产业园" in t and "P-901" in t for t in projects))
        self.assertTrue(any(t.startswith("要素保障：宛城光电产业园") for t in projects))
        self.assertIn("宛城超期事项", " ".join(i.title for i in sections["三、"].items))
        self.assertEqual(sections["三、"].items[0].light, "red")
        self.assertIn(self.late_code, sections["四、"].items[0].title)
        decisions = sections["五、"]
        self.assertIn("上次旬会商", decisions.note)
        self.assertIn("上次议定：加快宛城项目开工", decisions.items[0].title)
        self.assertIn("立项", decisions.items[0].detail)

    def test_a_county_reads_only_its_own_items(self):
        sections = self.sections(self.wolong)
        for key in ("二、", "三、", "四、", "五、"):
            self.assertEqual(sections[key].items, [], key)
        stats_units = {i.title.split("·")[0] for i in sections["一、"].items}
        self.assertNotIn("宛城区", stats_units)
        self.assertTrue(self.sections(self.wancheng)["三、"].items)

    def test_the_pre_read_page_prints_and_downloads_as_word(self):
        self.login(self.dispatch)
        url = reverse("tasks-meeting-preread", args=[self.meeting.pk])
        page = self.client.get(url)
        self.assertContains(page, "五、上次会议议定事项办理情况")
        self.assertContains(page, "data-print")
        response = self.client.get(url, {"format": "docx"})
        self.assertEqual(response.status_code, 200)
        text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
        self.assertIn("本次旬会商会前材料", text)
        self.assertIn("四、超过办理时限的企业诉求", text)
        cells = [
            c.text
            for t in Document(io.BytesIO(response.content)).tables
            for r in t.rows
            for c in r.cells
        ]
        self.assertTrue(any("宛城超期事项" in c for c in cells))

    def test_the_pre_read_is_refused_outside_the_meeting(self):
        self.login(self.dept)  # 商务局 did not attend
        url = reverse("tasks-meeting-preread", args=[self.meeting.pk])
        self.assertEqual(self.client.get(url).status_code, 403)
        self.login(self.judge)
        self.assertEqual(self.client.get(url).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(url, {"format": "docx"}).status_code, 302)
