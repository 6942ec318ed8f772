"""The charts' and maps' data print as Django's `json_script` prints them, byte for byte."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.html import json_script

from baozheng.monitor.templatetags.monitor import chart_data


def test_it_prints_what_json_script_prints():
    value = {
        "text": "<b>宛城区</b> & 卧龙区</script>",
        "when": date(2023, 9, 30),
        "amount": Decimal("1.50"),
        "list": [1.5, None, True, "a>b"],
    }
    assert chart_data(value, "chart-curve") == json_script(value, "chart-curve")
