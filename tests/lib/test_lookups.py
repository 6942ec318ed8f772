"""`IN` over integer columns and keys leaves out numbers no column can hold (lib/lookups.py):
SQLite raised OverflowError on them, and Django checks a multiple choice with `pk__in`."""

from __future__ import annotations

from django.urls import reverse

from baozheng.api.models import ApiToken
from baozheng.org.models import Unit
from baozheng.tasks.models import Task
from baozheng.testing import BaozhengTestCase
from tests.tasks.factory import make_task

HUGE = 10**20  # beyond any 64-bit column


class IntegerInTests(BaozhengTestCase):
    def test_a_number_no_key_can_hold_matches_nothing_and_the_others_still_match(self):
        wancheng = self.wancheng_unit
        self.assertEqual(list(Unit.objects.filter(pk__in=[HUGE, wancheng.pk])), [wancheng])
        self.assertFalse(Unit.objects.filter(pk__in=[HUGE, -HUGE]).exists())
        children = Unit.objects.filter(parent_id__in=[HUGE, self.city.pk])
        self.assertIn(wancheng, children)
        self.assertIn(wancheng, Unit.objects.filter(parent__in=[HUGE, self.city.pk]))
        task = make_task(self.dispatch, self.wolong_unit, title="协办事项")
        task.helpers.add(wancheng)
        self.assertEqual(list(Task.objects.filter(helpers__in=[HUGE, wancheng.pk])), [task])
        self.assertFalse(Task.objects.filter(helpers__in=[HUGE]).exists())

    def test_a_forged_choice_in_a_multiple_select_is_a_form_error_not_a_server_error(self):
        self.login(self.dispatch)
        task = {
            "title": "落实稳岗补贴",
            "lead_unit": self.wolong_unit.pk,
            "deadline_workdays": "5",
            "priority": "high",
            "helpers": [str(HUGE)],
        }
        response = self.client.post(reverse("tasks-new"), task)
        self.assertContains(response, "不在可用的选项中", status_code=200)
        self.assertFalse(Task.objects.filter(title="落实稳岗补贴").exists())
        self.login(self.admin)
        token = {
            "name": "外部系统",
            "role": "leader",
            "units": [str(HUGE)],
            "owner_unit": self.city.pk,
        }
        response = self.client.post(reverse("api-tokens"), token)
        self.assertContains(response, "不在可用的选项中", status_code=200)
        self.assertFalse(ApiToken.objects.exists())
