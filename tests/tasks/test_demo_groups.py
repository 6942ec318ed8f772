"""The demo's supervision groups: a group made just now gets its counties without reading
which are linked (none can be); a second load puts back the counties as `set` does."""

from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext

from baozheng.org.models import Unit, User
from baozheng.tasks import demo
from baozheng.tasks.models import SupervisionGroup
from baozheng.testing import BaozhengTestCase


class DemoGroupTests(BaozhengTestCase):
    def load(self) -> list[str]:
        units = {u.code: u for u in Unit.objects.all()}
        users = {u.username: u for u in User.objects.filter(is_active=True)}
        with CaptureQueriesContext(connection) as queries:
            demo.create_groups(units, users)
        return [q["sql"] for q in queries.captured_queries]

    def test_new_groups_get_their_counties_without_reading_the_links(self):
        statements = self.load()
        links = [s for s in statements if s.startswith("SELECT") and "_counties" in s]
        self.assertEqual(links, [])
        first = SupervisionGroup.objects.get(name="第一督导服务组")
        self.assertEqual(
            sorted(first.counties.values_list("code", flat=True)), ["411302", "411371"]
        )
        self.assertEqual(list(first.members.all()), [self.dept])
        self.assertEqual(SupervisionGroup.objects.count(), len(demo.GROUPS))
        counties = LogEntry.objects.filter(changes__has_key="counties").count()
        self.assertEqual(counties, len(demo.GROUPS))

    def test_a_second_load_puts_back_the_counties(self):
        self.load()
        first = SupervisionGroup.objects.get(name="第一督导服务组")
        first.counties.set([Unit.objects.get(code="411303")])
        self.load()
        self.assertEqual(
            sorted(first.counties.values_list("code", flat=True)), ["411302", "411371"]
        )
