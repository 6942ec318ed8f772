"""The chinesecalendar package is asked once per year whether it covers it and once per
day whether it is a working day: each answer scans its whole holiday table."""

from __future__ import annotations

from datetime import date
from unittest import mock

import chinese_calendar
from django.test import TestCase

from baozheng.workcal import calendar


class PackageAnswerTests(TestCase):
    def setUp(self) -> None:
        calendar._package_covers.cache_clear()
        calendar._package_workday.cache_clear()
        self.addCleanup(calendar._package_covers.cache_clear)
        self.addCleanup(calendar._package_workday.cache_clear)

    def test_each_day_and_year_is_asked_once(self):
        with mock.patch.object(
            chinese_calendar, "is_workday", wraps=chinese_calendar.is_workday
        ) as asked:
            first = calendar.add_workdays(date(2024, 9, 27), 3)
            again = calendar.add_workdays(date(2024, 9, 27), 3)
        self.assertEqual(first, again)
        # 29 September (a Sunday) worked, 30 September, then 1-7 October off
        self.assertEqual(first, date(2024, 10, 8))
        days = [call.args[0] for call in asked.call_args_list]
        self.assertEqual(len(days), len(set(days)))
        self.assertIn(date(2024, 6, 1), days)  # the year's coverage, asked once
