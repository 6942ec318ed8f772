"""Runs: computing a scheme for a period, publishing, freezing, recomputing, rank history."""

from decimal import Decimal as D

from baozheng.assessment import services
from baozheng.assessment.models import (
    FrozenError,
    RankTargetRecord,
    Run,
    RunItem,
    RunRow,
    SchemeItem,
)
from baozheng.testing import BaozhengTestCase

from .factory import Q2, adjustment, counties, figure, item, scheme

TABLE = {
    "table": [{"from": 1, "to": 3, "points": 10}, {"from": 4, "to": 6, "points": 7}],
    "otherwise": 3,
}


class RunTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.units = counties()
        cls.scheme = scheme()
        item(cls.scheme, "growth", 10, "rank_table", TABLE)
        item(cls.scheme, "completion", 20, "attainment_ratio", {"target": 100}, missing="exclude")
        item(cls.scheme, "bonus", 5, "entries", {"kind": "bonus"}, source="adjustments")
        for n, unit in enumerate(cls.units):
            figure(
                "growth", unit, 9.5 if n == 2 else 10 - n * 0.5
            )  # 宛城 first; 3rd ties 卧龙 at 9.5
            if unit != cls.wolong_unit:
                figure("completion", unit, 90)
        adjustment("bonus", cls.wancheng_unit, 2)
        adjustment("bonus", cls.wancheng_unit, 4)  # capped at 5

    def test_a_run_scores_every_county_with_figure_points_and_why(self):
        run = services.create_run(self.scheme, Q2, self.admin)
        assert run.rows.count() == 13 and run.status == Run.Status.DRAFT
        wancheng = run.rows.get(unit=self.wancheng_unit)
        items = {i.key: i for i in wancheng.items.all()}
        assert items["growth"].points == D(10) and items["growth"].figure == D(10)
        assert items["completion"].points == D(18) and "20×0.9" in items["completion"].why
        assert items["bonus"].points == D(5) and "上限" in items["bonus"].why
        assert wancheng.total == D(33) and wancheng.rank == 1 and wancheng.tier == "第一方阵"

    def test_ties_share_the_item_rank(self):
        run = services.create_run(self.scheme, Q2)
        ranks = {r.unit_id: r.items.get(key="growth").item_rank for r in run.rows.all()}
        assert ranks[self.wolong_unit.pk] == ranks[self.units[2].pk] == 2

    def test_a_missing_figure_is_excluded_and_the_total_scaled_when_the_item_says_so(self):
        run = services.create_run(self.scheme, Q2)
        wolong = run.rows.get(unit=self.wolong_unit)
        completion = wolong.items.get(key="completion")
        assert completion.points is None and "折算" in completion.why
        assert wolong.total == D(30)  # 10 of 10 base points → scaled to 30

    def test_publishing_freezes_the_run_its_rows_and_items(self):
        run = services.publish(services.create_run(self.scheme, Q2), self.admin)
        row = run.rows.first()
        line = row.items.first()
        for attempt in (
            lambda: Run.objects.filter(pk=run.pk).update(status="draft"),
            lambda: run.delete(),
            lambda: setattr(row, "total", D(100)) or row.save(),
            lambda: RunRow.objects.filter(run=run).update(total=D(1)),
            lambda: RunRow.objects.filter(run=run).delete(),
            lambda: setattr(line, "points", D(1)) or line.save(),
            lambda: RunItem.objects.filter(row__run=run).update(points=D(1)),
            lambda: line.delete(),
            lambda: RunRow.objects.bulk_create([RunRow(run=run, unit=self.city, unit_name="x")]),
        ):
            with self.assertRaises(FrozenError):
                attempt()
        run.refresh_from_db()
        run.status = Run.Status.DRAFT
        with self.assertRaises(FrozenError):
            run.save()
        assert Run.objects.get(pk=run.pk).status == Run.Status.PUBLISHED

    def test_a_scheme_with_a_published_run_cannot_be_edited_but_can_be_versioned(self):
        run = services.publish(services.create_run(self.scheme, Q2))
        with self.assertRaises(FrozenError):
            self.scheme.save()
        with self.assertRaises(FrozenError):
            SchemeItem.objects.filter(scheme=self.scheme).first().save()
        copy = services.new_version(self.scheme)
        assert copy.version == 2 and copy.items.count() == 3
        copy.items.filter(key="bonus").delete()
        assert run.rows.get(unit=self.wancheng_unit).total == D(33)

    def test_a_recomputation_is_a_new_version_that_shows_the_differences(self):
        first = services.publish(services.create_run(self.scheme, Q2))
        adjustment("bonus", self.units[12], 5)
        second = services.create_run(self.scheme, Q2)
        assert second.version == first.version + 1
        before, changes = services.differences(second)
        assert before == first
        by_unit = {c.unit: c for c in changes}
        dengzhou = by_unit.pop(self.units[12].name)
        assert dengzhou.new_total - dengzhou.old_total == D(5) and dengzhou.items == (
            ("bonus", D(0), D(5)),
        )
        assert by_unit and all(
            c.old_total == c.new_total and c.old_rank != c.new_rank for c in by_unit.values()
        )

    def test_an_older_version_cannot_be_published_over_a_newer_one(self):
        first = services.create_run(self.scheme, Q2)
        services.publish(services.create_run(self.scheme, Q2))
        with self.assertRaises(FrozenError):
            services.publish(first)

    def test_rank_change_compares_with_the_previous_periods_published_run(self):
        q1 = Q2.previous()
        for n, unit in enumerate(self.units):
            figure("growth", unit, n, period=q1)  # reversed order in Q1
        services.publish(services.create_run(self.scheme, q1))
        run = services.create_run(self.scheme, Q2)
        wancheng = run.rows.get(unit=self.wancheng_unit)
        previous_rank = 13  # last on growth in Q1; everyone else 7..3 points too
        assert wancheng.rank_change is not None and wancheng.rank_change > 0
        assert wancheng.rank_change <= previous_rank - 1

    def test_a_units_history_shows_each_published_place_and_its_rank_target_status(self):
        RankTargetRecord.objects.create(
            unit=self.wancheng_unit, scheme_code="test", year=2023, floor=3, stretch=2, top=1
        )
        services.publish(services.create_run(self.scheme, Q2))
        history = services.unit_history(self.wancheng_unit, "test")
        assert [(h["rank"], h["status"], h["target"].label) for h in history] == [
            (1, "exceeds", "保三争二抢第一")
        ]

    def test_a_year_scheme_weights_the_published_results_of_its_parts(self):
        services.publish(services.create_run(self.scheme, Q2))
        year = scheme("year", period_kind="year", parts=[{"scheme": "test", "weight": 40}])
        item(year, "yearend", 100, "direct", {})
        figure(
            "yearend", self.wancheng_unit, 50, period=services.AssessmentPeriod(2023, 12, "year")
        )
        run = services.create_run(year, services.AssessmentPeriod(2023, 12, "year"))
        wancheng = run.rows.get(unit=self.wancheng_unit)
        assert wancheng.own_total == D(50)
        assert wancheng.total == D("43.20")  # 40 % × 33 + 60 % × 50
