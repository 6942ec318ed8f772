"""Bulletins computed once per change of their inputs, not once per page view or worker.

Leaders open the same dashboard many times a day while the figures change a few times a
month. Results live in Django's cache, which settings point at one store shared by every
worker (a file cache in the data directory by default, `BAOZHENG_CACHE_DIR` to share it
between servers; docs/deploy.md), under a key carrying the data version
(`baozheng.monitor.versioning`): it moves only when an input of the bulletin changes, in
the same transaction, so a changed figure is never served from the cache and a draft
saved at month-end does not empty it. The file cache stores each value pickled and
zlib-compressed. Each version lookup is one primary-key read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

from baozheng.analysis.periods import Period
from baozheng.monitor.versioning import current
from baozheng.org.models import Unit
from baozheng.stats.bulletin import bulletin

TIMEOUT = 3600
_MISSING = object()
T = TypeVar("T")


def data_version() -> str:
    return current()


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
