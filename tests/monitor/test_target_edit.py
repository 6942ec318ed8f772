"""Setting, adjusting and removing targets by hand; their history; the bulletin with the
targets in force at a past time; the decomposition check of the new kinds (issue 16)."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from baozheng.lib.races import TAKEN_MESSAGE
from baozheng.monitor.target_forms import TargetForm
from baozheng.stats.bulletin import bulletin_json
from baozheng.stats.models import Indicator, Target, TargetRevision
from baozheng.stats.targets import put_target
from tests.interleave import after
from tests.monitor.base import MonitorTestCase

FORM = {
    "indicator": "",
    "unit": "",
    "year": "2023",
    "phase": "",
    "basis": "growth",
    "floor": "5",
    "stretch": "",
    "top": "",
    "responsible_unit": "",
    "leader": "县长",
    "reason": "年度目标下达",
}


class TargetEditTests(MonitorTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.trade = Indicator.objects.get(code="B02")
        cls.retail_target = Target.objects.get(
            indicator__code="B01", unit=cls.city, year=2023, month=None, basis="growth"
        )

    def form(self, **changes) -> dict:
        return {
            **FORM,
            "indicator": self.trade.pk,
            "unit": self.wancheng_unit.pk,
            **changes,
        }

    def test_the_dispatch_office_sets_a_one_tier_target_with_its_first_version(self):
        Target.objects.filter(indicator=self.trade, unit=self.wancheng_unit).delete()
        self.login(self.dispatch)
        response = self.client.post(reverse("monitor-target-new"), self.form())
        target = Target.objects.get(indicator=self.trade, unit=self.wancheng_unit)
        self.assertRedirects(response, reverse("monitor-target", args=[target.pk]))
        self.assertEqual((target.floor, target.stretch), (5, None))
        revision = TargetRevision.objects.filter(
            indicator=self.trade, unit=self.wancheng_unit
        ).last()
        self.assertEqual((revision.created_by, revision.reason), (self.dispatch, "年度目标下达"))

    def test_tiers_against_the_rules_are_refused_in_chinese_and_nothing_is_saved(self):
        Target.objects.filter(indicator=self.trade, unit=self.wancheng_unit).delete()
        self.login(self.dispatch)
        response = self.client.post(
            reverse("monitor-target-new"), self.form(floor="8", stretch="7", phase="2")
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "不能低于“保”目标")
        quarterly = Indicator.objects.get(code="B03")  # 跨境电商: 1-3、1-6、1-9、1-12月
        response = self.client.post(
            reverse("monitor-target-new"), self.form(indicator=quarterly.pk, phase="5")
        )
        self.assertContains(response, "在1-5月没有发布数据")
        response = self.client.post(
            reverse("monitor-target-new"), self.form(basis="rank", floor="2.5")
        )
        self.assertContains(response, "不小于 1 的整数名次")
        self.assertFalse(
            Target.objects.filter(unit=self.wancheng_unit, indicator__code__in=["B02", "B03"])
            .exclude(month=None, indicator__code="B03")
            .exists()
        )

    def test_a_mid_year_adjustment_keeps_the_earlier_version(self):
        self.login(self.dispatch)
        target = self.retail_target
        url = reverse("monitor-target", args=[target.pk])
        data = {
            "floor": "7",
            "stretch": "8",
            "top": "",
            "responsible_unit": target.responsible_unit_id or "",
            "leader": target.leader,
            "reason": "年中调整",
        }
        self.assertRedirects(self.client.post(url, data), url)
        target.refresh_from_db()
        self.assertEqual(target.floor, 7)
        page = self.client.get(url)
        versions = page.context["versions"]
        self.assertEqual([v.reason for v in versions], ["年中调整", "演示数据"])
        self.assertContains(page, "现行")
        listing = self.client.get(reverse("monitor-targets"), {"parent": "411300", "year": 2023})
        self.assertContains(listing, "已调整")

    def test_a_clerk_may_neither_set_nor_adjust_targets(self):
        self.login(self.wancheng)
        self.assertEqual(
            self.client.post(reverse("monitor-target-new"), self.form()).status_code, 403
        )
        own = Target.objects.get(
            indicator__code="B01", unit=self.wancheng_unit, month=None, basis="growth"
        )
        url = reverse("monitor-target", args=[own.pk])
        page = self.client.get(url)
        self.assertEqual(page.status_code, 200)
        self.assertIsNone(page.context["form"])
        self.assertEqual(self.client.post(url, {"floor": "1", "reason": "x"}).status_code, 403)

    def test_a_clerk_cannot_see_another_countys_target(self):
        wolong = Target.objects.filter(unit=self.wolong_unit).first()
        self.login(self.wancheng)
        page = self.client.get(reverse("monitor-target", args=[wolong.pk]))
        self.assertEqual(page.status_code, 403)

    def test_a_reason_over_the_historys_column_changes_nothing(self):
        self.login(self.dispatch)
        pk = self.retail_target.pk
        url = reverse("monitor-target", args=[pk])
        self.assertContains(self.client.get(url), 'maxlength="200"', count=2)
        data = {"floor": "7", "stretch": "8", "top": "", "responsible_unit": "", "leader": ""}
        response = self.client.post(url, data | {"reason": "调" * 201})
        self.assertContains(response, "理由超过 200 字（201 字），请删减后重新提交")
        remove = reverse("monitor-target-remove", args=[pk])
        response = self.client.post(remove, {"reason": "删" * 201}, follow=True)
        self.assertContains(response, "删除理由超过 200 字（201 字），请删减后重新提交")
        floor = self.retail_target.floor
        key = {"indicator": self.retail_target.indicator, "unit": self.city, "year": 2023}
        with self.assertRaisesMessage(ValueError, "理由超过 200 字（201 字）"):
            put_target(
                self.dispatch, key | {"month": None, "rank": False}, {"floor": 6}, "调" * 201
            )
        revisions = TargetRevision.objects.count()
        self.retail_target.refresh_from_db()
        self.assertEqual(self.retail_target.floor, floor)
        self.client.post(url, data | {"reason": "调" * 200})
        self.client.post(remove, {"reason": "删" * 200})
        reasons = list(TargetRevision.objects.order_by("-pk").values_list("reason", flat=True))
        self.assertEqual((len(reasons), reasons[:2]), (revisions + 2, ["删" * 200, "调" * 200]))

    def test_removing_needs_a_reason_and_keeps_the_history(self):
        self.login(self.dispatch)
        pk = self.retail_target.pk
        self.client.post(reverse("monitor-target-remove", args=[pk]), {"reason": ""})
        self.assertTrue(Target.objects.filter(pk=pk).exists())
        self.client.post(reverse("monitor-target-remove", args=[pk]), {"reason": "目标取消"})
        self.assertFalse(Target.objects.filter(pk=pk).exists())
        removal = TargetRevision.objects.filter(removed=True).get()
        self.assertEqual((removal.reason, removal.created_by), ("目标取消", self.dispatch))


class TargetsInForceAtATimeTests(MonitorTestCase):
    def test_the_bulletin_computes_with_the_targets_in_force_when_asked(self):
        before = timezone.now()
        retail = Indicator.objects.get(code="B01")
        put_target(
            self.dispatch,
            {"indicator": retail, "unit": self.city, "year": 2023, "month": None, "rank": False},
            {"floor": 20, "stretch": 21},
            "年中调整",
        )
        later = timezone.now() + timedelta(seconds=1)

        def city_floor(at) -> float:
            rows = bulletin_json("2023-09", self.city, as_of=at)["rows"]
            return next(r for r in rows if r["indicator"] == "B01" and r["unit"] == "411300")[
                "target_floor"
            ]

        self.assertEqual(city_floor(before), 12.0)
        self.assertEqual(city_floor(later), 20.0)
        self.assertEqual(city_floor(None), 20.0)


class DecompositionOfTheNewKindsTests(MonitorTestCase):
    def test_rates_and_rank_targets_cannot_be_checked_and_phases_are_listed(self):
        self.login(self.dispatch)
        response = self.client.get(reverse("monitor-targets"), {"parent": "411300", "year": 2023})
        lines = response.context["lines"]
        reasons = {(x.indicator.code, x.target.basis, x.target.month): x.result for x in lines}
        self.assertIn("比率类指标无法核对", reasons[("D01", "level", None)].reason)
        self.assertIn("位次目标无法核对", reasons[("B01", "rank", None)].reason)
        self.assertIn(("A01", "growth", 3), reasons)
        self.assertContains(response, "一季度目标")
        tax = reasons[("B05", "growth", None)]
        self.assertEqual([t.tier for t in tax.tiers], ["floor"])


class TargetRaceTests(MonitorTestCase):
    def test_a_target_set_meanwhile_by_another_person_is_not_doubled(self):
        trade = Indicator.objects.get(code="B02")
        Target.objects.filter(indicator=trade, unit=self.wancheng_unit).delete()
        self.login(self.dispatch)
        key = {"indicator": trade, "unit": self.wancheng_unit, "year": 2023, "month": None}
        other = lambda: put_target(None, {**key, "rank": False}, {"floor": 6}, "他人下达")  # noqa: E731
        data = {**FORM, "indicator": trade.pk, "unit": self.wancheng_unit.pk}
        with after(TargetForm, "is_valid", other):
            response = self.client.post(reverse("monitor-target-new"), data)
        self.assertContains(response, TAKEN_MESSAGE)
        self.assertEqual(Target.objects.get(indicator=trade, unit=self.wancheng_unit).floor, 6)
