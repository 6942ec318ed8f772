"""Committed test worlds (`baozheng.testing_worlds`): the classes of `worlds_scenario.py` run
in their own pytest, in the order written; and the grouping of collected tests by world."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.test import TestCase

from baozheng.testing import BaozhengTestCase
from baozheng.testing_worlds import group_by_world
from tests.stats.world import StatsDemoTestCase

ROOT = Path(__file__).resolve().parents[2]


def test_worlds_switch_when_and_only_when_a_class_needs_another() -> None:
    env = {name: value for name, value in os.environ.items() if not name.startswith("PYTEST_")}
    if "DATABASE_URL" in env:  # a test database of its own beside this run's
        url = urlsplit(env["DATABASE_URL"])
        env["DATABASE_URL"] = urlunsplit(url._replace(path=url.path + "_worlds"))
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--as-written"]
    done = subprocess.run(
        [*command, "tests/lib/worlds_scenario.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "8 passed" in done.stdout


@dataclass
class Item:
    nodeid: str
    cls: type | None = None
    fixturenames: tuple[str, ...] = ()
    markers: tuple[str, ...] = ()

    def get_closest_marker(self, name: str) -> str | None:
        return name if name in self.markers else None


def handed_out(items: list[Item]) -> list[str]:
    """The node ids in the order pytest-xdist hands them out, scopes as `--dist loadscope`'s."""
    return [item.nodeid for item in group_by_world(items, lambda i: i.nodeid.rsplit("::", 1)[0])]


def test_collected_tests_run_in_groups_of_one_world_each_after_its_base_with_scopes_whole() -> None:
    class OnStatistics(StatsDemoTestCase):
        pass

    class OnPersonas(BaozhengTestCase):
        pass

    class Plain(TestCase):
        pass

    items = [
        Item("a.py::test_pure"),
        Item("b.py::OnStatistics::test_one", OnStatistics),
        Item("b.py::Personas::test_one", OnPersonas),
        Item("b.py::OnStatistics::test_two", OnStatistics),
        Item("c.py::test_pure"),
        Item("c.py::test_on_the_database", fixturenames=("db",)),
        Item("d.py::Plain::test_one", Plain),
        Item("e.py::Personas::test_one", OnPersonas),
    ]
    assert handed_out(items) == [
        "c.py::test_pure",
        "c.py::test_on_the_database",
        "d.py::Plain::test_one",
        "b.py::Personas::test_one",
        "e.py::Personas::test_one",
        "b.py::OnStatistics::test_one",
        "b.py::OnStatistics::test_two",
        "a.py::test_pure",
    ]


def test_slow_scopes_are_handed_out_first_among_their_kind() -> None:
    """A long scope handed out last keeps one worker busy while the other has run out."""

    class OnPersonas(BaozhengTestCase):
        pass

    class SlowOnPersonas(BaozhengTestCase):
        pass

    items = [
        Item("a.py::test_pure"),
        Item("b.py::Personas::test_one", OnPersonas),
        Item("c.py::SlowPersonas::test_one", SlowOnPersonas, markers=("slow",)),
        Item("d.py::test_starts_a_server", markers=("slow",)),
        Item("e.py::test_pure_and_slow", markers=("slow",)),
        Item("e.py::test_pure"),
    ]
    assert handed_out(items) == [
        "d.py::test_starts_a_server",
        "c.py::SlowPersonas::test_one",
        "b.py::Personas::test_one",
        "a.py::test_pure",
        "e.py::test_pure_and_slow",
        "e.py::test_pure",
    ]
