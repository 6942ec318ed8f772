"""Imports pause the cyclic garbage collector and always give it back as they found it."""

from __future__ import annotations

import gc

import pytest

from baozheng.lib.heap import collector_paused


@pytest.fixture
def collector_state():
    was = gc.isenabled()
    yield
    gc.enable() if was else gc.disable()


def test_the_collector_is_off_inside_and_back_on_after(collector_state) -> None:
    gc.enable()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_failing_import_gives_the_collector_back(collector_state) -> None:
    gc.enable()
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("bad file")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off(collector_state) -> None:
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()
