"""A process's startup heap kept out of the garbage collector's way (baozheng/lib/heap.py):
nothing collected while it loads, then what it loaded frozen; every `baozheng` command
sets Django up that way, and freezes what it leaves when it has finished, its database
connections closed first."""

from __future__ import annotations

import gc

import django
import pytest
from django.core import management
from django.db import connections

from baozheng import cli
from baozheng.lib.heap import YOUNG_THRESHOLD, loading


@pytest.fixture
def collector_state():
    """The test process's collector as conftest.py settled it (frozen, the threshold
    raised) is left so: `loading` only adds to what is frozen."""
    threshold = gc.get_threshold()
    yield
    gc.set_threshold(*threshold)
    gc.enable()


def test_nothing_is_collected_while_loading_and_what_was_loaded_is_frozen(collector_state):
    frozen = gc.get_freeze_count()
    with loading():
        assert not gc.isenabled()
        loaded = [[] for _ in range(1000)]  # lists: objects the collector tracks
    assert gc.isenabled()
    assert gc.get_freeze_count() >= frozen + len(loaded)
    assert gc.get_threshold()[0] == YOUNG_THRESHOLD


def test_the_cli_sets_django_up_with_the_collector_off_then_freezes_it(
    collector_state, monkeypatch
):
    setups = []
    frozen = gc.get_freeze_count()

    def setup() -> None:
        setups.append((gc.isenabled(), [[] for _ in range(1000)]))  # what Django loads

    monkeypatch.setattr(django, "setup", setup)
    monkeypatch.setattr(cli, "_help", lambda: "")  # the command list is test_config's
    assert cli.main(["--help"]) == 0
    assert [collecting for collecting, _ in setups] == [False]
    assert gc.get_freeze_count() >= frozen + 1000


def test_a_finished_command_closes_its_connections_and_freezes_what_it_leaves(
    collector_state, monkeypatch
):
    left = []

    class Utility:
        def __init__(self, argv) -> None:
            self.argv = argv

        def execute(self) -> None:
            left.extend([] for _ in range(1000))  # what a command leaves

    closed = []
    monkeypatch.setattr(django, "setup", lambda: None)
    monkeypatch.setattr(management, "ManagementUtility", Utility)
    monkeypatch.setattr(connections, "close_all", lambda: closed.append(True))
    frozen = gc.get_freeze_count()
    assert cli.main(["check"]) == 0
    assert closed == [True]
    assert gc.get_freeze_count() >= frozen + len(left)
