"""Chinese words for the bulletin's codes: status lights (亮灯) and the reasons a figure is
empty. They come from the one product-wide vocabulary (`baozheng.lib.vocabulary`), so that
every page, hint, export and chart names a state the same way."""

from __future__ import annotations

from baozheng.lib.vocabulary import (
    RANK_STATUS_LABELS,
    REASON_LABELS,
    STATUS_LABELS,
    WARNING_STATUSES,
)

__all__ = [
    "RANK_STATUS_LABELS",
    "REASON_LABELS",
    "STATUS_LABELS",
    "WARNING_STATUSES",
    "rank_status_label",
    "reason_label",
    "status_label",
]


def status_label(status: str | None) -> str:
    return STATUS_LABELS.get(status or "", status or "")


def reason_label(code: str | None) -> str:
    return REASON_LABELS.get(code or "", code or "")


def rank_status_label(status: str | None) -> str:
    return RANK_STATUS_LABELS.get(status or "", status or "")
