from collections import Counter

from baozheng.org.models import Unit
from baozheng.stats import demo
from baozheng.stats.bulletin import bulletin_json
from baozheng.stats.models import Indicator, Observation, Target
from baozheng.testing import BaozhengTestCase


class DemoTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        demo.load(lambda _: None)
        cls.current = bulletin_json("2023-09", Unit.objects.get(code="411300"))

    def test_loading_twice_duplicates_nothing(self) -> None:
        counts = (Indicator.objects.count(), Target.objects.count(), Observation.objects.count())
        demo.load(lambda _: None)
        self.assertEqual(
            (Indicator.objects.count(), Target.objects.count(), Observation.objects.count()), counts
        )
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

    def test_the_seed_targets_are_there(self) -> None:
        gdp = Target.objects.get(indicator__code="A01", unit__code="411300", year=2023)
        self.assertEqual((gdp.floor, gdp.stretch), (8, 9))
        retail = Target.objects.get(indicator__code="B01", unit__code="411303")
        self.assertEqual((retail.basis, retail.floor), ("level", 460))
