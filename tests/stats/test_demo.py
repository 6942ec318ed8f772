from collections import Counter
from datetime import UTC, datetime

from baozheng.analysis.rounding import r as rounded
from baozheng.org.models import Unit
from baozheng.stats import demo
from baozheng.stats.bulletin import bulletin_json
from baozheng.stats.models import Indicator, Observation, Target, TargetRevision
from baozheng.testing import DEMO_AS_OF
from tests.stats.world import StatsDemoTestCase


class DemoTests(StatsDemoTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.current = bulletin_json("2023-09", Unit.objects.get(code="411300"))

    def test_loading_twice_duplicates_nothing(self) -> None:
        def counts() -> tuple[int, ...]:
            return tuple(
                model.objects.count() for model in (Indicator, Target, TargetRevision, Observation)
            )

        before = counts()
        demo.load(lambda _: None, as_of=DEMO_AS_OF)
        self.assertEqual(counts(), before)
        self.assertTrue(all(Indicator.objects.values_list("is_demo", flat=True)))

    def test_the_current_bulletin_shows_every_status_and_rank_changes(self) -> None:
        rows = self.current["rows"]
        self.assertEqual(
            set(Counter(r["status"] for r in rows)),
            {"exceeds", "on_track", "at_risk", "off_track", "no_target", "no_data"},
        )
        self.assertTrue(any(r["rank_change"] for r in rows if r["rank_change"] is not None))
        city = next(r for r in rows if r["indicator"] == "B01" and r["unit"] == "411300")
        self.assertEqual((city["rank_of"], city["peer_group"]), (18, "410000-CITY"))

    def test_the_published_targets_are_there(self) -> None:
        gdp = Target.objects.get(indicator__code="A01", unit__code="411300", year=2023, month=None)
        self.assertEqual((gdp.floor, gdp.stretch), (8, 9))
        retail = Target.objects.get(indicator__code="B01", unit__code="411303")
        self.assertEqual((retail.basis, retail.floor), ("level", 460))


class DemoTargetsAsPractisedTests(StatsDemoTestCase):
    """The demo carries a rate, a one-tier target, phase targets and the source interviews'
    保三争二抢第一 (docs/rules.md §3.10–§3.12, issue 16)."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        city = Unit.objects.get(code="411300")
        cls.september = bulletin_json("2023-09", city)
        cls.march = bulletin_json("2023-03", city)

    def city_row(self, bulletin: dict, indicator: str) -> dict:
        return next(
            r for r in bulletin["rows"] if r["indicator"] == indicator and r["unit"] == "411300"
        )

    def test_unemployment_is_a_rate_ranked_by_its_level_lowest_first(self) -> None:
        self.assertEqual(Indicator.objects.get(code="D01").kind, "rate")
        row = self.city_row(self.september, "D01")
        self.assertIsNone(row["growth"])
        self.assertIsInstance(row["change_pp"], float)
        self.assertEqual(row["rank_of"], 18)
        province = bulletin_json("2023-09", Unit.objects.get(code="410000"))
        cities = [r for r in province["rows"] if r["indicator"] == "D01" and r["rank"]]
        for city in cities:
            lower = {r["unit"] for r in cities if rounded(r["value"]) < rounded(city["value"])}
            self.assertEqual(city["rank"], len(lower) + 1)

    def test_the_tax_target_has_one_tier(self) -> None:
        row = self.city_row(self.september, "B05")
        self.assertIsNotNone(row["target_floor"])
        self.assertIsNone(row["target_stretch"])
        self.assertNotEqual(row["status"], "exceeds")

    def test_first_quarter_phase_targets_are_in_force_in_march(self) -> None:
        for code in ("A01", "B01"):
            self.assertEqual(self.city_row(self.march, code)["target_period"], "2023-03")
            self.assertEqual(self.city_row(self.september, code)["target_period"], "2023")
        self.assertEqual(self.city_row(self.march, "A01")["target_floor"], 8.5)
        half = Target.objects.filter(unit__code="411300", month=6)
        self.assertEqual({t.indicator.code for t in half}, {"A01", "B01"})

    def test_commerce_indicators_carry_the_rank_target_among_henans_cities(self) -> None:
        for code in ("B01", "B02", "B03"):
            row = self.city_row(self.september, code)
            self.assertEqual(
                (row["target_rank_floor"], row["target_rank_stretch"], row["target_rank_top"]),
                (3, 2, 1),
            )
            self.assertEqual(row["peer_group"], "410000-CITY")
            self.assertIn(row["rank_status"], ("exceeds", "on_track", "at_risk", "off_track"))

    def test_one_target_was_adjusted_mid_year_and_a_bulletin_can_use_the_earlier_one(self) -> None:
        target = Target.objects.get(indicator__code="B06", unit__code="411328", month=None)
        versions = list(target.revisions.order_by("created_at"))
        self.assertEqual(len(versions), 2)
        self.assertEqual(versions[0].floor - versions[1].floor, 1)
        self.assertIn("年中调整", versions[1].reason)
        june_end = datetime(2023, 6, 30, tzinfo=UTC)
        then = bulletin_json("2023-09", Unit.objects.get(code="411300"), as_of=june_end)
        now = self.september

        def floor(data: dict) -> float:
            return next(
                r["target_floor"]
                for r in data["rows"]
                if r["indicator"] == "B06" and r["unit"] == "411328"
            )

        self.assertEqual((floor(then), floor(now)), (float(versions[0].floor), float(target.floor)))
