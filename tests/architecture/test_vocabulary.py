"""Every code a light system or the engine can produce has its one label (docs/rules.md
§3.9, §3.15, §5.2, §6.2): statistics status and reasons, rank-target status, project lights and
task colours, each from its one table."""

from __future__ import annotations

from baozheng.analysis.reasons import REASON_CODES
from baozheng.analysis.reasons import STATUSES as ENGINE_STATUSES
from baozheng.lib.vocabulary import LIGHTS, RANK_STATUS_LABELS, REASON_LABELS, STATUSES
from baozheng.tasks.services import COLOUR_LABELS


def test_every_engine_status_and_reason_has_exactly_one_label() -> None:
    assert set(STATUSES) == set(ENGINE_STATUSES)
    assert set(REASON_LABELS) == set(REASON_CODES)
    assert all(s.name and s.explanation for s in STATUSES.values())


def test_every_rank_target_status_has_a_label() -> None:
    assert set(RANK_STATUS_LABELS) == {"exceeds", "on_track", "at_risk", "off_track", "no_data"}


def test_project_lights_and_task_colours_have_labels() -> None:
    assert set(LIGHTS) == {"red", "yellow", "green", "blue"}
    assert set(COLOUR_LABELS) == {"red", "yellow", "blue", "green", ""}
