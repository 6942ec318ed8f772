"""F2, stored values: the database refuses what the form and the import refuse, and a
value already stored beyond its column (before the constraints, or by hand) no longer
takes any page down."""

from __future__ import annotations

import math
import unittest
from decimal import Decimal
from types import SimpleNamespace

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, connection, transaction
from django.urls import reverse
from openpyxl import Workbook

from baozheng.lib.numbers import ABNORMAL, never_raises
from baozheng.lib.office import fmt as office_fmt
from baozheng.lib.office import write_cell
from baozheng.lib.stored_bounds import out_of_bounds
from baozheng.monitor.templatetags.monitor import fig, signed, size
from baozheng.projects.models import Project
from baozheng.stats.models import Observation
from tests.jobs.helpers import download_through_job
from tests.monitor.base import PERIOD, MonitorTestCase
from tests.projects.factory import make_project

HUGE = "1" + "0" * 25


class FormatterTests(unittest.TestCase):
    def test_f2_a_formatter_prints_a_marker_for_what_it_cannot_format(self):
        for value in (float("nan"), float("inf"), Decimal("NaN"), Decimal("sNaN"), Decimal(HUGE)):
            self.assertEqual(fig(value), ABNORMAL, value)
            self.assertEqual(signed(value), ABNORMAL, value)
        self.assertEqual(fig("not a number"), ABNORMAL)
        self.assertEqual(size(Decimal("-2.25")), "2.3")
        self.assertEqual(fig(None), "—")

    def test_f2_a_workbook_cell_shows_the_marker_instead_of_an_impossible_number(self):
        sheet = Workbook().active
        self.assertEqual(write_cell(sheet, 1, 1, float("nan")).value, ABNORMAL)
        self.assertEqual(write_cell(sheet, 1, 2, Decimal(HUGE)).value, ABNORMAL)
        self.assertEqual(write_cell(sheet, 1, 3, 12.5).value, 12.5)
        self.assertEqual(office_fmt(float("inf")), ABNORMAL)

    def test_f2_any_wrapped_formatter_survives_its_own_errors(self):
        @never_raises
        def spec(value) -> str:
            return f"{value:.1f}"

        self.assertEqual(spec(None), ABNORMAL)
        self.assertEqual(spec(math.pi), "3.1")


class DatabaseBoundsTests(MonitorTestCase):
    def test_f2_the_database_refuses_an_amount_beyond_its_column_on_both_databases(self):
        project = make_project(self.wancheng_unit)
        project.total_investment = Decimal("1000000000000")  # 10**12: 14 digits, 2 places
        with self.assertRaisesRegex(
            ValidationError, "数值超出范围：绝对值须小于 1,000,000,000,000"
        ):
            project.validate_constraints()
        with self.assertRaises((IntegrityError, DataError)), transaction.atomic():
            Project.objects.filter(pk=project.pk).update(total_investment=Decimal(10**12))
        project.total_investment = Decimal("999999999999.99")
        project.validate_constraints()

    def test_f2_a_figure_beyond_its_column_is_refused_too(self):
        obs = Observation.objects.filter(value__isnull=False).first()
        with self.assertRaises((IntegrityError, DataError)), transaction.atomic():
            Observation.objects.filter(pk=obs.pk).update(value=Decimal(10**16))


@unittest.skipUnless(connection.vendor == "sqlite", "PostgreSQL cannot store such a value")
class StoredOutOfBoundsTests(MonitorTestCase):
    def setUp(self):
        obs = Observation.objects.get(
            indicator__code="B06", unit=self.wancheng_unit, year=2023, month=9
        )
        self.project = make_project(self.wancheng_unit, ytd_by_month={3: "100"})
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA ignore_check_constraints = ON")
            cursor.execute("UPDATE stats_observation SET value = %s WHERE id = %s", [HUGE, obs.pk])
            cursor.execute(
                "UPDATE projects_project SET total_investment = %s WHERE id = %s",
                [HUGE[:17], self.project.pk],
            )
            cursor.execute("PRAGMA ignore_check_constraints = OFF")

    def test_f2_every_page_and_download_still_answers_for_everyone(self):
        pages = [
            ("home", [], {}),
            ("monitor-overview", [], {}),
            ("monitor-indicator", ["B06"], {"period": PERIOD}),
            ("monitor-unit", ["411302"], {"period": PERIOD}),
            ("monitor-bulletin", [], {"period": PERIOD}),
            ("monitor-bulletin-download", ["xlsx"], {"period": PERIOD}),
            ("monitor-bulletin-download", ["docx"], {"period": PERIOD}),
            ("projects-list", [], {}),
            ("projects-detail", [self.project.pk], {}),
            ("projects-county", ["411302"], {}),
            ("projects-bulletin", [], {}),
        ]
        for user in (self.admin, self.dispatch, self.wancheng):
            self.login(user)
            for name, args, query in pages:
                with self.subTest(user=user.username, page=name):
                    # A document not yet built comes through its background job.
                    response = download_through_job(self.client, reverse(name, args=args), query)
                    self.assertEqual(response.status_code, 200)
        self.login(self.admin)
        unit_page = self.client.get(reverse("monitor-unit", args=["411302"]), {"period": PERIOD})
        self.assertContains(unit_page, ABNORMAL)

    def test_f2_the_migration_names_the_rows_instead_of_failing_on_a_bare_check(self):
        editor = SimpleNamespace(quote_name=connection.ops.quote_name, connection=connection)
        rows = out_of_bounds(apps, editor, "projects")
        self.assertEqual(
            rows, [f"projects_project id={self.project.pk} total_investment={HUGE[:17]}"]
        )
