"""Bulletins computed once per change of the data, not once per page view.

Leaders open the same dashboard many times a day while the figures change a few times a
month, and computing a province's bulletin reads tens of thousands of rows. The cache key
carries a data version made of the newest observation revision, import batch and audit
entry (id and time): every change to figures goes through one of them (the workflow and
the importers write revisions, imports write a batch, edits of targets and indicators
are audited), so a changed figure is never served from the cache. Each version lookup is
one primary-key index seek.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from auditlog.models import LogEntry
from django.core.cache import cache

from baozheng.analysis.periods import Period
from baozheng.org.models import Unit
from baozheng.stats.bulletin import bulletin
from baozheng.stats.models import ImportBatch, ObservationRevision

TIMEOUT = 3600
_MISSING = object()
T = TypeVar("T")


def data_version() -> str:
    parts = []
    for model, field in (
        (ObservationRevision, "created_at"),
        (ImportBatch, "created_at"),
        (LogEntry, "timestamp"),
    ):
        newest = model.objects.order_by("-pk").values_list("pk", field).first()
        parts.append(f"{newest[0]}@{newest[1].timestamp()}" if newest else "0")
    return "-".join(parts)


def per_data_version(name: str, compute: Callable[[], T]) -> T:
    """`compute()`, remembered until the data change (None is remembered too)."""
    key = f"monitor:{name}:{data_version()}"
    found = cache.get(key, _MISSING)
    if found is _MISSING:
        found = compute()
        cache.set(key, found, TIMEOUT)
    return found


def bulletin_data(period: Period, parent: Unit) -> dict:
    """The statistics core's JSON contract for (period, parent)."""
    return per_data_version(
        f"bulletin:{period.code}:{parent.code}", lambda: bulletin(period, parent).data
    )
