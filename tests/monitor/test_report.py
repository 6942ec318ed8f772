"""`load_report`: a bulletin's rows shown with their records, one read of the records for
every bulletin a page shows."""

from __future__ import annotations

import copy

from django.db import connection
from django.test.utils import CaptureQueriesContext

from baozheng.analysis.periods import Period
from baozheng.monitor.cache import bulletin_data
from baozheng.monitor.report import Records, load_report
from tests.stats.world import StatsDemoTestCase

SEPTEMBER = Period(2023, 9)


class LoadReportTests(StatsDemoTestCase):
    def test_a_row_naming_a_unit_gone_since_is_left_out(self):
        data = copy.deepcopy(bulletin_data(SEPTEMBER, self.city))
        gone = dict(data["rows"][0], unit="419999")
        data["rows"].append(gone)
        report = load_report(SEPTEMBER, self.city, self.admin, data)
        self.assertNotIn("419999", {row.unit.code for row in report.rows})
        self.assertEqual(len(report.rows), len(data["rows"]) - 1)

    def test_records_read_for_one_bulletin_are_not_read_again_for_the_next(self):
        records = Records()
        load_report(SEPTEMBER, self.city, self.admin, records=records)
        data = bulletin_data(Period(2023, 8), self.city)
        with CaptureQueriesContext(connection) as second:
            load_report(Period(2023, 8), self.city, self.admin, data, records=records)
        read = " ".join(query["sql"] for query in second.captured_queries)
        self.assertNotIn('FROM "stats_indicator"', read)
        self.assertNotIn('FROM "org_peergroup"', read)
