"""Sources: each provider asks the owning app's public function and maps its answer; the demo
builds its schemes and runs even when the other apps hold no data."""

from decimal import Decimal as D
from unittest import mock

from baozheng.assessment import demo, sources
from baozheng.assessment.models import Run, Scheme
from baozheng.assessment.periods import AssessmentPeriod
from baozheng.testing import DEMO_AS_OF, BaozhengTestCase

Q3 = AssessmentPeriod(2023, 9, "quarter")


class SourceTests(BaozhengTestCase):
    def test_every_other_apps_provider_is_registered_when_its_module_is_installed(self):
        assert {
            "manual",
            "adjustments",
            "indicator",
            "project_figure",
            "task_on_time",
            "enterprise_request",
            "contest_rollup",
        } <= set(sources.SOURCES)

    def test_the_indicator_source_reads_the_statistics_bulletin_and_never_computes_growth(self):
        rows = {
            "rows": [
                {
                    "indicator": "A01",
                    "unit": "411302",
                    "growth": 8.2,
                    "completion_pct": None,
                    "status": "exceeds",
                },
                {
                    "indicator": "A01",
                    "unit": "411303",
                    "growth": None,
                    "completion_pct": None,
                    "status": "no_data",
                },
                {
                    "indicator": "B01",
                    "unit": "411302",
                    "growth": 1.0,
                    "completion_pct": None,
                    "status": "off_track",
                },
                {
                    "indicator": "A01",
                    "unit": "411300",
                    "growth": 5.0,
                    "completion_pct": None,
                    "status": "on_track",
                },
            ]
        }
        with mock.patch("baozheng.stats.bulletin.bulletin_json", return_value=rows) as build:
            growth = sources.fetch("indicator", ["411302", "411303"], Q3, {"indicator": "A01"})
            level = sources.fetch(
                "indicator",
                ["411302", "411303"],
                Q3,
                {"indicator": "A01", "metric": "status_level"},
            )
        assert growth == {"411302": D("8.2"), "411303": None}
        assert level == {"411302": D(3), "411303": None}
        assert build.call_args.args[0] == "2023-09" and build.call_args.args[1].code == "411300"

    def test_a_rate_is_scored_by_its_change_in_points(self):
        rows = {
            "rows": [
                {"indicator": "D01", "unit": "411302", "growth": None, "change_pp": -0.3},
                {"indicator": "D01", "unit": "411303", "growth": None, "change_pp": None},
            ]
        }
        with mock.patch("baozheng.stats.bulletin.bulletin_json", return_value=rows):
            found = sources.fetch(
                "indicator", ["411302", "411303"], Q3, {"indicator": "D01", "metric": "change_pp"}
            )
        assert found == {"411302": D("-0.3"), "411303": None}
        sources.validate("indicator", {"indicator": "D01", "metric": "change_pp"})

    def test_one_computation_asks_the_statistics_core_once(self):
        with mock.patch(
            "baozheng.stats.bulletin.bulletin_json", return_value={"rows": []}
        ) as build:
            with sources.shared_reads():
                sources.fetch("indicator", ["411302"], Q3, {"indicator": "A01"})
                sources.fetch("indicator", ["411302"], Q3, {"indicator": "A02"})
        assert build.call_count == 1

    def test_computations_inside_an_outer_run_of_them_share_its_answers(self):
        with mock.patch(
            "baozheng.stats.bulletin.bulletin_json", return_value={"rows": []}
        ) as build:
            with sources.shared_reads():
                for indicator in ("A01", "A02"):
                    with sources.shared_reads():  # one computation each
                        sources.fetch("indicator", ["411302"], Q3, {"indicator": indicator})
        assert build.call_count == 1

    def test_the_project_source_reads_the_county_rows_of_the_project_bulletin(self):
        answer = {
            "counties": [
                {"code": "411302", "start_rate": 87.5},
                {"code": "411303", "start_rate": None},
            ]
        }
        with mock.patch("baozheng.projects.bulletin.build", return_value=answer) as build:
            found = sources.fetch(
                "project_figure", ["411302", "411303"], Q3, {"figure": "start_rate"}
            )
        assert found == {"411302": D("87.5"), "411303": None}
        assert build.call_args.args[2].month == 9

    def test_a_source_parameter_outside_its_choices_is_refused(self):
        with self.assertRaisesMessage(Exception, "只能是"):
            sources.validate("indicator", {"indicator": "A01", "metric": "mood"})
        with self.assertRaisesMessage(Exception, "不可用"):
            sources.validate("weather", {})

    def test_the_demo_builds_its_schemes_and_runs_without_the_other_apps_data_and_only_once(self):
        demo.load(lambda text: None, as_of=DEMO_AS_OF)
        demo.load(lambda text: None, as_of=DEMO_AS_OF)
        assert set(Scheme.objects.values_list("code", flat=True)) == {
            "sangeyipi",
            "zhibiao",
            "mubiao",
            "bumen",
        }
        henan = Scheme.objects.get(code="sangeyipi")
        assert sum(i.points for i in henan.items.all() if i.in_base) == 100
        assert Run.objects.filter(status=Run.Status.PUBLISHED).count() == 3
        assert Run.objects.filter(status=Run.Status.DRAFT).count() == 4
        row = Run.objects.get(scheme=henan, status=Run.Status.PUBLISHED).rows.get(
            unit=self.wolong_unit
        )
        assert row.items.get(key="bonus").points == D(2)


class CommandTests(BaozhengTestCase):
    def test_the_assess_command_computes_and_publishes_and_refuses_a_wrong_period(self):
        import io

        from django.core.management import CommandError, call_command

        from .factory import figure, item, scheme

        test_scheme = scheme("cli")
        item(test_scheme, "g", 10, "direct", {})
        figure("g", self.wancheng_unit, 7, period=AssessmentPeriod(2023, 9, "quarter"))
        out = io.StringIO()
        call_command("assess", "cli", "2023-09", "--publish", stdout=out)
        assert "已发布" in out.getvalue() and "宛城区  7.00" in out.getvalue()
        with self.assertRaisesMessage(CommandError, "不能以8月结束"):
            call_command("assess", "cli", "2023-08")
