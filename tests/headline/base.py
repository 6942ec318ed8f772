"""The headline tests' world: the monitoring demo (Nanyang up to 2023年1-9月) plus the
headline demo (six indicators, 13 county outlines, one screen link), and a county leader
whose scope is 宛城区 only."""

from __future__ import annotations

import json
import re

from baozheng.headline import demo as headline_demo
from baozheng.org.models import User
from baozheng.org.roles import Role
from baozheng.testing_worlds import shared_world
from tests.monitor.base import MonitorTestCase

COUNTIES = {
    "411302",
    "411303",
    "411321",
    "411322",
    "411323",
    "411324",
    "411325",
    "411326",
    "411327",
    "411328",
    "411329",
    "411330",
    "411381",
}


class HeadlineTestCase(MonitorTestCase):
    county_leader: User

    @classmethod
    @shared_world
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        headline_demo.load(lambda text: None)
        cls.county_leader = User.objects.create(
            username="wancheng_leader",
            full_name="宛城区领导",
            role=Role.LEADER,
            unit=cls.wancheng_unit,
        )
        cls.county_leader.scope.add(cls.wancheng_unit)


def json_script(content: str, element_id: str) -> dict:
    found = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>', content, re.S
    )
    assert found, f"页面没有 {element_id}"
    return json.loads(found.group(1))
