"""How a test process runs: the garbage collector settled as in a server worker once the
tests are collected (conftest.py), which is worth 5-9 % of the suite's CPU time."""

import gc

from baozheng.lib.heap import YOUNG_THRESHOLD


def test_the_collector_skips_what_collection_loaded_and_runs_seldom() -> None:
    assert gc.get_threshold()[0] == YOUNG_THRESHOLD
    assert gc.get_freeze_count() > 50_000  # Django and the libraries at least
    assert gc.isenabled()  # paused only while the test modules were collected
