from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from baozheng.stats.models import Indicator, Target
from baozheng.testing import BaozhengTestCase


class TargetsPageTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        sites = Indicator.objects.create(code="5G", name="新建5G基站", measure="个", kind="count")
        Target.objects.create(
            indicator=sites,
            unit=cls.city,
            year=2023,
            basis="level",
            floor=Decimal(2000),
            stretch=Decimal(2200),
        )
        for unit in cls.city.peer_groups.get(partitions=True).members.all():
            Target.objects.create(
                indicator=sites,
                unit=unit,
                year=2023,
                basis="level",
                floor=Decimal(150),
                stretch=Decimal(180),
            )

    def test_it_shows_where_the_counties_targets_fall_short(self):
        self.login(self.dispatch)
        response = self.client.get(reverse("monitor-targets"), {"year": 2023})
        self.assertContains(response, "新建5G基站")
        self.assertContains(response, "1950.0")  # 13 × 150
        self.assertContains(response, "不相符")

    def test_the_responsible_units_are_read_with_the_targets(self):
        """One query for every line's 责任单位, however many lines the year has."""
        self.login(self.dispatch)
        mine = Target.objects.get(unit=self.city, year=2023)
        Target.objects.filter(pk=mine.pk).update(responsible_unit=self.wancheng_unit)

        def page() -> tuple[int, bytes]:
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(reverse("monitor-targets"), {"year": 2023})
            return len(queries), response.content

        one, _ = page()
        station = Indicator.objects.create(code="EV", name="充电桩", measure="个", kind="count")
        Target.objects.create(
            indicator=station,
            unit=self.city,
            year=2023,
            basis="level",
            floor=Decimal(900),
            responsible_unit=self.wolong_unit,
        )
        two, content = page()
        self.assertIn("卧龙区".encode(), content)
        self.assertIn("宛城区".encode(), content)
        self.assertEqual(two, one)

    def test_a_clerk_cannot_open_another_countys_targets(self):
        self.login(self.wancheng)
        response = self.client.get(reverse("monitor-targets"), {"parent": "411300", "year": 2023})
        self.assertEqual(response.status_code, 403)

    def test_a_judge_is_refused(self):
        self.login(self.judge)
        self.assertEqual(self.client.get(reverse("monitor-targets")).status_code, 403)
