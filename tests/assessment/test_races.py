"""The later of two people saving the same scheme, rank target or manual figure gets the
page back with the reason (interleaved: the other's row appears between check and write);
two new versions of one scheme at once get two numbers (two PostgreSQL connections)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import TransactionTestCase

from baozheng.assessment import services
from baozheng.assessment.forms import RankTargetForm, SchemeForm
from baozheng.assessment.models import ManualFigure, RankTargetRecord, Scheme
from baozheng.org import demo
from baozheng.testing import BaozhengTestCase
from tests.interleave import after, after_query, held_open

from .factory import Q2, figure, growth_and_service_scheme, rank_target_form, scheme


class SavedMeanwhileTests(BaozhengTestCase):
    def test_a_scheme_code_taken_meanwhile_is_refused(self):
        self.login(self.dispatch)
        scheme("other")
        data = {
            "code": "fresh",
            "name": "新方案",
            "subjects": "peer_group",
            "peer_group": Scheme.objects.get().peer_group_id,
            "period_kind": "quarter",
            "tiers": "[]",
            "parts": "[]",
            "parts_missing": "zero",
            "items-TOTAL_FORMS": "0",
            "items-INITIAL_FORMS": "0",
        }
        with after(SchemeForm, "is_valid", lambda: scheme("fresh", name="他人的方案")):
            response = self.client.post("/assessment/schemes/new/", data)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(Scheme.objects.get(code="fresh").name, "他人的方案")

    def test_a_rank_target_set_meanwhile_is_refused_as_set(self):
        self.login(self.dispatch)
        data = rank_target_form(self.wancheng_unit)
        other = lambda: RankTargetRecord.objects.create(  # noqa: E731
            unit=self.wancheng_unit, scheme_code="test", year=2023, floor=3, stretch=2, top=1
        )
        with after(RankTargetForm, "is_valid", other):
            response = self.client.post("/assessment/targets/", data)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(RankTargetRecord.objects.get().floor, 3)

    def test_a_manual_figure_entered_meanwhile_is_replaced_by_the_later_entry(self):
        self.login(self.wancheng)
        data = {
            "key": "service",
            "unit": self.wancheng_unit.pk,
            "period_kind": "quarter",
            "period": "2023-06",
            "value": "9",
            "evidence_text": "督查通报第3期",
        }
        other = lambda: figure("service", self.wancheng_unit, 8, Q2)  # noqa: E731
        with after_query('"assessment_manualfigure"', other):
            response = self.client.post("/assessment/figures/", data)
        self.assertRedirects(response, "/assessment/figures/", fetch_redirect_response=False)
        self.assertEqual(ManualFigure.objects.get().value, Decimal(9))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need two connections")
class NewVersionsAtOnceTests(TransactionTestCase):
    def test_two_new_versions_at_once_get_the_next_two_numbers(self):
        demo.create_units()
        original = scheme("twice")

        def copy():
            return services.new_version(original).version

        self.assertEqual(sorted(held_open(copy, copy)), [2, 3])  # was: IntegrityError (a 500)

    def test_two_computations_of_one_period_at_once_get_two_versions(self):
        demo.create_units()
        growth = growth_and_service_scheme()

        def run():
            return services.create_run(growth, Q2).version

        self.assertEqual(sorted(held_open(run, run)), [1, 2])  # was: version 1 twice
