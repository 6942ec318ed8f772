"""The cache key moves only when an input of the bulletin changes, and each bulletin
download is built once per data version, then served from its file."""

from __future__ import annotations

import threading
import time
from decimal import Decimal
from unittest import mock

from django.urls import reverse

from baozheng.monitor import exports
from baozheng.monitor.versioning import current
from baozheng.org.models import Unit
from baozheng.org.permissions import primary_unit
from baozheng.stats import workflow
from baozheng.stats.bulletin import parse_period
from baozheng.stats.models import Indicator, Target
from tests.monitor.base import PERIOD, MonitorTestCase


class DataVersionTests(MonitorTestCase):
    def draft(self, value: str = "123.4"):
        indicator = Indicator.objects.get(code="B05")
        unit = primary_unit(self.wancheng)
        return workflow.save_draft(
            self.wancheng, indicator, unit, 2023, 10, Decimal(value), Decimal("5.5")
        )

    def test_drafts_submissions_and_returns_leave_the_version_alone(self):
        before = current()
        obs = self.draft()
        obs = workflow.submit(self.wancheng, obs)
        workflow.return_for_correction(self.dispatch, obs, "请核实")
        self.draft("124.5")
        self.assertEqual(current(), before)

    def test_an_approval_moves_the_version(self):
        obs = workflow.submit(self.wancheng, self.draft())
        before = current()
        workflow.approve(self.dispatch, obs)
        self.assertNotEqual(current(), before)

    def test_a_user_rename_does_not_move_it_but_a_target_or_unit_edit_does(self):
        before = current()
        self.leader.first_name = "改名"
        self.leader.save()
        self.assertEqual(current(), before)
        target = Target.objects.first()
        target.floor = (target.floor or Decimal(0)) + 1
        target.save()
        after_target = current()
        self.assertNotEqual(after_target, before)
        unit = Unit.objects.get(code="411300")
        unit.short_name = "宛"
        unit.save()
        self.assertNotEqual(current(), after_target)

    def test_a_download_is_built_once_per_version_and_rebuilt_after_an_approval(self):
        self.login(self.leader)
        url = reverse("monitor-bulletin-download", args=["json"])
        query = {"period": PERIOD, "parent": "411300"}
        with mock.patch.object(exports, "bulletin", wraps=exports.bulletin) as computed:
            first = self.client.get(url, query)
            second = self.client.get(url, query)
            self.assertEqual(computed.call_count, 1)
            self.assertEqual(first.content, second.content)
            workflow.approve(self.dispatch, workflow.submit(self.wancheng, self.draft()))
            self.client.get(url, query)
            self.assertEqual(computed.call_count, 2)
        files = list(exports.directory().glob(f"{PERIOD}-411300-json-*.json"))
        self.assertEqual([f.name for f in files], [f"{PERIOD}-411300-json-{current()}.json"])

    def test_concurrent_requests_for_one_document_wait_for_a_single_build(self):
        builds = []

        def slow_build(computed):
            builds.append(1)
            time.sleep(0.2)
            return b"document"

        period = parse_period(PERIOD)
        parent = Unit.objects.get(code="411300")
        results = []
        with (
            mock.patch.object(exports, "writers", return_value={"xlsx": slow_build}),
            mock.patch.object(exports, "bulletin"),
            mock.patch.object(exports, "current", return_value=f"test-{time.time_ns()}"),
        ):
            threads = [
                threading.Thread(
                    target=lambda: results.append(exports.bulletin_file(period, parent, "xlsx"))
                )
                for _ in range(5)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        self.assertEqual(len(builds), 1)
        self.assertEqual(len(set(results)), 1)
        self.assertEqual(results[0].read_bytes(), b"document")
