"""One coherent demo story: every part of `baozheng demo` dated on the anchor's timeline
(released and open periods, targets, project months, meetings, tasks, assessments, the
contest and the working-day calendar), for a December, a January and a March anchor."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from unittest import mock

from auditlog.models import LogEntry
from django.db import connection
from django.db.models import Max, Min
from django.utils import timezone

from baozheng.analysis.periods import Period
from baozheng.assessment import demo as assessment_demo
from baozheng.assessment.models import Run, Subjects
from baozheng.contest import demo as contest_demo
from baozheng.contest.models import Session
from baozheng.org import demo as org_demo
from baozheng.org.timeline import Timeline
from baozheng.projects import demo as projects_demo
from baozheng.projects.facts import reporting_month
from baozheng.projects.models import Batch, ProgressReport
from baozheng.projects.rules import Month
from baozheng.reporting import demo as reporting_demo
from baozheng.reporting.obligations import obligations
from baozheng.reporting.periods import open_periods
from baozheng.stats import demo as stats_demo
from baozheng.stats.models import Indicator, Observation, Status, Target
from baozheng.stats.released import released_periods
from baozheng.tasks import demo as tasks_demo
from baozheng.tasks.models import Meeting, Task
from baozheng.testing import BaozhengTestCase
from baozheng.workcal import calendar

# The clock while a story is built: years after every anchor, so that a part dating something by
# the clock instead of by the anchor shows at once, not only once the real date passes the anchor.
LATER = datetime(2031, 6, 15, 3, 0, tzinfo=UTC)


class StoryTests:
    AS_OF: date
    line: Timeline

    reads: dict[str, list[str]]
    inserts: dict[str, list[str]]

    @classmethod
    def build(cls) -> None:
        cls.line = Timeline(cls.AS_OF)
        calendar.clear_cache()
        cls.reads = {}
        cls.inserts = {}
        for part in (
            org_demo,
            stats_demo,
            reporting_demo,
            tasks_demo,
            projects_demo,
            assessment_demo,
        ):
            cls.load(part)

    @classmethod
    def load(cls, part) -> None:
        """A part's load, its reads and inserts kept by the part's app name, on a clock years
        after the anchor (`LATER`)."""
        reads = cls.reads.setdefault(part.__name__.split(".")[1], [])
        inserts = cls.inserts.setdefault(part.__name__.split(".")[1], [])

        def keep(execute, sql, params, many, context):
            if sql.startswith("SELECT"):
                reads.append(sql)
            elif sql.startswith("INSERT"):
                inserts.append(sql)
            return execute(sql, params, many, context)

        with (
            connection.execute_wrapper(keep),
            mock.patch.object(timezone, "now", return_value=LATER),
        ):
            part.load(lambda text: None, as_of=cls.AS_OF)

    def reads_of(self, part: str, text: str) -> int:
        return sum(text in sql for sql in self.reads[part])

    def test_the_parts_read_no_row_they_hold_already(self):
        # A new meeting's units, a new task's helpers: not even `add`'s check for rows
        # already there.
        self.assertEqual(self.reads_of("tasks", '"tasks_meeting_attending_units"'), 0)
        self.assertEqual(self.reads_of("tasks", '"tasks_task_helpers"'), 0)
        self.assertTrue(Meeting.objects.filter(attending_units__isnull=False).exists())
        self.assertTrue(Task.objects.filter(helpers__isnull=False).exists())
        # A request's enterprise comes with it, to its steps and its follow-up.
        self.assertEqual(self.reads_of("tasks", 'SELECT "tasks_enterprise"."id"'), 0)
        # The early counties' figures name the units the part holds.
        self.assertEqual(self.reads_of("reporting", 'SELECT "org_unit"."path"'), 0)

    def test_the_released_periods_and_the_early_figures_are_written_together(self):
        inserts = self.inserts["reporting"]
        periods = [s for s in inserts if s.startswith('INSERT INTO "reporting_reportingperiod"')]
        self.assertEqual(len(periods), 3)  # the earlier ones, the released one, the open one
        for table in ("stats_observation", "stats_observationrevision"):
            self.assertEqual(sum(s.startswith(f'INSERT INTO "{table}"') for s in inserts), 1)

    def test_the_indicators_are_written_together_each_recorded(self):
        inserts = self.inserts["stats"]
        self.assertEqual(sum(s.startswith('INSERT INTO "stats_indicator"') for s in inserts), 1)
        entries = LogEntry.objects.get_for_model(Indicator).filter(action=LogEntry.Action.CREATE)
        codes = [
            changes["code"][1]
            for changes in entries.order_by("id").values_list("changes", flat=True)
        ]
        self.assertEqual(codes, [spec.code for spec in stats_demo.SPECS])

    def test_statistics_run_through_the_released_period_and_the_open_one_is_open(self):
        line = self.line
        self.assertEqual(released_periods().latest, line.released)
        self.assertEqual(open_periods(), [line.open])
        approved = Observation.objects.filter(has_approved=True)
        self.assertEqual(approved.aggregate(y=Min("year"))["y"], line.year - 1)
        latest = approved.filter(year=line.year).aggregate(m=Max("month"))["m"]
        self.assertEqual(latest, line.released.month)
        pending = Observation.objects.exclude(year=line.year).exclude(year=line.year - 1)
        self.assertTrue(all(Period(o.year, o.month) == line.open for o in pending))
        self.assertEqual(set(Target.objects.values_list("year", flat=True)), {line.year})

    def test_some_counties_submitted_the_open_period_and_the_others_are_late(self):
        line = self.line
        submitted = Observation.objects.filter(
            year=line.open.year, month=line.open.month, status=Status.SUBMITTED
        )
        self.assertEqual(
            set(submitted.values_list("unit__code", flat=True)), set(reporting_demo.EARLY_COUNTIES)
        )
        self.assertIn("其余县区已逾期", reporting_demo.open_period_status(line))
        revisions = submitted.values_list("revisions__created_at", flat=True)
        self.assertTrue(all(t.date() <= line.anchor for t in revisions))

    def test_project_months_follow_the_same_calendar(self):
        line = self.line
        self.assertEqual(reporting_month(), Month(line.released.year, line.released.month))
        reports = ProgressReport.objects.all()
        self.assertEqual(set(reports.values_list("year", flat=True)), {line.released.year})
        self.assertEqual(reports.aggregate(m=Max("month"))["m"], line.released.month)
        self.assertTrue(all(b.held_on <= line.anchor for b in Batch.objects.all()))

    def test_meetings_and_tasks_fall_in_the_weeks_before_the_anchor(self):
        anchor = self.line.anchor
        held = Meeting.objects.aggregate(first=Min("held_on"), last=Max("held_on"))
        self.assertLessEqual(held["last"], anchor + timedelta(days=14))  # a series' next one
        self.assertGreaterEqual(held["first"], anchor - timedelta(weeks=17))
        opened = Task.objects.aggregate(first=Min("opened_on"), last=Max("opened_on"))
        self.assertLessEqual(opened["last"], anchor)
        self.assertGreaterEqual(opened["first"], anchor - timedelta(days=200))

    def test_assessments_cover_quarters_the_released_statistics_reach(self):
        released = self.line.released
        runs = Run.objects.filter(scheme__subjects=Subjects.PEER_GROUP)
        self.assertTrue(runs.exists())
        for year, month in runs.values_list("period_year", "period_month"):
            self.assertLessEqual((year, month), (released.year, released.month))

    def test_the_wancheng_clerk_sees_only_wanchengs_obligations_of_the_open_period(self):
        owed = obligations([self.wancheng_unit], self.line.open)
        self.assertTrue(owed)
        self.assertEqual({unit for _, unit in owed}, {self.wancheng_unit.pk})
        self.login(self.wancheng)
        page = self.client.get("/")
        self.assertContains(page, f"{self.line.open.label}数据待填报 {len(owed)} 项")
        entry = self.client.get("/monitor/entry/")
        self.assertContains(entry, self.line.open.label)
        self.assertNotContains(entry, "卧龙区")

    def test_the_calendar_is_loaded_for_every_year_the_demo_touches(self):
        for year in self.line.years:
            if calendar.package_covers(year):
                self.assertEqual(calendar.year_state(year), "完整")
            else:
                self.assertIn("已录入 1 天", calendar.year_warning(year))


class DecemberStoryTests(StoryTests, BaozhengTestCase):
    AS_OF = date(2026, 12, 5)

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.build()
        cls.load(contest_demo)

    def test_the_released_bulletin_carries_the_extrapolated_october(self):
        self.assertEqual(self.line.extrapolated, [10])
        city = Observation.objects.get(
            indicator__code="B01", unit__code="411300", year=2026, month=10
        )
        september = Observation.objects.get(
            indicator__code="B01", unit__code="411300", year=2026, month=9
        )
        self.assertGreater(city.value, september.value)
        self.assertAlmostEqual(float(city.growth), float(september.growth), delta=0.5)

    def test_the_contest_scores_live_on_the_anchor_day(self):
        days = set(Session.objects.values_list("date", flat=True))
        self.assertEqual(max(days), date(2026, 12, 4))  # the anchor is a Saturday
        self.assertTrue(all(d.year == 2026 for d in days))

    def test_the_contests_schools_are_made_without_a_read_each(self):
        self.assertLess(self.reads_of("contest", 'FROM "org_unit"'), 20)  # 143 schools

    def test_2027_is_not_complete_with_only_new_years_day(self):
        self.assertEqual(calendar.year_state(2027), "未完整")
        self.assertEqual(calendar.year_state(2026), "完整")


class JanuaryStoryTests(StoryTests, BaozhengTestCase):
    AS_OF = date(2027, 1, 12)

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.build()

    def test_last_decembers_figures_are_open_for_entry(self):
        self.assertEqual(self.line.open, Period(2026, 12))


class MarchStoryTests(StoryTests, BaozhengTestCase):
    AS_OF = date(2027, 3, 10)

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.build()

    def test_1_2_months_are_open_and_last_years_full_series_released(self):
        self.assertEqual((self.line.open, self.line.released), (Period(2027, 2), Period(2026, 12)))
