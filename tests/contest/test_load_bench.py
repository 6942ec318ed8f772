"""The load bench's bursts (bench/contest_load.py): the issue's "all 200 submit within the
same second" and the stricter same-instant case (pure)."""

import random

from bench.contest_load_setup import burst_schedule, judge_bursts


def test_bursts_are_spread_over_the_run_within_a_second_ones_first():
    assert burst_schedule(60, 2, 1) == [(15, "burst"), (30, "burst"), (45, "instant")]
    assert burst_schedule(60, 0, 0) == []


def test_in_a_burst_every_judge_submits_at_a_uniform_moment_within_its_second():
    rng = random.Random(1)
    moments = [judge_bursts([(15, "burst")], rng)[0] for _ in range(200)]
    assert all(kind == "burst" and 15 <= at < 16 for at, kind in moments)
    ats = sorted(at for at, _kind in moments)
    assert ats[0] < 15.05 and ats[-1] > 15.95  # spread over the whole second, not one instant
    assert sum(1 for at in ats if at < 15.5) in range(80, 121)


def test_in_a_same_instant_burst_every_judge_submits_at_its_start():
    rng = random.Random(1)
    assert {judge_bursts([(45, "instant")], rng)[0] for _ in range(200)} == {(45, "instant")}
