"""How a test process runs: the garbage collector tuned once the tests are collected
(conftest.py), which is worth 7-9 % of the suite's CPU time."""

import gc

from conftest import SUITE_GC_THRESHOLDS


def test_the_collector_skips_what_collection_loaded_and_runs_seldom() -> None:
    assert gc.get_threshold() == SUITE_GC_THRESHOLDS
    assert SUITE_GC_THRESHOLDS[0] >= 50 * 700  # the default first generation is 700 objects
    assert gc.get_freeze_count() > 50_000  # Django and the libraries at least
