"""The warnings page's 距保目标 in words (`monitor.lines.gap_words`), on stand-in rows."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from baozheng.monitor.lines import gap_words


def row(gap: float | None, kind: str, measure: str = "亿元") -> SimpleNamespace:
    return SimpleNamespace(floor_gap=gap, gap_kind=kind, indicator=SimpleNamespace(measure=measure))


@pytest.mark.parametrize(
    ("gap", "kind", "words"),
    [
        (None, "pp", "—"),
        (-1.25, "pp", "低于保目标 1.3 个百分点"),
        (0.4, "pp", "高于保目标 0.4 个百分点"),
        (0.0, "pp", "与保目标持平"),
        (-5.0, "progress", "落后进度 5.0 个百分点"),
        (2.0, "progress", "领先进度 2.0 个百分点"),
        (0.0, "progress", "与进度持平"),
        (-12.5, "level", "差保目标 12.5 亿元"),
        (0.0, "level", "优于保目标 0.0 亿元"),
    ],
)
def test_the_gap_to_the_floor_is_said_by_its_kind_and_sign(gap, kind, words):
    assert gap_words(row(gap, kind)) == words
