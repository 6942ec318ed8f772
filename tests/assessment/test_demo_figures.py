"""The demo's 要素保障 figures: the new ones written together as each would be saved (their
audit entries in the same order), a stored one changed as update_or_create changes it."""

import random
from decimal import Decimal

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from baozheng.assessment import demo
from baozheng.assessment.models import ManualFigure
from baozheng.assessment.periods import AssessmentPeriod
from baozheng.org.models import Unit
from baozheng.testing import BaozhengTestCase

Q3 = AssessmentPeriod(2023, 9, "quarter")


class DemoFigureTests(BaozhengTestCase):
    def figures(self, units, rng_state=1):
        demo._manual_figures("sangeyipi_service", units, Q3, random.Random(rng_state), 3, 5, None)

    def test_new_figures_go_in_together_each_with_its_audit_entry_in_order(self):
        units = list(Unit.objects.filter(code__in=["411302", "411303", "411381"]).order_by("code"))
        with CaptureQueriesContext(connection) as queries:
            self.figures(units)
        inserts = [
            q
            for q in queries.captured_queries
            if 'INSERT INTO "assessment_manualfigure' in q["sql"]
        ]
        self.assertEqual(len(inserts), 1)
        stored = list(ManualFigure.objects.order_by("pk"))
        self.assertEqual([f.unit_id for f in stored], [u.pk for u in units])
        entries = LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(ManualFigure)
        ).order_by("pk")
        self.assertEqual([e.object_id for e in entries], [f.pk for f in stored])
        self.assertEqual({e.action for e in entries}, {LogEntry.Action.CREATE})

    def test_a_stored_figure_is_changed_in_its_turn_and_the_others_added(self):
        wancheng, wolong, dengzhou = Unit.objects.filter(
            code__in=["411302", "411303", "411381"]
        ).order_by("code")
        self.figures([wolong])
        ManualFigure.objects.filter(unit=wolong).update(value=Decimal("9.9"))
        self.figures([wancheng, wolong, dengzhou], rng_state=2)
        by_unit = {f.unit_id: f for f in ManualFigure.objects.all()}
        self.assertEqual(len(by_unit), 3)
        self.assertNotEqual(by_unit[wolong.pk].value, Decimal("9.9"))
        # Saved in the units' order: 宛城区's new row before 卧龙区's change, 邓州市's after.
        kinds = list(
            LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(ManualFigure))
            .order_by("pk")
            .values_list("object_id", "action")
        )
        self.assertEqual(
            kinds,
            [
                (by_unit[wolong.pk].pk, LogEntry.Action.CREATE),
                (by_unit[wancheng.pk].pk, LogEntry.Action.CREATE),
                (by_unit[wolong.pk].pk, LogEntry.Action.UPDATE),
                (by_unit[dengzhou.pk].pk, LogEntry.Action.CREATE),
            ],
        )
        self.assertLess(by_unit[wancheng.pk].pk, by_unit[dengzhou.pk].pk)
